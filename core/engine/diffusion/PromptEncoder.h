#pragma once

#include "engine/text/ChatGlmEncoder.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <functional>
#include <memory>
#include <string>

namespace studio::engine {

class ChatGlmModel;
class ChatGlmTokenizer;

// Turns one prompt into the UNet's conditioning (prompt_embeds [1, L, H] and pooled [1, H]). The pipeline
// depends on this interface only, so the benchmark can plug in a random-weight ChatGLM and tests a fake.
class PromptEncoder
{
public:
    virtual ~PromptEncoder() = default;
    virtual PromptEmbeddings encode(const std::string &prompt) = 0;
    // Frees the network's memory; the next encode() loads it again. No-op when there is nothing to free.
    virtual void release() {}
    virtual bool isLoaded() const { return true; }
    // Polled while encode() loads the network (EngineError::Cancelled); empty: never cancelled.
    void setCancelCheck(std::function<bool()> cancelled) { m_cancelled = std::move(cancelled); }

protected:
    std::function<bool()> m_cancelled;
};

// The real text side: the ChatGLM3 tokenizer (kept) and text encoder (loaded on first use, released on request).
// Prompts are encoded one at a time, as diffusers' encode_prompt does for the positive and the negative prompt.
class ChatGlmPromptEncoder : public PromptEncoder
{
public:
    ChatGlmPromptEncoder(std::shared_ptr<ChatGlmTokenizer> tokenizer, std::string configPath, std::string weightsPath,
                         c10::ScalarType dtype, c10::Device device, QuantizationChoice quantization = {});
    ~ChatGlmPromptEncoder() override;
    PromptEmbeddings encode(const std::string &prompt) override;
    void release() override;
    bool isLoaded() const override { return m_encoder != nullptr; }

private:
    std::shared_ptr<ChatGlmTokenizer> m_tokenizer;
    std::string m_configPath, m_weightsPath;
    c10::ScalarType m_dtype;
    c10::Device m_device;
    QuantizationChoice m_quantization;
    std::unique_ptr<ChatGlmEncoder> m_encoder;
};

// A ChatGLM3 network with random weights fed synthetic token ids ([gMASK] sop + `realTokens` ids, left-padded
// to 256): same shapes and cost as the real encoder, for `storyboard bench --random`.
class RandomChatGlmPromptEncoder : public PromptEncoder
{
public:
    RandomChatGlmPromptEncoder(const std::string &configPath, c10::ScalarType dtype, c10::Device device,
                               int realTokens = 64);
    ~RandomChatGlmPromptEncoder() override;
    PromptEmbeddings encode(const std::string &prompt) override;
    // Parameters of the network a config describes (nothing is allocated).
    static int64_t parameterCount(const std::string &configPath);

private:
    std::shared_ptr<ChatGlmModel> m_model;
    c10::Device m_device;
    int m_realTokens;
};

} // namespace studio::engine
