#include "engine/text/ChatGlmEncoder.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"
#include "engine/text/ChatGlmModel.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

namespace studio::engine {
namespace {

// Original ChatGLM3/Kolors checkpoints name everything "transformer.xxx"; save_pretrained() files do not.
const char *const kPrefix = "transformer.";

at::Tensor stackRows(const std::vector<TokenizedPrompt> &batch, std::vector<int64_t> TokenizedPrompt::*field)
{
    const int64_t length = int64_t((batch.front().*field).size());
    at::Tensor out = at::empty({int64_t(batch.size()), length}, at::kLong);
    for (size_t row = 0; row < batch.size(); ++row)
        std::copy((batch[row].*field).begin(), (batch[row].*field).end(), out[int64_t(row)].data_ptr<int64_t>());
    return out;
}

// The checkpoint's rotary_pos_emb.inv_freq is recomputed from config.json rather than loaded; a stored one that
// disagrees means a config/weights mismatch (or a RoPE variant, e.g. rope_ratio, that Kolors does not use).
void checkStoredRotary(const TensorStore &store, const ChatGlmConfig &config)
{
    const char *name = "rotary_pos_emb.inv_freq";
    const TensorInfo *info = store.find(name);
    if (!info)
        return;
    const at::Tensor expected =
        at::reciprocal(at::pow(10000.0, at::arange(0, config.rotaryDim(), 2, at::kFloat) / double(config.rotaryDim())));
    const at::Tensor stored = store.get(name).to(at::kFloat).reshape({-1});
    if (stored.numel() != expected.numel() || !at::allclose(stored, expected, /*rtol=*/2e-3, /*atol=*/1e-6))
        throw EngineError(EngineError::Code::BadConfig,
                          "text encoder: tensor \"" + std::string(name) + "\" in " + info->file +
                              " does not match kv_channels " + std::to_string(config.kvChannels) + " of " +
                              config.path + " (" + std::to_string(stored.numel()) + " frequencies, expected " +
                              std::to_string(expected.numel()) + ")");
}

} // namespace

ChatGlmEncoder::~ChatGlmEncoder() = default;

std::unique_ptr<ChatGlmEncoder> ChatGlmEncoder::load(const std::string &configPath, const std::string &weightsPath,
                                                     c10::ScalarType dtype, c10::Device device,
                                                     const QuantizationChoice &quantization,
                                                     const std::function<bool()> &cancelled)
{
    const int quantBits = quantization.bits;
    if (quantBits != 0 && quantBits != 4 && quantBits != 8)
        throw EngineError(EngineError::Code::BadArgument,
                          "text encoder quantization must be none, int8 or int4, not " + std::to_string(quantBits) +
                              " bits");
    if (dtype != c10::kFloat && dtype != c10::kHalf && dtype != c10::kBFloat16)
        throw EngineError(EngineError::Code::BadArgument,
                          std::string("text encoder dtype must be float32, float16 or bfloat16, not ") +
                              c10::toString(dtype));
    // LibTorch 1.13 has no float16 matrix products on the CPU.
    if (dtype == c10::kHalf && device.is_cpu())
        throw EngineError(EngineError::Code::BadArgument,
                          "the text encoder runs in float16 only on CUDA; use float32 (or bfloat16) on the CPU");
    try {
        return loadUnchecked(configPath, weightsPath, dtype, device, quantization, cancelled);
    } catch (...) {
        rethrowAsEngineError("text encoder");
    }
}

std::unique_ptr<ChatGlmEncoder> ChatGlmEncoder::loadUnchecked(const std::string &configPath,
                                                              const std::string &weightsPath, c10::ScalarType dtype,
                                                              c10::Device device,
                                                              const QuantizationChoice &quantization,
                                                              const std::function<bool()> &cancelled)
{
    const int quantBits = quantization.bits;
    std::unique_ptr<ChatGlmEncoder> encoder(new ChatGlmEncoder());
    encoder->m_config = ChatGlmConfig::fromFile(configPath);
    encoder->m_dtype = dtype;
    encoder->m_device = device;
    encoder->m_quantBits = quantBits;
    encoder->m_model = std::make_shared<ChatGlmModel>(encoder->m_config);

    TensorStore store = TensorStore::open(weightsPath);
    if (store.anyNameStartsWith(kPrefix))
        store = store.withPrefixStripped(kPrefix);
    checkStoredRotary(store, encoder->m_config);
    LoadOptions options;
    options.stage = "text encoder";
    // Present in the checkpoint, not used by Kolors (rotary frequencies are computed from the config).
    options.ignorePrefixes = {"output_layer.", "encoder.final_layernorm.", "rotary_pos_emb."};
    options.dtype = dtype;
    // Quantizing reads the file's weights where they lie (CPU) and sends only the integers to the device.
    options.device = quantBits ? c10::Device(c10::kCPU) : device;
    options.keepStoredFloats = true; // on the CPU: the 16-bit file stays mapped, no float32 copy
    options.cancelled = cancelled;
    loadModuleWeights(*encoder->m_model, store, options);
    ChatGlmModel &model = *encoder->m_model;
    model.setComputeDtype(dtype);
    if (quantBits) {
        encoder->m_quantCache = quantizeTextEncoder(model, store, quantization, device, cancelled);
        if (!device.is_cpu()) // embeddings, norms and biases follow, in the compute dtype
            for (at::Tensor &p : model.parameters())
                if (p.numel() > 0)
                    p.set_data(p.to(device, dtype));
    }
    model.setReleaseUsedPages(device.is_cpu());
    model.eval();
    return encoder;
}

std::vector<at::Tensor> ChatGlmEncoder::run(const std::vector<TokenizedPrompt> &batch, bool lastTwoOnly)
{
    if (batch.empty())
        throw EngineError(EngineError::Code::BadArgument, "no prompt to encode");
    const size_t length = batch.front().inputIds.size();
    if (length == 0)
        throw EngineError(EngineError::Code::BadArgument, "empty token sequence");
    for (const TokenizedPrompt &prompt : batch) {
        if (prompt.inputIds.size() != length || prompt.attentionMask.size() != length ||
            prompt.positionIds.size() != length)
            throw EngineError(EngineError::Code::BadArgument, "prompts of one batch must have the same token length");
        for (size_t i = 0; i < length; ++i) {
            if (prompt.inputIds[i] < 0 || prompt.inputIds[i] >= m_config.vocabSize)
                throw EngineError(EngineError::Code::BadArgument, "token id " + std::to_string(prompt.inputIds[i]) +
                                                                      " is outside the text encoder's vocabulary of " +
                                                                      std::to_string(m_config.vocabSize));
            if (prompt.positionIds[i] < 0)
                throw EngineError(EngineError::Code::BadArgument, "negative position id");
        }
    }
    try {
        torch::NoGradGuard noGrad;
        const at::Tensor ids = stackRows(batch, &TokenizedPrompt::inputIds).to(m_device);
        const at::Tensor mask = stackRows(batch, &TokenizedPrompt::attentionMask).to(m_device);
        const at::Tensor positions = stackRows(batch, &TokenizedPrompt::positionIds).to(m_device);
        return m_model->forward(ids, mask, positions, lastTwoOnly);
    } catch (...) {
        rethrowAsEngineError("text encoder");
    }
}

PromptEmbeddings ChatGlmEncoder::encode(const std::vector<TokenizedPrompt> &batch)
{
    const std::vector<at::Tensor> states = run(batch, /*lastTwoOnly=*/true);
    const at::Tensor &last = states.back();
    return {states[states.size() - 2], last.select(1, last.size(1) - 1).contiguous()};
}

std::vector<at::Tensor> ChatGlmEncoder::hiddenStates(const std::vector<TokenizedPrompt> &batch)
{
    return run(batch, /*lastTwoOnly=*/false);
}

} // namespace studio::engine
