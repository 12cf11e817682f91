#include "engine/text/ChatGlmBlock.h"

#include "engine/text/ChatGlmConfig.h"

namespace studio::engine {

ChatGlmBlock::ChatGlmBlock(const ChatGlmConfig &config, int64_t layerNumber)
    : m_residualAfterNorm(config.residualAfterLayernorm)
{
    m_inputNorm = register_module("input_layernorm",
                                  std::make_shared<ChatGlmRmsNorm>(config.hiddenSize, config.layernormEpsilon));
    m_attention = register_module("self_attention", std::make_shared<ChatGlmSelfAttention>(config, layerNumber));
    m_postAttentionNorm = register_module("post_attention_layernorm",
                                          std::make_shared<ChatGlmRmsNorm>(config.hiddenSize, config.layernormEpsilon));
    m_mlp = register_module("mlp", std::make_shared<ChatGlmMlp>(config));
}

at::Tensor ChatGlmBlock::forward(const at::Tensor &x, const at::Tensor &masked, const at::Tensor &rotary) const
{
    const at::Tensor normed = m_inputNorm->forward(x);
    const at::Tensor attended = (m_residualAfterNorm ? normed : x) + m_attention->forward(normed, masked, rotary);
    const at::Tensor normed2 = m_postAttentionNorm->forward(attended);
    return (m_residualAfterNorm ? normed2 : attended) + m_mlp->forward(normed2);
}

} // namespace studio::engine
