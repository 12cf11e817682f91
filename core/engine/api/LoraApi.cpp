#include "engine/api/LoraApi.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/TensorStore.h"
#include "engine/lora/LoraBinding.h"
#include "engine/lora/LoraFile.h"
#include "engine/lora/LoraTargetMap.h"
#include "engine/lora/Sha256.h"
#include "engine/lora/UnetBlockLayout.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace studio::engine {

const char *const kLoraScaleRule =
    "--lora-scale S is your multiplier. A LoRA file that carries alpha (kohya/civitai .safetensors, diffusers "
    "network alphas) is merged at S x alpha / rank; a file without alpha (DiffSynth-Studio's .ckpt) is merged at S. "
    "The challenge baseline (DiffSynth .ckpt loaded by peft with r=16, lora_alpha=2.0) is --lora-scale 0.125.";

namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The leaf module a layer name ends in, in diffusers naming, whatever the scheme ('.' or '_' separated).
std::string leafModule(std::string name)
{
    std::replace(name.begin(), name.end(), '.', '_');
    name = "_" + name;
    static const std::pair<const char *, const char *> kLeaves[] = {
        {"_to_q", "to_q"},
        {"_to_k", "to_k"},
        {"_to_v", "to_v"},
        {"_to_out_0", "to_out.0"},
        {"_to_out", "to_out.0"}, // DiffSynth
        {"_ff_net_0_proj", "ff.net.0.proj"},
        {"_act_fn_proj", "ff.net.0.proj"}, // DiffSynth
        {"_ff_net_2", "ff.net.2"},
        {"_ff", "ff.net.2"}, // DiffSynth
        {"_proj_in", "proj_in"},
        {"_proj_out", "proj_out"},
        {"_conv1", "conv1"},
        {"_in_layers_2", "conv1"},
        {"_conv2", "conv2"},
        {"_out_layers_3", "conv2"},
        {"_time_emb_proj", "time_emb_proj"},
        {"_emb_layers_1", "time_emb_proj"},
        {"_conv_shortcut", "conv_shortcut"},
        {"_skip_connection", "conv_shortcut"},
        {"_downsamplers_0_conv", "downsamplers.0.conv"},
        {"_op", "downsamplers.0.conv"},
        {"_upsamplers_0_conv", "upsamplers.0.conv"},
    };
    for (const auto &[suffix, leaf] : kLeaves)
        if (endsWith(name, suffix))
            return leaf;
    const size_t cut = name.find_last_of('_');
    return name.substr(cut + 1);
}

std::string number(double value)
{
    std::ostringstream out;
    out.precision(10);
    out << value;
    return out.str();
}

// The UNet of a Kolors model folder (every layout locateKolorsModel accepts) or of a unet folder given directly.
struct UnetFiles
{
    nlohmann::json config;
    std::string configFile; // for messages; "built-in Kolors UNet config" when the folder has none (DiffSynth)
    std::string weights;
};

UnetFiles locateUnet(const std::string &modelDir)
{
    const fs::path dir(modelDir);
    std::error_code error;
    const bool unetFolder =
        fs::is_regular_file(dir / "config.json", error) && !fs::is_regular_file(dir / "model_index.json", error);
    if (!unetFolder) {
        const KolorsModelPaths paths = locateKolorsModel(modelDir);
        if (paths.unetConfig.empty())
            return {builtInUNetConfig(BuiltInModel::Kolors), "built-in Kolors UNet config", paths.unetWeights};
        return {readJsonFile(paths.unetConfig), paths.unetConfig, paths.unetWeights};
    }
    for (const char *name :
         {"diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
          "diffusion_pytorch_model.safetensors.index.json", "diffusion_pytorch_model.fp16.safetensors.index.json"}) {
        if (fs::is_regular_file(dir / name, error))
            return {readJsonFile((dir / "config.json").string()), (dir / "config.json").string(), (dir / name).string()};
    }
    throw EngineError(EngineError::Code::MissingFile,
                      "no UNet weights in " + dir.string() + " (diffusion_pytorch_model[.fp16].safetensors)");
}

} // namespace

LoraInfo inspectLora(const std::string &path, double scale, const std::string &modelDir)
{
    if (!std::isfinite(scale))
        throw EngineError(EngineError::Code::BadArgument, "the LoRA scale must be a finite number");
    const LoraFile lora = LoraFile::load(path);
    LoraInfo info;
    info.path = path;
    info.fileName = fs::path(path).filename().string();
    info.fileSize = fs::file_size(path);
    info.sha256 = Sha256::fileHex(path);
    info.format = loraFormatName(lora.format());
    info.layerCount = lora.pairs().size();
    info.tensorCount = lora.tensorCount();
    info.scale = scale;

    std::vector<std::string> layerNames;
    for (const LoraPair &pair : lora.pairs())
        layerNames.push_back(pair.stem);
    if (!modelDir.empty()) {
        const UnetFiles unet = locateUnet(modelDir);
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(unet.config, unet.configFile);
        const LoraBinding binding =
            LoraBinding::bind(lora, LoraTargetMap::forStore(layout, TensorStore::open(unet.weights)));
        layerNames.clear();
        for (const LoraBinding::Layer &layer : binding.layers)
            layerNames.push_back(layer.parameter.substr(0, layer.parameter.size() - std::string(".weight").size()));
        info.checkedAgainst = unet.configFile;
    }
    std::set<std::string> leaves;
    for (const std::string &name : layerNames)
        leaves.insert(leafModule(name));
    info.targetModules.assign(leaves.begin(), leaves.end());

    std::set<int64_t> ranks;
    std::set<double> alphas;
    size_t withAlpha = 0;
    info.effectiveScaleMin = info.effectiveScaleMax = lora.pairs().front().effectiveScale(scale);
    for (const LoraPair &pair : lora.pairs()) {
        ranks.insert(pair.rank);
        if (pair.alpha) {
            ++withAlpha;
            alphas.insert(*pair.alpha);
        }
        info.effectiveScaleMin = std::min(info.effectiveScaleMin, pair.effectiveScale(scale));
        info.effectiveScaleMax = std::max(info.effectiveScaleMax, pair.effectiveScale(scale));
    }
    info.ranks.assign(ranks.begin(), ranks.end());
    info.rank = ranks.size() == 1 ? *ranks.begin() : 0;
    info.alphaInFile = withAlpha > 0;
    if (withAlpha == lora.pairs().size() && alphas.size() == 1)
        info.alpha = *alphas.begin();
    if (info.effectiveScaleMin == info.effectiveScaleMax)
        info.effectiveScale = info.effectiveScaleMin;

    if (withAlpha == 0)
        info.scaleRule = "effective scale = lora-scale " + number(scale) + " (the file carries no alpha)";
    else if (info.alpha && info.rank > 0)
        info.scaleRule = "effective scale = lora-scale " + number(scale) + " x alpha " + number(*info.alpha) +
                         " / rank " + std::to_string(info.rank) + " = " + number(*info.effectiveScale);
    else
        info.scaleRule = "effective scale per layer = lora-scale " + number(scale) +
                         " x alpha / rank (or lora-scale where a layer has no alpha), from " +
                         number(info.effectiveScaleMin) + " to " + number(info.effectiveScaleMax);
    return info;
}

std::string loraInfoToJson(const LoraInfo &info)
{
    nlohmann::ordered_json json;
    json["file"] = info.path;
    json["fileName"] = info.fileName;
    json["fileSize"] = info.fileSize;
    json["sha256"] = info.sha256;
    json["format"] = info.format;
    json["rank"] = info.rank > 0 ? nlohmann::ordered_json(info.rank) : nlohmann::ordered_json();
    json["ranks"] = info.ranks;
    json["alpha"] = info.alpha ? nlohmann::ordered_json(*info.alpha) : nlohmann::ordered_json();
    json["alphaInFile"] = info.alphaInFile;
    json["scale"] = info.scale;
    json["effectiveScale"] =
        info.effectiveScale ? nlohmann::ordered_json(*info.effectiveScale) : nlohmann::ordered_json();
    json["effectiveScaleMin"] = info.effectiveScaleMin;
    json["effectiveScaleMax"] = info.effectiveScaleMax;
    json["scaleRule"] = info.scaleRule;
    json["targetModules"] = info.targetModules;
    json["layerCount"] = info.layerCount;
    json["tensorCount"] = info.tensorCount;
    json["checkedAgainst"] =
        info.checkedAgainst.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(info.checkedAgainst);
    return json.dump(2, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace studio::engine
