#pragma once

#include "engine/attention/AttentionHook.h"
#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class IpAdapter;
class IpAdapterWeights;

// What a run asks of the IP-Adapter: the loaded adapter, the decoded reference image and the scale.
struct IpAdapterInput
{
    std::shared_ptr<IpAdapter> adapter;
    RgbImage reference; // PIL convert("RGB") of the reference image
    double scale = 0.5; // Kwai-Kolors' sample value
};

// IP-Adapter's decoupled cross-attention on one attn2 (consistency-tiny README B.4), as an AttentionHook:
//   out = to_out( Attn(q, to_k(text), to_v(text)) + scale · Attn(q, to_k_ip(tokens), to_v_ip(tokens)) )
// with the layer's own q = to_q(x) and heads, a separate softmax over the image tokens and no mask.
// The image keys and values are computed once per run (the tokens do not change between steps).
// Rows: `tokens` holds one row per guidance branch ([negative, positive] with CFG, [positive] without). A UNet batch
// is branch-major over the branches in use (useBranches; default all of them): B rows take each branch's tokens
// B / branches times in a row, so a story's identity batch [neg_0..neg_{K-1}, pos_0..pos_{K-1}] gets the negative
// tokens for its first half, and a call of one branch alone (low-VRAM) gets that branch's tokens.
class IpAdapterAttention : public AttentionHook
{
public:
    IpAdapterAttention(const IpAdapterWeights &weights, const at::Tensor &tokens, double scale);

    // Whether `path` is one of the adapter's cross-attentions (the select function of ScopedAttentionHook).
    bool adapts(const std::string &path) const { return m_keysValues.count(path) != 0; }
    at::Tensor forward(const AttentionCall &call) override;
    // The guidance branches (0: negative, 1: positive) the next UNet calls hold, in row order.
    void useBranches(std::vector<int> branches);

private:
    std::map<std::string, std::pair<at::Tensor, at::Tensor>> m_keysValues; // path -> image keys, values [R, Q, hidden]
    double m_scale;
    bool m_withNegative = false;     // R = 2: [negative, positive]; R = 1: [positive]
    std::vector<int64_t> m_rows;     // token row per branch in use
};

// Installs the adapter on every attn2 of `unet` for its lifetime (a run), restoring the UNet afterwards.
class ScopedIpAdapter
{
public:
    ScopedIpAdapter(UNet2DConditionModel &unet, const IpAdapterWeights &weights, const at::Tensor &tokens,
                    double scale);

    // See IpAdapterAttention::useBranches.
    void useBranches(std::vector<int> branches) { m_hook->useBranches(std::move(branches)); }

private:
    std::shared_ptr<IpAdapterAttention> m_hook;
    std::unique_ptr<ScopedAttentionHook> m_scope;
};

// Computes the reference's image tokens ([negative, positive] rows with classifier-free guidance) and installs the
// adapter on `unet` for the lifetime of the result. Null for scale 0: the image term is skipped entirely, so the run
// is bit-identical to one without an adapter (the README's scale-0 case).
std::unique_ptr<ScopedIpAdapter> installIpAdapter(UNet2DConditionModel &unet, const IpAdapterInput &input,
                                                  bool classifierFreeGuidance);

} // namespace studio::engine
