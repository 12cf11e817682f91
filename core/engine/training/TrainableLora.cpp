#include "engine/training/TrainableLora.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/Layers.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <map>
#include <set>

namespace studio::engine {
namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isTarget(const std::string &name)
{
    if (name.find(".transformer_blocks.") == std::string::npos)
        return false;
    for (const char *attention : {".attn1.", ".attn2."})
        for (const char *leaf : {"to_q", "to_k", "to_v", "to_out.0"})
            if (endsWith(name, std::string(attention) + leaf))
                return true;
    return false;
}

std::string kohyaName(const std::string &sgm)
{
    std::string name = "lora_unet_" + sgm;
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

std::string shapeText(c10::IntArrayRef shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

TrainableLora::TrainableLora(UNet2DConditionModel &unet, const UnetBlockLayout &layout, int rank, double alpha,
                             c10::Device device)
    : m_rank(rank), m_alpha(alpha)
{
    if (rank <= 0)
        throw EngineError(EngineError::Code::BadArgument, "LoRA rank must be positive");
    for (const auto &item : unet.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        if (!isTarget(item.key()))
            continue;
        auto linear = std::dynamic_pointer_cast<layers::Linear>(item.value());
        if (!linear)
            continue;
        Layer layer;
        layer.diffusers = item.key();
        layer.diffsynth = layout.toDiffSynth(layer.diffusers);
        layer.kohya = kohyaName(layout.toSgm(layer.diffusers));
        if (layer.diffsynth.empty() || layout.toSgm(layer.diffusers).empty())
            throw EngineError(EngineError::Code::BadConfig, "UNet layer " + layer.diffusers +
                                                                " has no DiffSynth/kohya name in " +
                                                                layout.configFile());
        layer.linear = linear;
        layer.adapter = std::make_shared<layers::LowRankAdapter>();
        const auto options = at::TensorOptions().dtype(at::kFloat).device(device);
        layer.adapter->down = at::zeros({rank, linear->inFeatures()}, options).requires_grad_(true);
        layer.adapter->up = at::zeros({linear->outFeatures(), rank}, options).requires_grad_(true);
        layer.adapter->scale = alpha / double(rank);
        m_layers.push_back(std::move(layer));
    }
    if (m_layers.empty())
        throw EngineError(EngineError::Code::BadConfig, "the UNet has no attention layers to train a LoRA on");
    std::sort(m_layers.begin(), m_layers.end(),
              [](const Layer &a, const Layer &b) { return a.diffsynth < b.diffsynth; });
    for (const Layer &layer : m_layers)
        layer.linear->setAdapter(layer.adapter);
}

TrainableLora::~TrainableLora()
{
    for (const Layer &layer : m_layers)
        layer.linear->setAdapter(nullptr);
}

void TrainableLora::initGaussian(uint64_t seed)
{
    // A generator of its own, seeded apart from the training generator.
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed ^ 0x9E3779B97F4A7C15ull);
    at::NoGradGuard noGrad;
    for (const Layer &layer : m_layers) {
        at::Tensor a = at::empty(layer.adapter->down.sizes(), at::kFloat);
        a.normal_(0.0, 1.0 / double(m_rank), generator);
        layer.adapter->down.copy_(a);
        layer.adapter->up.zero_();
    }
}

void TrainableLora::initFromFile(const std::string &path)
{
    const TensorStore store = TensorStore::open(path);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const std::string &name : store.names())
        tensors.emplace_back(name, store.get(name));
    assign(tensors, path);
}

void TrainableLora::assign(const std::vector<std::pair<std::string, at::Tensor>> &tensors, const std::string &label)
{
    std::map<std::string, at::Tensor> byName(tensors.begin(), tensors.end());
    std::string problems;
    int shown = 0;
    auto problem = [&](const std::string &text) {
        if (shown++ < 12)
            problems += "\n  " + text;
    };
    std::set<std::string> expected;
    for (const Layer &layer : m_layers) {
        for (const bool down : {true, false}) {
            const std::string key = layer.diffsynth + (down ? ".lora_A.default.weight" : ".lora_B.default.weight");
            expected.insert(key);
            const auto it = byName.find(key);
            if (it == byName.end()) {
                problem("missing " + key);
                continue;
            }
            const at::Tensor &target = down ? layer.adapter->down : layer.adapter->up;
            if (it->second.sizes() != target.sizes())
                problem(key + " has shape " + shapeText(it->second.sizes()) + ", this UNet with rank " +
                        std::to_string(m_rank) + " needs " + shapeText(target.sizes()));
            else if (!it->second.is_floating_point())
                problem(key + " is not a floating-point tensor");
            else if (!at::isfinite(it->second).all().item<bool>())
                problem(key + " holds NaN or infinite values");
        }
    }
    for (const auto &[name, tensor] : byName)
        if (!expected.count(name))
            problem("unexpected " + name + " (not a LoRA layer of this UNet in DiffSynth naming)");
    if (shown > 0)
        throw EngineError(EngineError::Code::BadFile,
                          label + ": not a DiffSynth LoRA of rank " + std::to_string(m_rank) + " for this UNet (" +
                              std::to_string(shown) + " problems):" + problems);
    at::NoGradGuard noGrad;
    for (const Layer &layer : m_layers) {
        layer.adapter->down.copy_(byName.at(layer.diffsynth + ".lora_A.default.weight"));
        layer.adapter->up.copy_(byName.at(layer.diffsynth + ".lora_B.default.weight"));
    }
}

std::vector<at::Tensor> TrainableLora::parameters() const
{
    std::vector<at::Tensor> params;
    for (const Layer &layer : m_layers) {
        params.push_back(layer.adapter->down);
        params.push_back(layer.adapter->up);
    }
    return params;
}

int64_t TrainableLora::parameterCount() const
{
    int64_t count = 0;
    for (const at::Tensor &p : parameters())
        count += p.numel();
    return count;
}

std::vector<std::pair<std::string, at::Tensor>> TrainableLora::diffsynthTensors() const
{
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const Layer &layer : m_layers) {
        out.emplace_back(layer.diffsynth + ".lora_A.default.weight", layer.adapter->down.detach().cpu().clone());
        out.emplace_back(layer.diffsynth + ".lora_B.default.weight", layer.adapter->up.detach().cpu().clone());
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

std::vector<std::pair<std::string, at::Tensor>> TrainableLora::kohyaTensors() const
{
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const Layer &layer : m_layers) {
        out.emplace_back(layer.kohya + ".lora_down.weight", layer.adapter->down.detach().cpu().clone());
        out.emplace_back(layer.kohya + ".lora_up.weight", layer.adapter->up.detach().cpu().clone());
        out.emplace_back(layer.kohya + ".alpha", at::scalar_tensor(m_alpha, at::kFloat));
    }
    return out;
}

} // namespace studio::engine
