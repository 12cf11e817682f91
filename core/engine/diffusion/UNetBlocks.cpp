#include "engine/diffusion/UNetBlocks.h"

#include <ATen/ATen.h>

namespace studio::engine {

ResnetBlock2D::ResnetBlock2D(int64_t in, int64_t out, int64_t tembChannels, int64_t groups, double eps,
                             double outputScale)
    : m_outputScale(outputScale)
{
    m_norm1 = register_module("norm1", std::make_shared<layers::GroupNorm>(groups, in, eps));
    m_conv1 = register_module("conv1", std::make_shared<layers::Conv2d>(in, out, 3, 1, 1));
    if (tembChannels > 0)
        m_timeProjection = register_module("time_emb_proj", std::make_shared<layers::Linear>(tembChannels, out));
    m_norm2 = register_module("norm2", std::make_shared<layers::GroupNorm>(groups, out, eps));
    m_conv2 = register_module("conv2", std::make_shared<layers::Conv2d>(out, out, 3, 1, 1));
    if (in != out)
        m_shortcut = register_module("conv_shortcut", std::make_shared<layers::Conv2d>(in, out, 1));
}

at::Tensor ResnetBlock2D::forward(const at::Tensor &x, const at::Tensor &temb) const
{
    at::Tensor h = m_conv1->forward(at::silu(m_norm1->forward(x)));
    if (m_timeProjection && temb.defined())
        h = h + m_timeProjection->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);
    h = m_conv2->forward(at::silu(m_norm2->forward(h)));
    const at::Tensor shortcut = m_shortcut ? m_shortcut->forward(x) : x;
    at::Tensor out = shortcut + h;
    if (m_outputScale != 1.0)
        out = out / m_outputScale;
    return out;
}

Downsample2D::Downsample2D(int64_t channels, int64_t padding) : m_padding(padding)
{
    m_conv = register_module("conv", std::make_shared<layers::Conv2d>(channels, channels, 3, 2, padding));
}

at::Tensor Downsample2D::forward(const at::Tensor &x) const
{
    if (m_padding == 0)
        return m_conv->forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
    return m_conv->forward(x);
}

Upsample2D::Upsample2D(int64_t channels)
{
    m_conv = register_module("conv", std::make_shared<layers::Conv2d>(channels, channels, 3, 1, 1));
}

at::Tensor Upsample2D::forward(const at::Tensor &x, int64_t height, int64_t width) const
{
    // upsample_nearest2d has no bfloat16 CPU kernel in older LibTorch; float32 and float16 are fine.
    const bool bf16 = x.scalar_type() == at::kBFloat16;
    at::Tensor up = at::upsample_nearest2d(bf16 ? x.to(at::kFloat) : x, {height, width});
    if (bf16)
        up = up.to(at::kBFloat16);
    return m_conv->forward(up);
}

Attention::Attention(const Options &options) : m_options(options)
{
    const int64_t inner = options.heads * options.headDim;
    const int64_t contextDim = options.contextDim > 0 ? options.contextDim : options.queryDim;
    if (options.groupNormGroups > 0)
        m_groupNorm = register_module(
            "group_norm", std::make_shared<layers::GroupNorm>(options.groupNormGroups, options.queryDim, options.eps));
    m_q = register_module("to_q", std::make_shared<layers::Linear>(options.queryDim, inner, options.qkvBias));
    m_k = register_module("to_k", std::make_shared<layers::Linear>(contextDim, inner, options.qkvBias));
    m_v = register_module("to_v", std::make_shared<layers::Linear>(contextDim, inner, options.qkvBias));
    torch::nn::ModuleList toOut;
    m_out = std::make_shared<layers::Linear>(inner, options.queryDim, true);
    toOut->push_back(m_out);
    toOut->push_back(std::make_shared<layers::Placeholder>()); // dropout
    register_module("to_out", toOut);
}

at::Tensor Attention::forward(const at::Tensor &input, const at::Tensor &context) const
{
    at::Tensor x = input;
    int64_t batch = 0, channels = 0, height = 0, width = 0;
    const bool spatial = input.dim() == 4;
    if (spatial) {
        batch = input.size(0), channels = input.size(1), height = input.size(2), width = input.size(3);
        x = input.view({batch, channels, height * width}).transpose(1, 2);
    }
    if (m_groupNorm)
        x = m_groupNorm->forward(x.transpose(1, 2)).transpose(1, 2);
    if (m_hook && !spatial)
        return m_hook->forward(AttentionCall{m_path, *this, x, context});
    at::Tensor out = plain(x, context);
    if (spatial) {
        out = out.transpose(-1, -2).reshape({batch, channels, height, width});
        if (m_groupNorm) // the VAE block's residual connection
            out = out + input;
    }
    return out;
}

at::Tensor Attention::query(const at::Tensor &x) const
{
    return m_q->forward(x);
}

at::Tensor Attention::key(const at::Tensor &source) const
{
    return m_k->forward(source);
}

at::Tensor Attention::value(const at::Tensor &source) const
{
    return m_v->forward(source);
}

at::Tensor Attention::attend(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v) const
{
    return layers::multiHeadAttention(q, k, v, m_options.heads, m_options.upcastSoftmax);
}

at::Tensor Attention::project(const at::Tensor &attended) const
{
    return m_out->forward(attended);
}

at::Tensor Attention::plain(const at::Tensor &x, const at::Tensor &context) const
{
    const at::Tensor &source = context.defined() ? context : x;
    return project(attend(query(x), key(source), value(source)));
}

FeedForward::FeedForward(int64_t dim, int64_t inner)
{
    torch::nn::ModuleList net;
    auto geglu = std::make_shared<torch::nn::Module>();
    m_proj = geglu->register_module("proj", std::make_shared<layers::Linear>(dim, inner * 2));
    net->push_back(geglu);
    net->push_back(std::make_shared<layers::Placeholder>()); // dropout
    m_out = std::make_shared<layers::Linear>(inner, dim);
    net->push_back(m_out);
    register_module("net", net);
}

at::Tensor FeedForward::forward(const at::Tensor &x) const
{
    const std::vector<at::Tensor> halves = m_proj->forward(x).chunk(2, -1);
    return m_out->forward(halves[0] * at::gelu(halves[1]));
}

BasicTransformerBlock::BasicTransformerBlock(int64_t dim, int64_t heads, int64_t headDim, int64_t contextDim,
                                             bool upcastAttention)
{
    Attention::Options self;
    self.queryDim = dim;
    self.heads = heads;
    self.headDim = headDim;
    self.upcastSoftmax = upcastAttention;
    Attention::Options cross = self;
    cross.contextDim = contextDim;
    m_norm1 = register_module("norm1", std::make_shared<layers::LayerNorm>(dim, 1e-5));
    m_attn1 = register_module("attn1", std::make_shared<Attention>(self));
    m_norm2 = register_module("norm2", std::make_shared<layers::LayerNorm>(dim, 1e-5));
    m_attn2 = register_module("attn2", std::make_shared<Attention>(cross));
    m_norm3 = register_module("norm3", std::make_shared<layers::LayerNorm>(dim, 1e-5));
    m_ff = register_module("ff", std::make_shared<FeedForward>(dim, dim * 4));
}

at::Tensor BasicTransformerBlock::forward(const at::Tensor &x, const at::Tensor &context) const
{
    at::Tensor h = m_attn1->forward(m_norm1->forward(x)) + x;
    h = m_attn2->forward(m_norm2->forward(h), context) + h;
    return m_ff->forward(m_norm3->forward(h)) + h;
}

Transformer2DModel::Transformer2DModel(const Options &options) : m_options(options)
{
    const int64_t inner = options.heads * options.headDim;
    m_norm = register_module("norm", std::make_shared<layers::GroupNorm>(options.groups, options.channels, 1e-6));
    if (options.linearProjection) {
        m_projIn = register_module("proj_in", std::make_shared<layers::Linear>(options.channels, inner));
        m_projOut = register_module("proj_out", std::make_shared<layers::Linear>(inner, options.channels));
    } else {
        m_projIn = register_module("proj_in", std::make_shared<layers::Conv2d>(options.channels, inner, 1));
        m_projOut = register_module("proj_out", std::make_shared<layers::Conv2d>(inner, options.channels, 1));
    }
    torch::nn::ModuleList blocks;
    for (int64_t i = 0; i < options.layers; ++i) {
        m_blocks.push_back(std::make_shared<BasicTransformerBlock>(inner, options.heads, options.headDim,
                                                                   options.contextDim, options.upcastAttention));
        blocks->push_back(m_blocks.back());
    }
    register_module("transformer_blocks", blocks);
}

at::Tensor Transformer2DModel::forward(const at::Tensor &x, const at::Tensor &context) const
{
    const int64_t batch = x.size(0), height = x.size(2), width = x.size(3);
    const int64_t inner = m_options.heads * m_options.headDim;
    at::Tensor h = m_norm->forward(x);
    if (m_options.linearProjection) {
        h = h.permute({0, 2, 3, 1}).reshape({batch, height * width, m_options.channels});
        h = std::static_pointer_cast<layers::Linear>(m_projIn)->forward(h);
    } else {
        h = std::static_pointer_cast<layers::Conv2d>(m_projIn)->forward(h);
        h = h.permute({0, 2, 3, 1}).reshape({batch, height * width, inner});
    }
    for (const auto &block : m_blocks)
        h = block->forward(h, context);
    if (m_options.linearProjection) {
        h = std::static_pointer_cast<layers::Linear>(m_projOut)->forward(h);
        h = h.reshape({batch, height, width, m_options.channels}).permute({0, 3, 1, 2}).contiguous();
    } else {
        h = h.reshape({batch, height, width, inner}).permute({0, 3, 1, 2}).contiguous();
        h = std::static_pointer_cast<layers::Conv2d>(m_projOut)->forward(h);
    }
    return h + x;
}

TimestepEmbedding::TimestepEmbedding(int64_t in, int64_t out)
{
    m_linear1 = register_module("linear_1", std::make_shared<layers::Linear>(in, out));
    m_linear2 = register_module("linear_2", std::make_shared<layers::Linear>(out, out));
}

at::Tensor TimestepEmbedding::forward(const at::Tensor &x) const
{
    return m_linear2->forward(at::silu(m_linear1->forward(x)));
}

} // namespace studio::engine
