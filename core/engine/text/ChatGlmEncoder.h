#pragma once

#include "engine/text/ChatGlmConfig.h"
#include "engine/text/ChatGlmQuantCache.h"
#include "engine/text/ChatGlmTokenizer.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class ChatGlmModel;

// What the Kolors UNet is conditioned on.
struct PromptEmbeddings
{
    at::Tensor promptEmbeds; // [B, L, H]: hidden_states[-2], the output of the second-to-last block, all positions
    at::Tensor pooled;       // [B, H]: the last block's output at the last position (the last real token)
};

// The ChatGLM3 text encoder as Kolors uses it. Loads config.json + weights (single or sharded safetensors,
// pickle .bin shards; with or without the "transformer." key prefix). output_layer and final_layernorm are
// never loaded. Runs in float32 on the CPU, or float16/bfloat16 on CUDA (softmax always in float32).
// Every failure, LibTorch's included (out of memory, CUDA errors), is thrown as an EngineError.
class ChatGlmEncoder
{
public:
    // Throws EngineError naming the file (and tensor) on any problem; nothing is half-loaded. `cancelled` is
    // polled between the tensors (EngineError::Cancelled): quitting never waits for gigabytes of weights.
    // `dtype` is the compute dtype. On the CPU the file's 16-bit weights stay in the memory map (no float32 copy)
    // and each block's pages are given back after it ran. `quantization` 8 or 4 bits quantizes the blocks' Linear
    // weights at load (ChatGlmQuantization.h), kept in its cache folder when one is given (ChatGlmQuantCache.h);
    // 0 keeps them as they are.
    static std::unique_ptr<ChatGlmEncoder> load(const std::string &configPath, const std::string &weightsPath,
                                                c10::ScalarType dtype, c10::Device device,
                                                const QuantizationChoice &quantization = {},
                                                const std::function<bool()> &cancelled = {});
    ~ChatGlmEncoder();

    // In the model's dtype, on its device. Every prompt must have the same length (the tokenizer's maxLength)
    // and ids inside the vocabulary (EngineError::BadArgument otherwise).
    PromptEmbeddings encode(const std::vector<TokenizedPrompt> &batch);
    // All hidden states [B, L, H]: index 0 the embedding output, index i the output of block i (for debugging).
    std::vector<at::Tensor> hiddenStates(const std::vector<TokenizedPrompt> &batch);

    int64_t hiddenSize() const { return m_config.hiddenSize; }
    const ChatGlmConfig &config() const { return m_config; }
    c10::ScalarType dtype() const { return m_dtype; }
    c10::Device device() const { return m_device; }
    int quantBits() const { return m_quantBits; }
    // Whether the quantized weights came from (or went to) the cache file, and why not when it failed.
    const QuantCacheOutcome &quantCache() const { return m_quantCache; }

private:
    ChatGlmEncoder() = default;
    static std::unique_ptr<ChatGlmEncoder> loadUnchecked(const std::string &configPath, const std::string &weightsPath,
                                                         c10::ScalarType dtype, c10::Device device,
                                                         const QuantizationChoice &quantization,
                                                         const std::function<bool()> &cancelled);
    std::vector<at::Tensor> run(const std::vector<TokenizedPrompt> &batch, bool lastTwoOnly);

    ChatGlmConfig m_config;
    std::shared_ptr<ChatGlmModel> m_model;
    c10::ScalarType m_dtype = c10::kFloat;
    c10::Device m_device = c10::kCPU;
    int m_quantBits = 0;
    QuantCacheOutcome m_quantCache;
};

} // namespace studio::engine
