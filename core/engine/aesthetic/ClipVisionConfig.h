#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace studio::engine {

// Sizes of a CLIP vision tower with projection (transformers' CLIPVisionConfig). Read from the predictor's own
// config.json (`model_type aesthetics_predictor` / `clip_vision_model`, fields at the top level) or from a full
// CLIP config.json (`model_type clip`, fields under "vision_config"). An absent field takes CLIPVisionConfig's
// default, exactly as transformers' from_pretrained would; the weight shapes are then checked against the result.
struct ClipVisionConfig
{
    int64_t hiddenSize = 768;
    int64_t intermediateSize = 3072;
    int64_t numHiddenLayers = 12;
    int64_t numAttentionHeads = 12;
    int64_t numChannels = 3;
    int64_t imageSize = 224;
    int64_t patchSize = 32;
    int64_t projectionDim = 512;
    double layerNormEps = 1e-5;
    std::string hiddenAct = "quick_gelu"; // "quick_gelu" or "gelu"

    int64_t gridSize() const { return imageSize / patchSize; }
    int64_t numPatches() const { return gridSize() * gridSize(); }
    int64_t numPositions() const { return numPatches() + 1; }
    int64_t headDim() const { return hiddenSize / numAttentionHeads; }
    // Parameters of the tower plus the projection, to compare with a checkpoint before allocating anything.
    int64_t parameterCount() const;

    // Throws EngineError::BadConfig naming `file` and the field (Unsupported for an unknown activation).
    static ClipVisionConfig fromJson(const nlohmann::json &json, const std::string &file);
    static ClipVisionConfig fromFile(const std::string &path);
};

} // namespace studio::engine
