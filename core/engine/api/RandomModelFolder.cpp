#include "engine/api/RandomModelFolder.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/AutoencoderKL.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/text/ChatGlmConfig.h"
#include "engine/text/ChatGlmModel.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/accumulate.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

using Shapes = std::vector<std::pair<std::string, std::vector<int64_t>>>;

Shapes parameterShapes(const torch::nn::Module &module, const std::string &prefix = {})
{
    Shapes shapes;
    for (const auto &item : module.named_parameters(/*recurse=*/true))
        shapes.emplace_back(prefix + item.key(), item.value().sizes().vec());
    return shapes;
}

// Normal draws are the slow part of writing 9 billion values: draw 2^24 once and give every tensor a slice of
// them from a random starting point (wrapping around), scaled to its fan-in. Statistically this is plenty for a
// network whose outputs only need to stay finite and of the right scale.
class RandomPool
{
public:
    explicit RandomPool(uint64_t seed) : m_generator(at::make_generator<at::CPUGeneratorImpl>(seed))
    {
        m_values = at::randn({int64_t(1) << 24}, m_generator, at::TensorOptions().dtype(at::kFloat));
    }
    at::Tensor normal(int64_t count, double scale)
    {
        const int64_t size = m_values.numel();
        int64_t start = at::randint(size, {1}, m_generator, at::TensorOptions().dtype(at::kLong)).item<int64_t>();
        at::Tensor out = at::empty({count}, at::kHalf);
        for (int64_t done = 0; done < count;) {
            const int64_t n = std::min(count - done, size - start);
            out.narrow(0, done, n).copy_(m_values.narrow(0, start, n) * scale);
            done += n;
            start = 0;
        }
        return out;
    }

private:
    at::Generator m_generator;
    at::Tensor m_values;
};

// Norm scales 1, biases 0, other weights N(0, 1/fan_in) (as fillRandomWeights), stored as float16.
at::Tensor randomValue(const std::string &name, const std::vector<int64_t> &shape, RandomPool &pool)
{
    const bool bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (bias)
        return at::zeros(shape, at::kHalf);
    if (shape.size() == 1)
        return at::ones(shape, at::kHalf);
    const int64_t count = c10::multiply_integers(shape);
    const int64_t fanIn = std::max<int64_t>(1, count / std::max<int64_t>(1, shape[0]));
    return pool.normal(count, 1.0 / std::sqrt(double(fanIn))).view(shape);
}

void writeJson(const fs::path &path, const nlohmann::json &json)
{
    std::ofstream out(path);
    out << json.dump(2) << "\n";
    if (!out.flush())
        throw EngineError(EngineError::Code::Io, "cannot write " + path.u8string());
}

// A float16 safetensors file written tensor by tensor: the 5 GB UNet never sits in memory whole.
void writeRandomSafetensors(const fs::path &path, const Shapes &shapes, RandomPool &generator)
{
    std::vector<SafetensorsLayout> layout;
    for (const auto &[name, shape] : shapes)
        layout.push_back({name, at::kHalf, shape});
    writeSafetensorsStreaming(path.u8string(), std::move(layout), [&](const SafetensorsLayout &entry) {
        return randomValue(entry.name, entry.shape, generator);
    });
}

// The ChatGLM3 checkpoint as Hugging Face ships it: "transformer."-prefixed float16 tensors in `shardCount`
// torch.save shards of about equal size, and the index naming each tensor's shard.
void writeTextEncoder(const fs::path &dir, const nlohmann::json &config, int shardCount, RandomPool &generator,
                      const std::function<void(const std::string &)> &written)
{
    writeJson(dir / "config.json", config);
    const ChatGlmConfig c = ChatGlmConfig::fromFile((dir / "config.json").u8string());
    const ChatGlmModel model(c);
    Shapes shapes = parameterShapes(model, "transformer.");
    shapes.emplace_back("transformer.encoder.final_layernorm.weight", std::vector<int64_t>{c.hiddenSize});
    shapes.emplace_back("transformer.output_layer.weight", std::vector<int64_t>{c.vocabSize, c.hiddenSize});
    int64_t total = 0;
    for (const auto &entry : shapes)
        total += c10::multiply_integers(entry.second) * 2;
    const int64_t target = total / shardCount + 1;

    nlohmann::json weightMap = nlohmann::json::object();
    size_t next = 0;
    for (int shard = 1; shard <= shardCount; ++shard) {
        char name[64];
        std::snprintf(name, sizeof name, "pytorch_model-%05d-of-%05d.bin", shard, shardCount);
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        int64_t bytes = 0;
        while (next < shapes.size() && (bytes < target || shard == shardCount)) {
            const auto &[key, shape] = shapes[next++];
            tensors.emplace_back(key, randomValue(key, shape, generator));
            bytes += c10::multiply_integers(shape) * 2;
            weightMap[key] = name;
        }
        if (shard == 1) { // the stored rotary frequencies, float16 as in the real checkpoint
            const int64_t dim = c.rotaryDim();
            tensors.emplace_back("transformer.rotary_pos_emb.inv_freq",
                                 at::reciprocal(at::pow(10000.0, at::arange(0, dim, 2, at::kFloat) / double(dim)))
                                     .to(at::kHalf));
            weightMap["transformer.rotary_pos_emb.inv_freq"] = name;
        }
        writeTorchSave((dir / name).u8string(), tensors, "pytorch_model", /*keepHalfDtypes=*/true);
        if (written)
            written((dir / name).u8string());
    }
    writeJson(dir / "pytorch_model.bin.index.json", {{"metadata", {{"total_size", total}}}, {"weight_map", weightMap}});
}

} // namespace

void writeRandomModelFolder(const RandomModelFolderOptions &options)
{
    const bool kolors = options.which == "kolors";
    if (!kolors && options.which != "tiny")
        throw EngineError(EngineError::Code::BadArgument,
                          "unknown random model \"" + options.which + "\" (kolors or tiny)");
    std::error_code ec;
    if (!fs::is_regular_file(fs::u8path(options.tokenizerModel), ec))
        throw EngineError(EngineError::Code::MissingFile, "missing file: " + options.tokenizerModel);
    const fs::path root = fs::u8path(options.dir);
    if (fs::exists(root / "model_index.json", ec))
        throw EngineError(EngineError::Code::BadArgument, options.dir + " already holds a model");
    for (const char *sub : {"text_encoder", "unet", "vae", "scheduler"}) {
        fs::create_directories(root / sub, ec);
        if (ec)
            throw EngineError(EngineError::Code::Io, "cannot create " + (root / sub).u8string());
    }
    torch::NoGradGuard noGrad;
    const BuiltInModel model = kolors ? BuiltInModel::Kolors : BuiltInModel::Tiny;
    RandomPool generator(options.seed);
    const auto written = [&](const fs::path &path) {
        if (options.onFileWritten)
            options.onFileWritten(path.u8string());
    };

    writeJson(root / "model_index.json", {{"_class_name", "KolorsPipeline"},
                                          {"force_zeros_for_empty_prompt", false},
                                          {"scheduler", {"diffusers", "EulerDiscreteScheduler"}},
                                          {"text_encoder", {"kolors", "ChatGLMModel"}},
                                          {"tokenizer", {"kolors", "ChatGLMTokenizer"}},
                                          {"unet", {"diffusers", "UNet2DConditionModel"}},
                                          {"vae", {"diffusers", "AutoencoderKL"}}});
    writeJson(root / "scheduler" / "scheduler_config.json", builtInSchedulerConfig(model));
    fs::copy_file(fs::u8path(options.tokenizerModel), root / "text_encoder" / "tokenizer.model",
                  fs::copy_options::overwrite_existing, ec);
    if (ec)
        throw EngineError(EngineError::Code::Io, "cannot copy " + options.tokenizerModel);

    nlohmann::json textConfig = builtInTextEncoderConfig(model);
    textConfig["torch_dtype"] = "float16";
    writeTextEncoder(root / "text_encoder", textConfig, kolors ? 7 : 2, generator, written);

    const nlohmann::json unetConfig = builtInUNetConfig(model);
    writeJson(root / "unet" / "config.json", unetConfig);
    const UNet2DConditionModel unet(UNetConfig::fromJson(unetConfig, "built-in UNet config"));
    writeRandomSafetensors(root / "unet" / "diffusion_pytorch_model.fp16.safetensors", parameterShapes(unet), generator);
    written(root / "unet" / "diffusion_pytorch_model.fp16.safetensors");

    const nlohmann::json vaeConfig = builtInVaeConfig(model);
    writeJson(root / "vae" / "config.json", vaeConfig);
    const AutoencoderKL vae(VaeConfig::fromJson(vaeConfig, "built-in VAE config"));
    writeRandomSafetensors(root / "vae" / "diffusion_pytorch_model.fp16.safetensors", parameterShapes(vae), generator);
    written(root / "vae" / "diffusion_pytorch_model.fp16.safetensors");
}

} // namespace studio::engine
