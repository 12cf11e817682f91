#pragma once

#include <string>

namespace studio::engine {

// The LoRA a generation request carries. The scale is the user's multiplier (--lora-scale); see kLoraScaleRule
// (engine/api/LoraApi.h). A value type of the engine itself: the pipeline and the LoRA slot take it, and the
// facade (engine/api) hands it on, so the engine never includes its own facade.
struct LoraSpec
{
    std::string path;   // a .safetensors or .ckpt file; empty: no LoRA
    double scale = 1.0; // the user's multiplier S

    bool enabled() const { return !path.empty(); }
    bool operator==(const LoraSpec &other) const { return path == other.path && scale == other.scale; }
    bool operator!=(const LoraSpec &other) const { return !(*this == other); }
};

} // namespace studio::engine
