#pragma once

#include "engine/text/ChatGlmLinear.h"

#include <memory>

namespace studio::engine {

struct ChatGlmConfig;

// Grouped-query self-attention of one GLM block: the fused query_key_value projection gives heads*d query,
// groups*d key and groups*d value features; rotary on q and k; head h reads KV group h / (heads/groups).
class ChatGlmSelfAttention : public torch::nn::Module
{
public:
    ChatGlmSelfAttention(const ChatGlmConfig &config, int64_t layerNumber);
    // x [B, L, hidden]; masked [B, 1, L, L] bool (true = not attended); rotary from chatGlmRotaryCache.
    at::Tensor forward(const at::Tensor &x, const at::Tensor &masked, const at::Tensor &rotary) const;

private:
    std::shared_ptr<ChatGlmLinear> m_qkv, m_dense;
    int64_t m_heads, m_groups, m_headDim;
    double m_coefficient; // query-key layer scaling: the 1-based layer number, or 1
};

} // namespace studio::engine
