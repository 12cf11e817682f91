#include "engine/aesthetic/AestheticModel.h"

#include "engine/aesthetic/AestheticPredictor.h"
#include "engine/aesthetic/ClipVisionCheckpoint.h"
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

std::unique_ptr<AestheticModel> AestheticModel::load(const AestheticModelFiles &files, c10::Device device,
                                                     const std::function<bool()> &cancelled)
{
    const nlohmann::json configJson = readJsonFile(files.config);
    const ClipVisionConfig vision = ClipVisionConfig::fromJson(configJson, files.config);
    const bool fullClipCheckpoint = configJson.contains("vision_config") && configJson["vision_config"].is_object();
    ImagePreprocessor preprocessor(ImageProcessorConfig::fromFile(files.preprocessorConfig));
    checkProcessorFitsTower(preprocessor.config(), vision, files.preprocessorConfig, files.config);

    const TensorStore weights = TensorStore::open(files.weights);
    checkTowerAgainstWeights(vision, weights, files.config, "aesthetic predictor");

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
    options.cancelled = cancelled;
    options.dtype = at::kFloat;
    // A full CLIP checkpoint also carries the text tower, which scoring does not use.
    options.ignorePrefixes = ignoredClipCheckpointPrefixes(fullClipCheckpoint);
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
