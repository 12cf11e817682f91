#pragma once

#include "engine/lora/LoraKey.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

class TensorStore;

// One low-rank layer of a LoRA file: delta W = s * up @ down, with down [r, in(, kh, kw)] and up [out, r(, 1, 1)].
struct LoraPair
{
    std::string stem;                        // the layer's name in the file's own scheme (see LoraKey)
    std::string downName, upName, alphaName; // tensor names in the file (alphaName empty when absent)
    at::Tensor down, up;                     // CPU, as stored (any floating dtype)
    int64_t rank = 0;
    std::optional<double> alpha;

    // THE scale rule (issue 5, REFERENCE A.2.4), the only place it is computed: `userScale` is the user's
    // multiplier (--lora-scale). A layer that carries alpha merges at userScale * alpha / rank (kohya, diffusers'
    // network_alphas, peft lora_alpha/r); a layer without alpha (DiffSynth checkpoints) merges at userScale, as
    // DiffSynth's own loader does with its lora_alpha argument.
    double effectiveScale(double userScale) const { return alpha ? userScale * *alpha / double(rank) : userScale; }
};

// A validated UNet LoRA file: every tensor is a down, up or alpha of a complete pair in one naming scheme, with
// consistent ranks and finite values. Anything else refuses the whole file with every offending name listed
// (EngineError): no silent partial LoRA. Whether the layers exist in the UNet is checked by bindLora().
class LoraFile
{
public:
    // Opens a .safetensors or torch zip checkpoint (.ckpt/.pt/.pth/.bin) through TensorStore.
    static LoraFile load(const std::string &path);
    static LoraFile fromStore(const TensorStore &store, const std::string &label);

    const std::string &label() const { return m_label; } // the path, for messages
    LoraFormat format() const { return m_format; }
    const std::vector<LoraPair> &pairs() const { return m_pairs; }
    size_t tensorCount() const { return m_tensorCount; }
    const LoraPair *findPair(const std::string &stem) const;

private:
    std::string m_label;
    LoraFormat m_format = LoraFormat::Diffusers;
    std::vector<LoraPair> m_pairs; // sorted by stem
    size_t m_tensorCount = 0;
};

} // namespace studio::engine
