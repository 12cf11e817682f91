#pragma once

// The building blocks diffusers' UNet2DConditionModel and AutoencoderKL share, registered under diffusers'
// parameter names (resnets.N.norm1, attentions.N.transformer_blocks.M.attn2.to_k, ...). Grouped in one file
// because they are small and always used together.

#include "engine/attention/AttentionHook.h"
#include "engine/diffusion/Layers.h"

#include <torch/nn/modules/container/modulelist.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

// ResnetBlock2D ("default" time embedding norm): GroupNorm-SiLU-Conv, + projected time embedding,
// GroupNorm-SiLU-Conv, plus a 1x1 shortcut when the channel count changes.
class ResnetBlock2D : public torch::nn::Module
{
public:
    // tembChannels 0: no time embedding (VAE).
    ResnetBlock2D(int64_t in, int64_t out, int64_t tembChannels, int64_t groups, double eps, double outputScale = 1.0);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &temb) const;

private:
    std::shared_ptr<layers::GroupNorm> m_norm1, m_norm2;
    std::shared_ptr<layers::Conv2d> m_conv1, m_conv2, m_shortcut;
    std::shared_ptr<layers::Linear> m_timeProjection;
    double m_outputScale;
};

// A 3x3 stride-2 convolution. padding 0 (VAE encoder) pads right and bottom by one first.
class Downsample2D : public torch::nn::Module
{
public:
    Downsample2D(int64_t channels, int64_t padding);
    at::Tensor forward(const at::Tensor &x) const;

private:
    std::shared_ptr<layers::Conv2d> m_conv;
    int64_t m_padding;
};

// Nearest-neighbour upsampling to an explicit size (2x, or the skip connection's size for odd latents), then 3x3.
class Upsample2D : public torch::nn::Module
{
public:
    explicit Upsample2D(int64_t channels);
    at::Tensor forward(const at::Tensor &x, int64_t height, int64_t width) const;

private:
    std::shared_ptr<layers::Conv2d> m_conv;
};

// diffusers Attention with the default processor. Token input [B, N, C]; with a GroupNorm (the VAE's mid-block
// attention) it takes and returns [B, C, H, W] and adds the residual itself.
class Attention : public torch::nn::Module
{
public:
    struct Options
    {
        int64_t queryDim = 0;
        int64_t contextDim = 0; // 0: self-attention
        int64_t heads = 1;
        int64_t headDim = 0;
        bool qkvBias = false;
        bool upcastSoftmax = false;
        int64_t groupNormGroups = 0; // > 0: spatial (VAE) attention with group_norm and residual
        double eps = 1e-5;
    };
    explicit Attention(const Options &options);
    // With a hook installed (token input only), the hook computes the result (engine/attention/AttentionHook.h).
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context = {}) const;

    // The pieces of plain token attention, for hooks: to_q, to_k, to_v, softmax(q kᵀ/√d) v over this layer's
    // heads, to_out. plain() is project(attend(query(x), key(s), value(s))) with s = context, or x without one.
    at::Tensor query(const at::Tensor &x) const;
    at::Tensor key(const at::Tensor &source) const;
    at::Tensor value(const at::Tensor &source) const;
    at::Tensor attend(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v) const;
    at::Tensor project(const at::Tensor &attended) const;
    at::Tensor plain(const at::Tensor &x, const at::Tensor &context) const;
    const Options &options() const { return m_options; }

    // The diffusers module path (set by the UNet) and the installed hook (ScopedAttentionHook sets it).
    const std::string &path() const { return m_path; }
    void setPath(std::string path) { m_path = std::move(path); }
    const std::shared_ptr<AttentionHook> &hook() const { return m_hook; }
    void setHook(std::shared_ptr<AttentionHook> hook) { m_hook = std::move(hook); }

private:
    Options m_options;
    std::shared_ptr<layers::GroupNorm> m_groupNorm;
    std::shared_ptr<layers::Linear> m_q, m_k, m_v, m_out;
    std::string m_path;
    std::shared_ptr<AttentionHook> m_hook;
};

// FeedForward with GEGLU: net.0.proj (dim → 2·inner), gelu-gated, net.2 (inner → dim).
class FeedForward : public torch::nn::Module
{
public:
    FeedForward(int64_t dim, int64_t inner);
    at::Tensor forward(const at::Tensor &x) const;

private:
    std::shared_ptr<layers::Linear> m_proj, m_out;
};

// BasicTransformerBlock (layer_norm variant): self-attention, cross-attention, GEGLU feed-forward, each pre-norm
// with a residual.
class BasicTransformerBlock : public torch::nn::Module
{
public:
    BasicTransformerBlock(int64_t dim, int64_t heads, int64_t headDim, int64_t contextDim, bool upcastAttention);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context) const;

private:
    std::shared_ptr<layers::LayerNorm> m_norm1, m_norm2, m_norm3;
    std::shared_ptr<Attention> m_attn1, m_attn2;
    std::shared_ptr<FeedForward> m_ff;
};

// Transformer2DModel for continuous input: GroupNorm, proj_in (linear or 1x1 conv), transformer blocks,
// proj_out, residual.
class Transformer2DModel : public torch::nn::Module
{
public:
    struct Options
    {
        int64_t heads = 1;
        int64_t headDim = 0;
        int64_t channels = 0;
        int64_t layers = 1;
        int64_t contextDim = 0;
        int64_t groups = 32;
        bool linearProjection = true;
        bool upcastAttention = false;
    };
    explicit Transformer2DModel(const Options &options);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context) const;

private:
    Options m_options;
    std::shared_ptr<layers::GroupNorm> m_norm;
    std::shared_ptr<torch::nn::Module> m_projIn, m_projOut; // Linear or Conv2d
    std::vector<std::shared_ptr<BasicTransformerBlock>> m_blocks;
};

// TimestepEmbedding: linear_1, SiLU, linear_2.
class TimestepEmbedding : public torch::nn::Module
{
public:
    TimestepEmbedding(int64_t in, int64_t out);
    at::Tensor forward(const at::Tensor &x) const;

private:
    std::shared_ptr<layers::Linear> m_linear1, m_linear2;
};

} // namespace studio::engine
