#include "engine/aesthetic/AestheticModel.h"

#include "engine/aesthetic/AestheticPredictor.h"
#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace studio::engine {
namespace {

const std::string kHeadPrefix = "layers.";

bool startsWith(const std::string &s, const std::string &p)
{
    return s.compare(0, p.size(), p) == 0;
}

std::string fileName(const std::string &path)
{
    return std::filesystem::path(path).filename().string();
}

// The processor must hand the tower exactly image_size x image_size pixels, whatever the image's shape.
void checkProcessorFitsTower(const ImageProcessorConfig &p, const ClipVisionConfig &v, const AestheticModelFiles &f)
{
    const std::string s = std::to_string(v.imageSize);
    if (p.doCenterCrop) {
        if (p.cropWidth != v.imageSize || p.cropHeight != v.imageSize)
            throw EngineError(EngineError::Code::BadConfig,
                              f.preprocessorConfig + ": crop_size " + std::to_string(p.cropWidth) + "x" +
                                  std::to_string(p.cropHeight) + " does not match image_size " + s + " of " + f.config);
    } else if (!p.doResize || p.shortestEdge > 0 || p.resizeWidth != v.imageSize || p.resizeHeight != v.imageSize) {
        throw EngineError(EngineError::Code::BadConfig, f.preprocessorConfig +
                                                            ": without a centre crop the images "
                                                            "must be resized to exactly " +
                                                            s + "x" + s + " (image_size of " + f.config + ")");
    }
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

// Compares config.json's sizes with a few telling weight shapes, so that a config that does not belong to the
// weights is named field by field (and refused before a module of its sizes is allocated). Absent tensors are left
// to the loader, which names every one of them.
void checkConfigAgainstWeights(const ClipVisionConfig &v, const TensorStore &weights, const AestheticModelFiles &f)
{
    const auto expectShape = [&](const std::string &name, const std::vector<int64_t> &shape,
                                 const std::string &fields) {
        const TensorInfo *info = weights.find(name);
        if (info && info->shape != shape)
            throw EngineError(EngineError::Code::ShapeMismatch,
                              f.config + ": " + fields + " do not fit tensor \"" + name + "\" in " + info->file +
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
        throw EngineError(EngineError::Code::BadConfig, f.config + ": num_hidden_layers " +
                                                            std::to_string(v.numHiddenLayers) + " but " + f.weights +
                                                            " holds " + std::to_string(layers) + " encoder layers");
}

std::string chooseHeadFile(const AestheticModelFiles &files, const TensorStore &weights)
{
    if (!files.headFile.empty())
        return files.headFile;
    if (weights.anyNameStartsWith(kHeadPrefix))
        return {};
    if (files.headCandidates.empty())
        throw EngineError(EngineError::Code::MissingWeight,
                          "aesthetic predictor: " + files.weights + " holds no predictor head (layers.*) and " +
                              files.folder + " has no head file beside it (e.g. sac+logos+ava1-l14-linearMSE.pth)");
    if (files.headCandidates.size() > 1) {
        std::string list;
        for (const std::string &c : files.headCandidates)
            list += (list.empty() ? "" : ", ") + fileName(c);
        throw EngineError(EngineError::Code::BadArgument, "aesthetic predictor: several possible head files in " +
                                                              files.folder + " (" + list + "); keep only one");
    }
    return files.headCandidates.front();
}

} // namespace

AestheticModel::AestheticModel(const ClipVisionConfig &vision, const AestheticHeadLayout &head,
                               ImagePreprocessor preprocessor, c10::Device device)
    : m_vision(vision), m_head(head), m_preprocessor(std::move(preprocessor)), m_device(device)
{
}

AestheticModel::~AestheticModel() = default;

std::unique_ptr<AestheticModel> AestheticModel::load(const AestheticModelFiles &files, c10::Device device)
{
    const nlohmann::json configJson = readJsonFile(files.config);
    const ClipVisionConfig vision = ClipVisionConfig::fromJson(configJson, files.config);
    const bool fullClipCheckpoint = configJson.contains("vision_config") && configJson["vision_config"].is_object();
    ImagePreprocessor preprocessor(ImageProcessorConfig::fromFile(files.preprocessorConfig));
    checkProcessorFitsTower(preprocessor.config(), vision, files);

    const TensorStore weights = TensorStore::open(files.weights);
    if (!weights.anyNameStartsWith("vision_model."))
        throw EngineError(EngineError::Code::MissingWeight,
                          "aesthetic predictor: " + files.weights + " holds no CLIP vision tower (vision_model.*)");
    checkConfigAgainstWeights(vision, weights, files);
    // The module is allocated from config.json's sizes. Whatever the checks above could not see (tensors absent
    // from a hostile file), a config may not ask for much more memory than the file holds: the loader then names
    // every missing tensor, but nothing huge is allocated first.
    int64_t available = 0;
    for (const std::string &name : weights.names())
        if (startsWith(name, "vision_model.") || startsWith(name, "visual_projection."))
            available += elementCount(*weights.find(name));
    if (vision.parameterCount() > 2 * available + (int64_t(1) << 20))
        throw EngineError(EngineError::Code::BadConfig,
                          files.config + " describes a vision tower of " + std::to_string(vision.parameterCount()) +
                              " parameters but " + files.weights + " holds " + std::to_string(available) +
                              ": the config does not belong to these weights");

    const std::string headPath = chooseHeadFile(files, weights);
    std::optional<TensorStore> headStore;
    if (!headPath.empty())
        headStore = TensorStore::open(headPath);
    const AestheticHeadLayout head =
        AestheticHeadLayout::detect(headStore ? *headStore : weights, kHeadPrefix, vision.projectionDim);

    // A separate head joins the tower's tensors in one store (views of the mapped file, no copies), so that one
    // load reports every problem at once.
    TensorStore merged;
    const TensorStore *source = &weights;
    if (headStore) {
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const std::string &name : weights.names())
            if (!startsWith(name, kHeadPrefix))
                tensors.emplace_back(name, weights.get(name));
        for (const std::string &name : headStore->names())
            tensors.emplace_back(name, headStore->get(name));
        merged = TensorStore::fromTensors(std::move(tensors), fileName(files.weights) + " + " + fileName(headPath));
        source = &merged;
    }

    std::unique_ptr<AestheticModel> model(new AestheticModel(vision, head, std::move(preprocessor), device));
    model->m_network = std::make_shared<AestheticPredictor>(vision, head);
    LoadOptions options;
    options.stage = "aesthetic predictor";
    options.device = device;
    options.dtype = at::kFloat;
    // position_ids is a buffer of transformers' module; positions are always 0..P here.
    options.ignorePrefixes = {"vision_model.embeddings.position_ids"};
    if (fullClipCheckpoint) // a full CLIP checkpoint also carries the text tower, which scoring does not use
        options.ignorePrefixes.insert(options.ignorePrefixes.end(), {"text_model.", "text_projection.", "logit_scale"});
    loadModuleWeights(*model->m_network, *source, options);
    model->m_network->eval();

    model->m_description =
        "CLIP vision tower " + std::to_string(vision.hiddenSize) + " wide, " + std::to_string(vision.numHiddenLayers) +
        " layers, " + std::to_string(vision.numAttentionHeads) + " heads, patch " + std::to_string(vision.patchSize) +
        ", image " + std::to_string(vision.imageSize) + ", projection " + std::to_string(vision.projectionDim) + "; " +
        head.describe() + "; weights " + files.weights + (headPath.empty() ? "" : " + " + headPath);
    return model;
}

std::string AestheticModel::describe() const
{
    return m_description;
}

AestheticTrace AestheticModel::run(const at::Tensor &pixelValues, bool keepHiddenStates)
{
    torch::NoGradGuard noGrad;
    const AestheticOutput out = m_network->forward(pixelValues.to(m_device, at::kFloat), keepHiddenStates);
    const auto cpu = [](const at::Tensor &t) { return t.to(at::kCPU); };
    AestheticTrace trace;
    trace.embeddings = cpu(out.vision.embeddings);
    for (const at::Tensor &h : out.vision.hiddenStates)
        trace.hiddenStates.push_back(cpu(h));
    trace.lastHiddenState = cpu(out.vision.lastHiddenState);
    trace.pooled = cpu(out.vision.pooled);
    trace.imageEmbeds = cpu(out.imageEmbeds);
    trace.normalizedEmbeds = cpu(out.normalizedEmbeds);
    trace.score = cpu(out.score);
    return trace;
}

std::vector<double> AestheticModel::score(const std::vector<RgbImage> &images)
{
    std::vector<double> scores;
    scores.reserve(images.size());
    for (size_t begin = 0; begin < images.size(); begin += kBatchSize) {
        const size_t end = std::min(images.size(), begin + size_t(kBatchSize));
        const std::vector<RgbImage> batch(images.begin() + long(begin), images.begin() + long(end));
        torch::NoGradGuard noGrad;
        const at::Tensor pixels = m_preprocessor.preprocess(batch).to(m_device);
        const at::Tensor result = m_network->forward(pixels).score.to(at::kCPU, at::kDouble).reshape({-1});
        for (int64_t i = 0; i < result.size(0); ++i)
            scores.push_back(result[i].item<double>());
    }
    return scores;
}

} // namespace studio::engine
