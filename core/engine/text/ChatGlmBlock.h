#pragma once

#include "engine/text/ChatGlmMlp.h"
#include "engine/text/ChatGlmRmsNorm.h"
#include "engine/text/ChatGlmSelfAttention.h"

#include <memory>

namespace studio::engine {

// One pre-norm GLM block: x + Attention(RMSNorm(x)), then + MLP(RMSNorm(.)).
class ChatGlmBlock : public torch::nn::Module
{
public:
    ChatGlmBlock(const ChatGlmConfig &config, int64_t layerNumber);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &masked, const at::Tensor &rotary) const;

private:
    std::shared_ptr<ChatGlmRmsNorm> m_inputNorm, m_postAttentionNorm;
    std::shared_ptr<ChatGlmSelfAttention> m_attention;
    std::shared_ptr<ChatGlmMlp> m_mlp;
    bool m_residualAfterNorm;
};

} // namespace studio::engine
