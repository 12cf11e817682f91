#pragma once

// The four primitive layers the UNet and the VAE are made of, plus the two functional pieces they share
// (multi-head attention, sinusoidal embeddings). Kept together because each is a few lines.
//
// Unlike torch::nn::Linear & co., these declare storage-less parameters (declareWeight) and never run a random init:
// building the full Kolors UNet (2.6 B parameters) must cost nothing before loadModuleWeights swaps the real
// weights in (or before the benchmark fills them with random values). Parameters never require grad.

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace studio::engine::layers {

// A trainable low-rank path beside a frozen Linear (LoRA training, peft semantics):
// y = W x + b + scale * up(down(x)), with down [r, in] and up [out, r] kept in float32 while the layer may run in
// fp16/bf16 (they are cast to the input's dtype for the product, as autocast does, so gradients reach the fp32
// weights).
struct LowRankAdapter
{
    at::Tensor down, up;
    double scale = 1.0;
};

class Linear : public torch::nn::Module
{
public:
    Linear(int64_t in, int64_t out, bool bias = true);
    at::Tensor forward(const at::Tensor &x) const;
    int64_t inFeatures() const { return m_weight.size(1); }
    int64_t outFeatures() const { return m_weight.size(0); }
    // Training only; null removes it. Inference merges LoRAs into the weight instead (LoraMerger).
    void setAdapter(std::shared_ptr<const LowRankAdapter> adapter) { m_adapter = std::move(adapter); }

private:
    at::Tensor m_weight, m_bias;
    std::shared_ptr<const LowRankAdapter> m_adapter;
};

class Conv2d : public torch::nn::Module
{
public:
    Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0, bool bias = true);
    at::Tensor forward(const at::Tensor &x) const;

private:
    at::Tensor m_weight, m_bias;
    int64_t m_stride, m_padding;
};

class GroupNorm : public torch::nn::Module
{
public:
    GroupNorm(int64_t groups, int64_t channels, double eps);
    at::Tensor forward(const at::Tensor &x) const;

private:
    at::Tensor m_weight, m_bias;
    int64_t m_groups;
    double m_eps;
};

class LayerNorm : public torch::nn::Module
{
public:
    LayerNorm(int64_t dim, double eps);
    at::Tensor forward(const at::Tensor &x) const;

private:
    at::Tensor m_weight, m_bias;
    double m_eps;
};

// A module without parameters that holds a list slot (e.g. the dropout at `to_out.1`, `ff.net.1`) so the
// checkpoint's indices line up.
class Placeholder : public torch::nn::Module
{
};

// softmax(q kᵀ / sqrt(d)) v over `heads` heads. q [B, Nq, heads*d], k and v [B, Nk, heads*d] → [B, Nq, heads*d].
// `upcastSoftmax` computes the softmax in float32 (the VAE does). Uses fused attention on CUDA with LibTorch 2.x;
// elsewhere matmul + scale (never baddbmm with beta 0, see the golden README), processed in query chunks when the
// score matrix would be large.
at::Tensor multiHeadAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                              bool upcastSoftmax);

// diffusers `get_timestep_embedding` (max period 10000, scale 1): [N] timesteps → [N, dim] float32.
at::Tensor sinusoidalEmbedding(const at::Tensor &timesteps, int64_t dim, bool flipSinToCos, double freqShift);

// Checks an activation name from a config; only SiLU ("silu"/"swish") is used by the models we load.
bool isSiluName(const std::string &name);

} // namespace studio::engine::layers
