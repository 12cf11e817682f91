#pragma once

#include "engine/lora/LoraKey.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace studio::engine {

class TensorStore;
class UnetBlockLayout;

// Every layer of a UNet that a LoRA can target (a 2-D or 4-D ".weight"), indexed by its name in each LoRA naming
// scheme, so a file's layer stem is looked up instead of being parsed (kohya's '_' joins are ambiguous:
// "to_out_0", "transformer_blocks_0"). Built from the diffusers parameter names of any module: the real UNet, a
// test stand-in, or the names and shapes of a weight file.
class LoraTargetMap
{
public:
    struct Target
    {
        std::string parameter; // "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.weight"
        std::vector<int64_t> shape;
    };

    // `parameters`: diffusers names and shapes. The layout is checked against them first
    // (UnetBlockLayout::checkAgainst).
    LoraTargetMap(const UnetBlockLayout &layout,
                  const std::vector<std::pair<std::string, std::vector<int64_t>>> &parameters);
    static LoraTargetMap forModule(const UnetBlockLayout &layout, const torch::nn::Module &module);
    static LoraTargetMap forStore(const UnetBlockLayout &layout, const TensorStore &store);

    // The target of a layer stem as LoraKey::stem gives it for `format`; nullptr when the UNet has no such layer.
    const Target *find(LoraFormat format, const std::string &stem) const;
    size_t size() const { return m_targets.size(); }

private:
    void add(LoraFormat format, const std::string &stem, size_t target);

    std::vector<Target> m_targets;
    std::map<std::pair<LoraFormat, std::string>, size_t> m_byStem;
};

} // namespace studio::engine
