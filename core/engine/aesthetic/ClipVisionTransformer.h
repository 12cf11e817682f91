#pragma once

#include "engine/aesthetic/ClipVisionConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <vector>

namespace studio::engine {

// transformers' CLIPVisionTransformer (the `vision_model.` part of CLIPVisionModelWithProjection), with the same
// parameter names so that checkpoints load by name. Numerics follow transformers 4.43's eager path on torch 1.13:
// q scaled by head_dim^-0.5 before QK^T, bmm attention without mask, quick_gelu MLP, pre-norm residual layers,
// post_layernorm on the class token only.

// `embeddings.`: class token + row-major patches (Conv2d without bias) + learned positions 0..P.
class ClipVisionEmbeddings : public torch::nn::Module
{
public:
    explicit ClipVisionEmbeddings(const ClipVisionConfig &config);
    at::Tensor forward(const at::Tensor &pixelValues); // [B, C, S, S] -> [B, 1 + P, D]

private:
    ClipVisionConfig m_config;
    at::Tensor m_classEmbedding;
    torch::nn::Conv2d m_patchEmbedding{nullptr};
    torch::nn::Embedding m_positionEmbedding{nullptr}; // weight [1 + P, D]; positions are always 0..P
};

// `encoder.layers.<i>.`: x += out_proj(attn(layer_norm1(x))); x += fc2(act(fc1(layer_norm2(x)))).
class ClipEncoderLayer : public torch::nn::Module
{
public:
    explicit ClipEncoderLayer(const ClipVisionConfig &config);
    at::Tensor forward(const at::Tensor &x); // [B, T, D] -> [B, T, D]

private:
    at::Tensor attention(const at::Tensor &x);

    int64_t m_heads = 0;
    int64_t m_headDim = 0;
    double m_scale = 1.0;
    bool m_quickGelu = true;
    torch::nn::Linear m_q{nullptr}, m_k{nullptr}, m_v{nullptr}, m_out{nullptr};
    torch::nn::LayerNorm m_norm1{nullptr}, m_norm2{nullptr};
    torch::nn::Linear m_fc1{nullptr}, m_fc2{nullptr};
};

struct ClipVisionOutput
{
    at::Tensor embeddings;                // [B, 1 + P, D] before pre_layrnorm
    std::vector<at::Tensor> hiddenStates; // L + 1 entries (after pre_layrnorm, after each layer) when requested
    at::Tensor lastHiddenState;           // [B, 1 + P, D]
    at::Tensor pooled;                    // [B, D] post_layernorm(class token)
};

class ClipVisionTransformer : public torch::nn::Module
{
public:
    explicit ClipVisionTransformer(const ClipVisionConfig &config);
    const ClipVisionConfig &config() const { return m_config; }
    ClipVisionOutput forward(const at::Tensor &pixelValues, bool keepHiddenStates = false);
    // transformers' hidden_states[index] alone: 0 is the output of pre_layrnorm, i the output of layer i, and a
    // negative index counts from the end (-1 = the last layer). Runs only the layers it needs: the IP-Adapter reads
    // hidden_states[-2] and skips the last layer. Throws EngineError::BadArgument for an index out of range.
    at::Tensor hiddenState(const at::Tensor &pixelValues, int64_t index);

private:
    void checkPixelValues(const at::Tensor &pixelValues) const;

    ClipVisionConfig m_config;
    std::shared_ptr<ClipVisionEmbeddings> m_embeddings;
    torch::nn::LayerNorm m_preLayerNorm{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    std::vector<std::shared_ptr<ClipEncoderLayer>> m_layerList;
    torch::nn::LayerNorm m_postLayerNorm{nullptr};
};

} // namespace studio::engine
