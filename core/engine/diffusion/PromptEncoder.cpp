#include "engine/diffusion/PromptEncoder.h"

#include "engine/diffusion/RandomWeights.h"
#include "engine/text/ChatGlmModel.h"
#include "engine/text/ChatGlmTokenizer.h"
#include "engine/text/WeightedPrompt.h"

#include <ATen/ATen.h>
#include <cstdio>
#include <torch/csrc/autograd/grad_mode.h>

namespace studio::engine {

ChatGlmPromptEncoder::ChatGlmPromptEncoder(std::shared_ptr<ChatGlmTokenizer> tokenizer, std::string configPath,
                                           std::string weightsPath, c10::ScalarType dtype, c10::Device device,
                                           QuantizationChoice quantization)
    : m_tokenizer(std::move(tokenizer)), m_configPath(std::move(configPath)), m_weightsPath(std::move(weightsPath)),
      m_dtype(dtype), m_device(device), m_quantization(std::move(quantization))
{
}

ChatGlmPromptEncoder::~ChatGlmPromptEncoder() = default;

PromptEmbeddings ChatGlmPromptEncoder::encode(const std::string &prompt)
{
    const WeightedTokens tokens = tokenizeWeighted(*m_tokenizer, prompt); // a bad weight fails before loading
    if (!m_encoder) {
        m_encoder = ChatGlmEncoder::load(m_configPath, m_weightsPath, m_dtype, m_device, m_quantization, m_cancelled);
        const QuantCacheOutcome &cache = m_encoder->quantCache();
        if (cache.use == QuantCacheUse::Fallback) // it still runs, with the quantized weights in private memory
            std::fprintf(stderr, "storyboard: the quantized text encoder is not kept in %s (%s); quantized in memory\n",
                         cache.path.c_str(), cache.problem.c_str());
    }
    return encodeWeighted(*m_encoder, tokens);
}

void ChatGlmPromptEncoder::release()
{
    m_encoder.reset();
}

RandomChatGlmPromptEncoder::RandomChatGlmPromptEncoder(const std::string &configPath, c10::ScalarType dtype,
                                                       c10::Device device, int realTokens)
    : m_device(device), m_realTokens(realTokens)
{
    m_model = std::make_shared<ChatGlmModel>(ChatGlmConfig::fromFile(configPath));
    fillRandomWeights(*m_model, dtype, device, /*seed=*/1);
}

RandomChatGlmPromptEncoder::~RandomChatGlmPromptEncoder() = default;

int64_t RandomChatGlmPromptEncoder::parameterCount(const std::string &configPath)
{
    const ChatGlmModel model(ChatGlmConfig::fromFile(configPath)); // storage-less placeholders
    int64_t count = 0;
    for (const at::Tensor &p : model.parameters())
        count += p.numel();
    return count;
}

PromptEmbeddings RandomChatGlmPromptEncoder::encode(const std::string &)
{
    torch::NoGradGuard noGrad;
    const int64_t length = 256;
    const int64_t vocab = m_model->config().vocabSize;
    const int64_t real = std::min<int64_t>(m_realTokens, length);
    at::Tensor ids = at::zeros({1, length}, at::kLong);
    at::Tensor mask = at::zeros({1, length}, at::kLong);
    at::Tensor positions = at::zeros({1, length}, at::kLong);
    ids.slice(1, length - real) = at::randint(vocab, {1, real}, at::kLong);
    mask.slice(1, length - real) = 1;
    positions.slice(1, length - real) = at::arange(real, at::kLong).unsqueeze(0);
    const std::vector<at::Tensor> states =
        m_model->forward(ids.to(m_device), mask.to(m_device), positions.to(m_device), /*lastTwoOnly=*/true);
    PromptEmbeddings out;
    out.promptEmbeds = states[states.size() - 2];
    out.pooled = states.back().select(1, length - 1);
    return out;
}

} // namespace studio::engine
