#include "engine/aesthetic/ClipVisionTransformer.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <cmath>

namespace studio::engine {
namespace {

torch::nn::LayerNorm layerNorm(const ClipVisionConfig &config)
{
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hiddenSize}).eps(config.layerNormEps));
}

std::string shapeText(c10::IntArrayRef shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

ClipVisionEmbeddings::ClipVisionEmbeddings(const ClipVisionConfig &config) : m_config(config)
{
    m_classEmbedding = register_parameter("class_embedding", at::zeros({config.hiddenSize}));
    m_patchEmbedding = register_module(
        "patch_embedding",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(config.numChannels, config.hiddenSize, config.patchSize)
                              .stride(config.patchSize)
                              .bias(false)));
    m_positionEmbedding =
        register_module("position_embedding", torch::nn::Embedding(config.numPositions(), config.hiddenSize));
}

at::Tensor ClipVisionEmbeddings::forward(const at::Tensor &pixelValues)
{
    const int64_t batch = pixelValues.size(0);
    const at::Tensor weight = m_patchEmbedding->weight;
    const at::Tensor patches = m_patchEmbedding
                                   ->forward(pixelValues.to(weight.scalar_type())) // [B, D, g, g]
                                   .flatten(2)
                                   .transpose(1, 2); // [B, P, D], row-major over the grid
    const at::Tensor classToken = m_classEmbedding.expand({batch, 1, -1});
    return at::cat({classToken, patches}, 1) + m_positionEmbedding->weight.unsqueeze(0);
}

ClipEncoderLayer::ClipEncoderLayer(const ClipVisionConfig &config)
    : m_heads(config.numAttentionHeads), m_headDim(config.headDim()), m_scale(std::pow(double(config.headDim()), -0.5)),
      m_quickGelu(config.hiddenAct == "quick_gelu")
{
    const int64_t d = config.hiddenSize;
    // Plain modules as named containers, so the parameters are `self_attn.q_proj.weight`, `mlp.fc1.bias`, ...
    auto selfAttn = register_module("self_attn", std::make_shared<torch::nn::Module>());
    m_k = selfAttn->register_module("k_proj", torch::nn::Linear(d, d));
    m_v = selfAttn->register_module("v_proj", torch::nn::Linear(d, d));
    m_q = selfAttn->register_module("q_proj", torch::nn::Linear(d, d));
    m_out = selfAttn->register_module("out_proj", torch::nn::Linear(d, d));
    m_norm1 = register_module("layer_norm1", layerNorm(config));
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
    m_fc1 = mlp->register_module("fc1", torch::nn::Linear(d, config.intermediateSize));
    m_fc2 = mlp->register_module("fc2", torch::nn::Linear(config.intermediateSize, d));
    m_norm2 = register_module("layer_norm2", layerNorm(config));
}

at::Tensor ClipEncoderLayer::attention(const at::Tensor &x)
{
    const int64_t batch = x.size(0), tokens = x.size(1), width = x.size(2);
    // [B, T, D] -> [B * H, T, hd], the layout of transformers' eager CLIPAttention.
    const auto splitHeads = [&](const at::Tensor &t) {
        return t.view({batch, tokens, m_heads, m_headDim})
            .transpose(1, 2)
            .contiguous()
            .view({batch * m_heads, tokens, m_headDim});
    };
    const at::Tensor q = splitHeads(m_q->forward(x) * m_scale);
    const at::Tensor k = splitHeads(m_k->forward(x));
    const at::Tensor v = splitHeads(m_v->forward(x));
    const at::Tensor probs = at::softmax(at::bmm(q, k.transpose(1, 2)), -1);
    const at::Tensor context =
        at::bmm(probs, v).view({batch, m_heads, tokens, m_headDim}).transpose(1, 2).reshape({batch, tokens, width});
    return m_out->forward(context);
}

at::Tensor ClipEncoderLayer::forward(const at::Tensor &x)
{
    at::Tensor h = x + attention(m_norm1->forward(x));
    at::Tensor y = m_fc1->forward(m_norm2->forward(h));
    y = m_quickGelu ? y * at::sigmoid(1.702 * y) : at::gelu(y);
    return h + m_fc2->forward(y);
}

ClipVisionTransformer::ClipVisionTransformer(const ClipVisionConfig &config) : m_config(config)
{
    m_embeddings = register_module("embeddings", std::make_shared<ClipVisionEmbeddings>(config));
    m_preLayerNorm = register_module("pre_layrnorm", layerNorm(config)); // sic: transformers' spelling
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    m_layers = encoder->register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.numHiddenLayers; ++i) {
        m_layerList.push_back(std::make_shared<ClipEncoderLayer>(config));
        m_layers->push_back(m_layerList.back());
    }
    m_postLayerNorm = register_module("post_layernorm", layerNorm(config));
}

void ClipVisionTransformer::checkPixelValues(const at::Tensor &pixelValues) const
{
    const int64_t s = m_config.imageSize;
    if (pixelValues.dim() != 4 || pixelValues.size(0) < 1 || pixelValues.size(1) != m_config.numChannels ||
        pixelValues.size(2) != s || pixelValues.size(3) != s)
        throw EngineError(EngineError::Code::BadArgument,
                          "CLIP vision tower: pixel values of shape " + shapeText(pixelValues.sizes()) +
                              ", expected [B, " + std::to_string(m_config.numChannels) + ", " + std::to_string(s) +
                              ", " + std::to_string(s) + "] (the processor's crop size must equal image_size)");
}

ClipVisionOutput ClipVisionTransformer::forward(const at::Tensor &pixelValues, bool keepHiddenStates)
{
    checkPixelValues(pixelValues);
    ClipVisionOutput out;
    out.embeddings = m_embeddings->forward(pixelValues);
    at::Tensor h = m_preLayerNorm->forward(out.embeddings);
    if (keepHiddenStates)
        out.hiddenStates.push_back(h);
    for (const auto &layer : m_layerList) {
        h = layer->forward(h);
        if (keepHiddenStates)
            out.hiddenStates.push_back(h);
    }
    out.lastHiddenState = h;
    out.pooled = m_postLayerNorm->forward(h.select(1, 0));
    return out;
}

at::Tensor ClipVisionTransformer::hiddenState(const at::Tensor &pixelValues, int64_t index)
{
    const int64_t count = int64_t(m_layerList.size()) + 1; // pre_layrnorm output + one per layer
    const int64_t resolved = index < 0 ? count + index : index;
    if (resolved < 0 || resolved >= count)
        throw EngineError(EngineError::Code::BadArgument,
                          "CLIP vision tower: hidden state " + std::to_string(index) + " does not exist (" +
                              std::to_string(count) + " hidden states)");
    checkPixelValues(pixelValues);
    at::Tensor h = m_preLayerNorm->forward(m_embeddings->forward(pixelValues));
    for (int64_t i = 0; i < resolved; ++i)
        h = m_layerList[size_t(i)]->forward(h);
    return h;
}

} // namespace studio::engine
