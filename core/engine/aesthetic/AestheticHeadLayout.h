#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace studio::engine {

class TensorStore;

// The shape of a predictor head, read from the checkpoint's `layers.<i>.weight` / `.bias` names and shapes.
// The head is an nn.Sequential whose only parameterised members are Linears; the modules between two Linears own
// no parameters, so only the gaps in the indices show them:
//  * V2 "linear" (layers.{0,2,4,6,7}): gaps of one Dropout; no activation at all.
//  * V2 "relu" (upstream modeling_v2: layers.{0,3,6,9,11}): ReLU + Dropout after the first three Linears and a
//    ReLU alone after the fourth.
// Rule: a head with a two-module gap is a ReLU head; there every gap starts with a ReLU (the second module being a
// Dropout). A head without one has only Dropouts. So layers.{0,3,6,8,9} reads as ReLU after the first three
// Linears. Dropouts are identity at inference. Widths come from the shapes: they must chain from the projection
// size to a single output.
struct AestheticHeadLayout
{
    struct Layer
    {
        int index = 0; // position in the Sequential ("layers.<index>")
        int64_t in = 0;
        int64_t out = 0;
        bool reluAfter = false;
    };
    std::vector<Layer> layers;

    bool hasRelu() const;
    std::string describe() const; // "linear head 768→1024→128→64→16→1"
    int64_t parameterCount() const;

    // Reads `prefix<i>.weight` / `prefix<i>.bias` from `store`. Throws EngineError naming the file and tensor when
    // a name, rank, dtype or width is wrong, or when the head does not start at `inputWidth` or end at 1.
    static AestheticHeadLayout detect(const TensorStore &store, const std::string &prefix, int64_t inputWidth);
};

} // namespace studio::engine
