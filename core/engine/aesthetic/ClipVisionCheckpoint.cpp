#include "engine/aesthetic/ClipVisionCheckpoint.h"

#include "engine/common/EngineError.h"
#include "engine/io/TensorStore.h"

#include <algorithm>

namespace studio::engine {
namespace {

bool startsWith(const std::string &s, const std::string &p)
{
    return s.compare(0, p.size(), p) == 0;
}

int64_t elementCount(const TensorInfo &info)
{
    int64_t n = 1;
    for (int64_t d : info.shape)
        n *= d;
    return n;
}

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

void checkProcessorFitsTower(const ImageProcessorConfig &p, const ClipVisionConfig &v,
                             const std::string &preprocessorFile, const std::string &configFile)
{
    const std::string s = std::to_string(v.imageSize);
    if (p.doCenterCrop) {
        if (p.cropWidth != v.imageSize || p.cropHeight != v.imageSize)
            throw EngineError(EngineError::Code::BadConfig,
                              preprocessorFile + ": crop_size " + std::to_string(p.cropWidth) + "x" +
                                  std::to_string(p.cropHeight) + " does not match image_size " + s + " of " +
                                  configFile);
    } else if (!p.doResize || p.shortestEdge > 0 || p.resizeWidth != v.imageSize || p.resizeHeight != v.imageSize) {
        throw EngineError(EngineError::Code::BadConfig, preprocessorFile +
                                                            ": without a centre crop the images "
                                                            "must be resized to exactly " +
                                                            s + "x" + s + " (image_size of " + configFile + ")");
    }
}

void checkTowerAgainstWeights(const ClipVisionConfig &v, const TensorStore &weights, const std::string &configFile,
                              const std::string &stage)
{
    if (!weights.anyNameStartsWith("vision_model."))
        throw EngineError(EngineError::Code::MissingWeight,
                          stage + ": " + weights.source() + " holds no CLIP vision tower (vision_model.*)");
    const auto expectShape = [&](const std::string &name, const std::vector<int64_t> &shape,
                                 const std::string &fields) {
        const TensorInfo *info = weights.find(name);
        if (info && info->shape != shape)
            throw EngineError(EngineError::Code::ShapeMismatch,
                              configFile + ": " + fields + " do not fit tensor \"" + name + "\" in " + info->file +
                                  " of shape " + shapeText(info->shape) + " (expected " + shapeText(shape) + ")");
    };
    const std::string d = std::to_string(v.hiddenSize);
    expectShape("vision_model.embeddings.patch_embedding.weight",
                {v.hiddenSize, v.numChannels, v.patchSize, v.patchSize},
                "hidden_size " + d + ", patch_size " + std::to_string(v.patchSize));
    expectShape("vision_model.embeddings.position_embedding.weight", {v.numPositions(), v.hiddenSize},
                "image_size " + std::to_string(v.imageSize) + " and patch_size " + std::to_string(v.patchSize) + " (" +
                    std::to_string(v.numPositions()) + " positions), hidden_size " + d);
    expectShape("vision_model.encoder.layers.0.mlp.fc1.weight", {v.intermediateSize, v.hiddenSize},
                "intermediate_size " + std::to_string(v.intermediateSize) + ", hidden_size " + d);
    expectShape("visual_projection.weight", {v.projectionDim, v.hiddenSize},
                "projection_dim " + std::to_string(v.projectionDim) + ", hidden_size " + d);

    const std::string layerPrefix = "vision_model.encoder.layers.";
    int64_t layers = 0;
    for (const std::string &name : weights.names()) {
        if (!startsWith(name, layerPrefix))
            continue;
        const std::string rest = name.substr(layerPrefix.size());
        const size_t dot = rest.find('.');
        if (dot == std::string::npos || dot == 0 || dot > 4 || rest.find_first_not_of("0123456789") != dot)
            continue; // the loader reports it as unexpected
        layers = std::max<int64_t>(layers, std::stoll(rest.substr(0, dot)) + 1);
    }
    if (layers != 0 && layers != v.numHiddenLayers)
        throw EngineError(EngineError::Code::BadConfig, configFile + ": num_hidden_layers " +
                                                            std::to_string(v.numHiddenLayers) + " but " +
                                                            weights.source() + " holds " + std::to_string(layers) +
                                                            " encoder layers");

    // The module is allocated from config.json's sizes. Whatever the checks above could not see (tensors absent
    // from a hostile file), a config may not ask for much more memory than the file holds: the loader then names
    // every missing tensor, but nothing huge is allocated first.
    int64_t available = 0;
    for (const std::string &name : weights.names())
        if (startsWith(name, "vision_model.") || startsWith(name, "visual_projection."))
            available += elementCount(*weights.find(name));
    if (v.parameterCount() > 2 * available + (int64_t(1) << 20))
        throw EngineError(EngineError::Code::BadConfig,
                          configFile + " describes a vision tower of " + std::to_string(v.parameterCount()) +
                              " parameters but " + weights.source() + " holds " + std::to_string(available) +
                              ": the config does not belong to these weights");
}

std::vector<std::string> ignoredClipCheckpointPrefixes(bool fullClipCheckpoint)
{
    std::vector<std::string> prefixes{"vision_model.embeddings.position_ids"};
    if (fullClipCheckpoint)
        prefixes.insert(prefixes.end(), {"text_model.", "text_projection.", "logit_scale"});
    return prefixes;
}

} // namespace studio::engine
