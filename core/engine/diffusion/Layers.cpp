#include "engine/diffusion/Layers.h"

#include "engine/io/ModuleLoader.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <cmath>

namespace studio::engine::layers {
namespace {

// A placeholder without storage (declareWeight): loadModuleWeights or fillRandomWeights gives it its values.
at::Tensor parameter(torch::nn::Module &module, const char *name, at::IntArrayRef shape)
{
    return module.register_parameter(name, declareWeight(shape), /*requires_grad=*/false);
}

// Above this many bytes of attention scores per chunk, queries are processed in slices (same result per row).
// Small enough for malloc to reuse heap memory instead of mapping (and page-faulting) fresh pages every time.
constexpr int64_t kScoreChunkBytes = int64_t(8) << 20;

} // namespace

Linear::Linear(int64_t in, int64_t out, bool bias)
{
    m_weight = parameter(*this, "weight", {out, in});
    if (bias)
        m_bias = parameter(*this, "bias", {out});
}

at::Tensor Linear::forward(const at::Tensor &x) const
{
    const c10::ScalarType dtype = x.scalar_type();
    at::Tensor y = at::linear(x, weightAs(m_weight, dtype), weightAs(m_bias, dtype));
    if (m_adapter) {
        const LowRankAdapter &a = *m_adapter;
        y = y + at::linear(at::linear(x, a.down.to(dtype)), a.up.to(dtype)) * a.scale;
    }
    return y;
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, bool bias)
    : m_stride(stride), m_padding(padding)
{
    m_weight = parameter(*this, "weight", {out, in, kernel, kernel});
    if (bias)
        m_bias = parameter(*this, "bias", {out});
}

at::Tensor Conv2d::forward(const at::Tensor &x) const
{
    const c10::ScalarType dtype = x.scalar_type();
    return at::conv2d(x, weightAs(m_weight, dtype), weightAs(m_bias, dtype), {m_stride, m_stride},
                      {m_padding, m_padding});
}

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps) : m_groups(groups), m_eps(eps)
{
    m_weight = parameter(*this, "weight", {channels});
    m_bias = parameter(*this, "bias", {channels});
}

at::Tensor GroupNorm::forward(const at::Tensor &x) const
{
    const c10::ScalarType dtype = x.scalar_type();
    return at::group_norm(x, m_groups, weightAs(m_weight, dtype), weightAs(m_bias, dtype), m_eps);
}

LayerNorm::LayerNorm(int64_t dim, double eps) : m_eps(eps)
{
    m_weight = parameter(*this, "weight", {dim});
    m_bias = parameter(*this, "bias", {dim});
}

at::Tensor LayerNorm::forward(const at::Tensor &x) const
{
    const c10::ScalarType dtype = x.scalar_type();
    return at::layer_norm(x, {m_weight.size(0)}, weightAs(m_weight, dtype), weightAs(m_bias, dtype), m_eps);
}

at::Tensor multiHeadAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                              bool upcastSoftmax)
{
    const int64_t batch = q.size(0), queries = q.size(1), keys = k.size(1);
    const int64_t headDim = q.size(2) / heads;
    // [B, N, heads*d] → [B, heads, N, d]
    const at::Tensor qh = q.view({batch, queries, heads, headDim}).transpose(1, 2);
    const at::Tensor kh = k.view({batch, keys, heads, headDim}).transpose(1, 2);
    const at::Tensor vh = v.view({batch, keys, heads, headDim}).transpose(1, 2);
    at::Tensor out;
#if TORCH_VERSION_MAJOR >= 2
    if (q.is_cuda()) // fused (flash / memory-efficient) kernels; softmax runs in float32 inside them
        out = at::scaled_dot_product_attention(qh, kh, vh);
#endif
    if (!out.defined()) {
        const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
        const at::Tensor kt = kh.transpose(-1, -2);
        const int64_t elementBytes = upcastSoftmax ? 4 : static_cast<int64_t>(q.element_size());
        const int64_t rowBytes = std::max<int64_t>(1, batch * heads * keys * elementBytes);
        const int64_t chunk = std::max<int64_t>(1, std::min(queries, kScoreChunkBytes / rowBytes));
        std::vector<at::Tensor> parts;
        for (int64_t start = 0; start < queries; start += chunk) {
            const at::Tensor qc = qh.slice(2, start, std::min(queries, start + chunk));
            at::Tensor scores = at::matmul(qc, kt) * scale;
            at::Tensor probs =
                upcastSoftmax ? at::softmax(scores.to(at::kFloat), -1).to(q.scalar_type()) : at::softmax(scores, -1);
            parts.push_back(at::matmul(probs, vh));
        }
        out = parts.size() == 1 ? parts.front() : at::cat(parts, 2);
    }
    return out.transpose(1, 2).reshape({batch, queries, heads * headDim});
}

at::Tensor sinusoidalEmbedding(const at::Tensor &timesteps, int64_t dim, bool flipSinToCos, double freqShift)
{
    const int64_t half = dim / 2;
    const auto options = at::TensorOptions().dtype(at::kFloat).device(timesteps.device());
    at::Tensor exponent = at::arange(0, half, options) * (-std::log(10000.0));
    exponent = exponent / (static_cast<double>(half) - freqShift);
    at::Tensor emb = timesteps.to(at::kFloat).unsqueeze(1) * at::exp(exponent).unsqueeze(0);
    emb = at::cat({at::sin(emb), at::cos(emb)}, -1);
    if (flipSinToCos)
        emb = at::cat({emb.slice(1, half), emb.slice(1, 0, half)}, -1);
    if (dim % 2 == 1)
        emb = at::constant_pad_nd(emb, {0, 1, 0, 0});
    return emb;
}

bool isSiluName(const std::string &name)
{
    return name == "silu" || name == "swish";
}

} // namespace studio::engine::layers
