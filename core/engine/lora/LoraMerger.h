#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

namespace torch::nn {
class Module;
}

namespace studio::engine {

class LoraFile;
struct LoraBinding;

// Merges a LoRA into a module's weights and takes it out again, exactly.
//
// apply(): W += s * (up @ down) for every bound layer, with s = LoraPair::effectiveScale(userScale). The product and
// the sum are computed in float32 on W's device and rounded once to W's dtype, so an fp16 UNet gets the same merge
// as an fp32 one up to that final rounding. Since rounding cannot be undone by subtracting, the original values of
// every touched weight are kept (on the CPU, to spare GPU memory) and restore() copies them back bit for bit.
// The merger does not undo a merge when it is destroyed: call restore() first if the module lives on.
class LoraMerger
{
public:
    LoraMerger() = default;
    LoraMerger(const LoraMerger &) = delete;
    LoraMerger &operator=(const LoraMerger &) = delete;
    LoraMerger(LoraMerger &&) = default;
    LoraMerger &operator=(LoraMerger &&) = default;

    // Undoes a previous merge first. Throws EngineError (BadArgument for a non-finite scale, MissingWeight when a
    // bound parameter is not in `module`, OutOfMemory/Internal when a tensor operation fails); the module then holds
    // its original weights again.
    void apply(torch::nn::Module &module, const LoraFile &lora, const LoraBinding &binding, double userScale);
    void restore();

    bool merged() const { return !m_saved.empty(); }
    size_t mergedLayers() const { return m_saved.size(); }
    // Whether the current merge wrote to `parameter` (the same tensor as the module's, not a copy).
    bool changed(const at::Tensor &parameter) const;

private:
    struct Saved
    {
        at::Tensor parameter; // the module's parameter itself: it follows the module across devices (to())
        at::Tensor original;  // CPU copy taken before the merge
    };
    std::vector<Saved> m_saved;
};

} // namespace studio::engine
