#include "engine/ipadapter/IpAdapterAttention.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/ipadapter/IpAdapter.h"
#include "engine/ipadapter/IpAdapterWeights.h"

#include <ATen/ATen.h>

namespace studio::engine {

IpAdapterAttention::IpAdapterAttention(const IpAdapterWeights &weights, const at::Tensor &tokens, double scale)
    : m_scale(scale), m_withNegative(tokens.size(0) == 2)
{
    for (size_t j = 0; j < weights.sites().size(); ++j) {
        const at::Tensor &key = weights.keyWeight(j);
        const at::Tensor t = tokens.to(key.device(), key.scalar_type());
        m_keysValues[weights.sites()[j].name] = {at::linear(t, key), at::linear(t, weights.valueWeight(j))};
    }
    useBranches(m_withNegative ? std::vector<int>{0, 1} : std::vector<int>{1});
}

void IpAdapterAttention::useBranches(std::vector<int> branches)
{
    m_rows.clear();
    for (int branch : branches) {
        if (branch == 0 && !m_withNegative)
            throw EngineError(EngineError::Code::Internal, "IP-Adapter: a negative branch without negative tokens");
        m_rows.push_back(m_withNegative ? branch : 0);
    }
}

at::Tensor IpAdapterAttention::forward(const AttentionCall &call)
{
    const auto found = m_keysValues.find(call.path);
    if (found == m_keysValues.end() || !call.context.defined())
        return call.layer.plain(call.hidden, call.context);
    const int64_t batch = call.hidden.size(0), branches = int64_t(m_rows.size());
    if (branches == 0 || batch % branches != 0)
        throw EngineError(EngineError::Code::Internal, "IP-Adapter: a batch of " + std::to_string(batch) +
                                                           " rows for " + std::to_string(branches) + " branches");
    std::vector<int64_t> rows;
    for (int64_t row : m_rows)
        rows.insert(rows.end(), size_t(batch / branches), row);
    const at::Tensor index = at::tensor(rows, at::kLong).to(found->second.first.device());
    const at::Tensor imageKeys = found->second.first.index_select(0, index);
    const at::Tensor imageValues = found->second.second.index_select(0, index);
    const Attention &layer = call.layer;
    const at::Tensor q = layer.query(call.hidden);
    const at::Tensor text = layer.attend(q, layer.key(call.context), layer.value(call.context));
    const at::Tensor image = layer.attend(q, imageKeys, imageValues);
    return layer.project(text + m_scale * image);
}

ScopedIpAdapter::ScopedIpAdapter(UNet2DConditionModel &unet, const IpAdapterWeights &weights, const at::Tensor &tokens,
                                 double scale)
    : m_hook(std::make_shared<IpAdapterAttention>(weights, tokens, scale))
{
    const std::shared_ptr<IpAdapterAttention> hook = m_hook;
    m_scope = std::make_unique<ScopedAttentionHook>(
        unet, [hook](const std::string &path) { return hook->adapts(path); }, hook);
}

std::unique_ptr<ScopedIpAdapter> installIpAdapter(UNet2DConditionModel &unet, const IpAdapterInput &input,
                                                  bool classifierFreeGuidance)
{
    if (input.scale == 0.0)
        return nullptr;
    if (!input.adapter)
        throw EngineError(EngineError::Code::Internal, "IP-Adapter requested but not loaded");
    const IpImageTokens tokens = input.adapter->imageTokens(input.reference, classifierFreeGuidance);
    const at::Tensor rows = classifierFreeGuidance ? at::cat({tokens.negativeTokens, tokens.tokens}, 0) : tokens.tokens;
    return std::make_unique<ScopedIpAdapter>(unet, input.adapter->weights(), rows, input.scale);
}

} // namespace studio::engine
