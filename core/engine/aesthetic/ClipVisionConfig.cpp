#include "engine/aesthetic/ClipVisionConfig.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace studio::engine {
namespace {

// Generous bounds: ViT-bigG is 1664 wide with 48 layers. Anything beyond is a hostile or broken file, refused
// before a single tensor is allocated.
int64_t sizeField(const nlohmann::json &json, const char *key, int64_t fallback, int64_t maxValue,
                  const std::string &where, const std::string &file)
{
    if (!json.contains(key) || json[key].is_null())
        return fallback;
    const nlohmann::json &value = json[key];
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > maxValue)
        throw EngineError(EngineError::Code::BadConfig, file + ": field \"" + where + key +
                                                            "\" must be an integer from 1 to " +
                                                            std::to_string(maxValue));
    return value.get<int64_t>();
}

} // namespace

int64_t ClipVisionConfig::parameterCount() const
{
    const int64_t d = hiddenSize;
    const int64_t embeddings = d + d * numChannels * patchSize * patchSize + numPositions() * d;
    const int64_t layer =
        4 * (d * d + d) + 2 * 2 * d + (d * intermediateSize + intermediateSize) + (intermediateSize * d + d);
    return embeddings + 2 * d + numHiddenLayers * layer + 2 * d + projectionDim * d;
}

ClipVisionConfig ClipVisionConfig::fromJson(const nlohmann::json &json, const std::string &file)
{
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadConfig, file + ": not a JSON object");
    // A full CLIP config keeps the tower's fields under "vision_config"; transformers' CLIPVisionConfig reads them
    // from there. The predictor's own config has them at the top level.
    const bool nested = json.contains("vision_config") && json["vision_config"].is_object();
    const nlohmann::json &v = nested ? json["vision_config"] : json;
    const std::string where = nested ? "vision_config." : "";

    ClipVisionConfig c;
    c.hiddenSize = sizeField(v, "hidden_size", c.hiddenSize, 16384, where, file);
    c.intermediateSize = sizeField(v, "intermediate_size", c.intermediateSize, 65536, where, file);
    c.numHiddenLayers = sizeField(v, "num_hidden_layers", c.numHiddenLayers, 256, where, file);
    c.numAttentionHeads = sizeField(v, "num_attention_heads", c.numAttentionHeads, 1024, where, file);
    c.numChannels = sizeField(v, "num_channels", c.numChannels, 3, where, file);
    c.imageSize = sizeField(v, "image_size", c.imageSize, 4096, where, file);
    c.patchSize = sizeField(v, "patch_size", c.patchSize, 4096, where, file);
    if (nested && !v.contains("projection_dim")) // CLIPModel's projection size lives at the top level
        c.projectionDim = sizeField(json, "projection_dim", c.projectionDim, 16384, "", file);
    else
        c.projectionDim = sizeField(v, "projection_dim", c.projectionDim, 16384, where, file);

    if (v.contains("layer_norm_eps") && !v["layer_norm_eps"].is_null()) {
        const nlohmann::json &eps = v["layer_norm_eps"];
        if (!eps.is_number() || !std::isfinite(eps.get<double>()) || !(eps.get<double>() > 0.0) ||
            !(eps.get<double>() < 1.0))
            throw EngineError(EngineError::Code::BadConfig,
                              file + ": field \"" + where + "layer_norm_eps\" must be a small positive number");
        c.layerNormEps = eps.get<double>();
    }
    if (v.contains("hidden_act") && !v["hidden_act"].is_null()) {
        if (!v["hidden_act"].is_string())
            throw EngineError(EngineError::Code::BadConfig,
                              file + ": field \"" + where + "hidden_act\" is not a string");
        c.hiddenAct = v["hidden_act"].get<std::string>();
    }
    if (c.hiddenAct != "quick_gelu" && c.hiddenAct != "gelu")
        throw EngineError(EngineError::Code::Unsupported,
                          file + ": hidden_act \"" + c.hiddenAct + "\" is not supported (quick_gelu or gelu)");
    if (c.numChannels != 3)
        throw EngineError(EngineError::Code::Unsupported, file + ": num_channels must be 3 (RGB)");
    if (c.hiddenSize % c.numAttentionHeads != 0)
        throw EngineError(EngineError::Code::BadConfig, file + ": hidden_size " + std::to_string(c.hiddenSize) +
                                                            " is not divisible by num_attention_heads " +
                                                            std::to_string(c.numAttentionHeads));
    if (c.patchSize > c.imageSize)
        throw EngineError(EngineError::Code::BadConfig, file + ": patch_size " + std::to_string(c.patchSize) +
                                                            " is larger than image_size " +
                                                            std::to_string(c.imageSize));
    return c;
}

ClipVisionConfig ClipVisionConfig::fromFile(const std::string &path)
{
    return fromJson(readJsonFile(path), path);
}

} // namespace studio::engine
