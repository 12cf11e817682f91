#include "engine/text/ChatGlmSelfAttention.h"

#include "engine/text/ChatGlmConfig.h"
#include "engine/text/ChatGlmRotary.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

namespace studio::engine {

ChatGlmSelfAttention::ChatGlmSelfAttention(const ChatGlmConfig &config, int64_t layerNumber)
    : m_heads(config.numHeads), m_groups(config.kvGroups), m_headDim(config.kvChannels),
      m_coefficient(config.queryKeyLayerScaling ? double(std::max<int64_t>(1, layerNumber)) : 1.0)
{
    m_qkv = register_module("query_key_value",
                            std::make_shared<ChatGlmLinear>(config.hiddenSize, config.qkvSize(), config.addQkvBias));
    m_dense = register_module(
        "dense", std::make_shared<ChatGlmLinear>(config.projectionSize(), config.hiddenSize, config.addBiasLinear));
}

at::Tensor ChatGlmSelfAttention::forward(const at::Tensor &x, const at::Tensor &masked, const at::Tensor &rotary) const
{
    const int64_t batch = x.size(0), length = x.size(1);
    const int64_t qSize = m_heads * m_headDim, kvSize = m_groups * m_headDim;
    const at::Tensor mixed = m_qkv->forward(x);
    at::Tensor q = mixed.narrow(-1, 0, qSize).reshape({batch, length, m_heads, m_headDim});
    at::Tensor k = mixed.narrow(-1, qSize, kvSize).reshape({batch, length, m_groups, m_headDim});
    at::Tensor v = mixed.narrow(-1, qSize + kvSize, kvSize).reshape({batch, length, m_groups, m_headDim});
    q = applyChatGlmRotary(q, rotary);
    k = applyChatGlmRotary(k, rotary);

    // Each KV group serves heads/groups consecutive query heads.
    const int64_t perGroup = m_heads / m_groups;
    const auto expandGroups = [&](const at::Tensor &t) {
        return t.unsqueeze(3)
            .expand({batch, length, m_groups, perGroup, m_headDim})
            .reshape({batch, length, m_heads, m_headDim});
    };
    const auto headsFirst = [&](const at::Tensor &t) {
        return t.permute({0, 2, 1, 3}).reshape({batch * m_heads, length, m_headDim});
    };
    q = headsFirst(q);
    k = headsFirst(expandGroups(k));
    v = headsFirst(expandGroups(v));

    // Scores as the reference computes them: q k^T / (sqrt(d) * layer) in the model dtype, then * layer in fp32.
    // baddbmm gets a zero-filled input and beta = 1: with beta = 0, LibTorch 1.13's CPU kernel can leak NaN/Inf
    // from its uninitialised buffer into small problems (golden README, Pitfalls).
    const double normFactor = std::sqrt(double(m_headDim)) * m_coefficient;
    at::Tensor scores = at::baddbmm(at::zeros({batch * m_heads, length, length}, q.options()), q, k.transpose(1, 2),
                                    /*beta=*/1.0, /*alpha=*/1.0 / normFactor);
    scores = scores.view({batch, m_heads, length, length}).to(at::kFloat);
    if (m_coefficient != 1.0)
        scores = scores * m_coefficient;
    scores = scores.masked_fill(masked, -std::numeric_limits<float>::infinity());
    const at::Tensor probabilities = at::softmax(scores, -1).to(v.scalar_type());
    const at::Tensor context = at::bmm(probabilities.view({batch * m_heads, length, length}), v);
    return m_dense->forward(
        context.view({batch, m_heads, length, m_headDim}).permute({0, 2, 1, 3}).reshape({batch, length, qSize}));
}

} // namespace studio::engine
