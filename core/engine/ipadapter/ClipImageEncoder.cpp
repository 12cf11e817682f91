#include "engine/ipadapter/ClipImageEncoder.h"

#include "engine/aesthetic/ClipVisionCheckpoint.h"
#include "engine/aesthetic/ClipVisionTransformer.h"
#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {

std::string ipAdapterDownloadHint()
{
    return "download Kwai-Kolors/Kolors-IP-Adapter-Plus (Hugging Face): ip_adapter_plus_general.bin and the "
           "image_encoder/ folder (config.json, preprocessor_config.json, pytorch_model.bin or model.safetensors)";
}

ClipImageEncoderFiles locateClipImageEncoder(const std::string &folder)
{
    std::error_code ec;
    if (!fs::is_directory(fs::u8path(folder), ec))
        throw EngineError(EngineError::Code::MissingFile,
                          "image encoder folder not found: " + folder + " (" + ipAdapterDownloadHint() + ")");
    const fs::path root = fs::u8path(folder);
    ClipImageEncoderFiles files;
    files.folder = folder;
    for (const auto &[member, name] : {std::pair<std::string *, const char *>{&files.config, "config.json"},
                                       {&files.preprocessorConfig, "preprocessor_config.json"}}) {
        const fs::path path = root / name;
        if (!fs::is_regular_file(path, ec))
            throw EngineError(EngineError::Code::MissingFile,
                              "missing file: " + path.u8string() + " (" + ipAdapterDownloadHint() + ")");
        *member = path.u8string();
    }
    files.weights = findWeightFile(folder, "model");
    if (files.weights.empty())
        throw EngineError(EngineError::Code::MissingFile, "missing weights in " + folder +
                                                              ": expected model.safetensors or pytorch_model.bin (" +
                                                              ipAdapterDownloadHint() + ")");
    return files;
}

ClipImageEncoder::ClipImageEncoder(ClipImageEncoderFiles files, const ClipVisionConfig &config,
                                   ImagePreprocessor preprocessor, c10::Device device)
    : m_files(std::move(files)), m_config(config), m_preprocessor(std::move(preprocessor)), m_device(device)
{
}

ClipImageEncoder::~ClipImageEncoder() = default;

std::unique_ptr<ClipImageEncoder> ClipImageEncoder::load(const std::string &folder, c10::Device device)
{
    ClipImageEncoderFiles files = locateClipImageEncoder(folder);
    const nlohmann::json configJson = readJsonFile(files.config);
    const ClipVisionConfig vision = ClipVisionConfig::fromJson(configJson, files.config);
    const bool fullClipCheckpoint = configJson.contains("vision_config") && configJson["vision_config"].is_object();
    ImagePreprocessor preprocessor(ImageProcessorConfig::fromFile(files.preprocessorConfig));
    checkProcessorFitsTower(preprocessor.config(), vision, files.preprocessorConfig, files.config);
    if (vision.numHiddenLayers < 2)
        throw EngineError(EngineError::Code::BadConfig,
                          files.config + ": the IP-Adapter reads the output of the second-to-last encoder layer, so "
                                         "num_hidden_layers must be at least 2, not " +
                              std::to_string(vision.numHiddenLayers));

    const TensorStore weights = TensorStore::open(files.weights);
    checkTowerAgainstWeights(vision, weights, files.config, "image encoder");

    // A parent module so that the tower's parameters are named `vision_model.*`, as in the checkpoint.
    torch::nn::Module holder;
    auto tower = holder.register_module("vision_model", std::make_shared<ClipVisionTransformer>(vision));
    LoadOptions options;
    options.stage = "image encoder";
    options.device = device;
    options.dtype = at::kFloat;
    options.ignorePrefixes = ignoredClipCheckpointPrefixes(fullClipCheckpoint);
    options.ignorePrefixes.push_back("visual_projection."); // CLIPVisionModelWithProjection's; the IP-Adapter skips it
    loadModuleWeights(holder, weights, options);
    tower->eval();

    std::unique_ptr<ClipImageEncoder> encoder(
        new ClipImageEncoder(std::move(files), vision, std::move(preprocessor), device));
    encoder->m_tower = tower;
    return encoder;
}

at::Tensor ClipImageEncoder::pixelValues(const RgbImage &image) const
{
    return m_preprocessor.preprocess({image});
}

at::Tensor ClipImageEncoder::imageEmbeddings(const at::Tensor &pixelValues)
{
    torch::NoGradGuard noGrad;
    return m_tower->hiddenState(pixelValues.to(m_device, at::kFloat), -2).to(at::kCPU);
}

std::vector<at::Tensor> ClipImageEncoder::hiddenStates(const at::Tensor &pixelValues)
{
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> states = m_tower->forward(pixelValues.to(m_device, at::kFloat), true).hiddenStates;
    for (at::Tensor &state : states)
        state = state.to(at::kCPU);
    return states;
}

} // namespace studio::engine
