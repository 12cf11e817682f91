#include "engine/ipadapter/Resampler.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/Layers.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/container/modulelist.h>

#include <algorithm>

namespace studio::engine {
namespace {

constexpr double kLayerNormEps = 1e-5;
constexpr int64_t kMaxSize = 65536; // any real resampler is far below; a hostile shape is refused before allocation
constexpr int64_t kMaxDepth = 64;

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// The shape of `name`, which must exist and have `rank` dimensions of sane size.
std::vector<int64_t> shapeOf(const TensorStore &store, const std::string &name, size_t rank, const std::string &file)
{
    const TensorInfo *info = store.find(name);
    if (!info)
        throw EngineError(EngineError::Code::MissingWeight,
                          "IP-Adapter: missing tensor \"" + name + "\" in " + file + " (not an IP-Adapter-Plus file?)");
    const bool sane = std::all_of(info->shape.begin(), info->shape.end(),
                                  [](int64_t d) { return d >= 1 && d <= kMaxSize; });
    if (info->shape.size() != rank || !sane)
        throw EngineError(EngineError::Code::ShapeMismatch, "IP-Adapter: tensor \"" + name + "\" in " + file +
                                                                " has shape " + shapeText(info->shape) + ", expected " +
                                                                std::to_string(rank) + " dimensions");
    return info->shape;
}

} // namespace

ResamplerLayout ResamplerLayout::detect(const TensorStore &store, const std::string &prefix, const std::string &file)
{
    ResamplerLayout l;
    const std::vector<int64_t> latents = shapeOf(store, prefix + "latents", 3, file);
    if (latents[0] != 1)
        throw EngineError(EngineError::Code::ShapeMismatch, "IP-Adapter: tensor \"" + prefix + "latents\" in " + file +
                                                                " has shape " + shapeText(latents) +
                                                                ", expected [1, queries, dim]");
    l.queries = latents[1];
    l.dim = latents[2];
    l.embeddingDim = shapeOf(store, prefix + "proj_in.weight", 2, file)[1];
    l.outputDim = shapeOf(store, prefix + "proj_out.weight", 2, file)[0];
    const std::vector<int64_t> toQ = shapeOf(store, prefix + "layers.0.0.to_q.weight", 2, file);
    if (toQ[0] % kHeadDim != 0)
        throw EngineError(EngineError::Code::ShapeMismatch,
                          "IP-Adapter: tensor \"" + prefix + "layers.0.0.to_q.weight\" in " + file + " has " +
                              std::to_string(toQ[0]) + " rows, not a multiple of the head size 64");
    l.heads = toQ[0] / kHeadDim;
    l.feedForwardDim = shapeOf(store, prefix + "layers.0.1.1.weight", 2, file)[0];
    while (l.depth < kMaxDepth && store.contains(prefix + "layers." + std::to_string(l.depth) + ".0.to_q.weight"))
        ++l.depth;
    return l;
}

std::string ResamplerLayout::describe() const
{
    return "resampler " + std::to_string(depth) + " layers, " + std::to_string(queries) + " queries, width " +
           std::to_string(dim) + ", " + std::to_string(heads) + " heads, " + std::to_string(embeddingDim) + " -> " +
           std::to_string(outputDim);
}

Resampler::Resampler(const ResamplerLayout &layout) : m_layout(layout)
{
    const int64_t dim = layout.dim, inner = layout.heads * ResamplerLayout::kHeadDim;
    m_latents = register_parameter("latents", declareWeight({1, layout.queries, dim}), false);
    m_projIn = register_module("proj_in", std::make_shared<layers::Linear>(layout.embeddingDim, dim));
    m_projOut = register_module("proj_out", std::make_shared<layers::Linear>(dim, layout.outputDim));
    m_normOut = register_module("norm_out", std::make_shared<layers::LayerNorm>(layout.outputDim, kLayerNormEps));
    torch::nn::ModuleList list;
    for (int64_t i = 0; i < layout.depth; ++i) {
        Layer layer;
        auto attention = std::make_shared<torch::nn::Module>();
        layer.norm1 = attention->register_module("norm1", std::make_shared<layers::LayerNorm>(dim, kLayerNormEps));
        layer.norm2 = attention->register_module("norm2", std::make_shared<layers::LayerNorm>(dim, kLayerNormEps));
        layer.toQ = attention->register_module("to_q", std::make_shared<layers::Linear>(dim, inner, false));
        layer.toKv = attention->register_module("to_kv", std::make_shared<layers::Linear>(dim, 2 * inner, false));
        layer.toOut = attention->register_module("to_out", std::make_shared<layers::Linear>(inner, dim, false));
        // tencent's FeedForward is nn.Sequential(LayerNorm, Linear, GELU, Linear): GELU at index 2 has no weights.
        torch::nn::ModuleList feedForward;
        layer.ffNorm = std::make_shared<layers::LayerNorm>(dim, kLayerNormEps);
        layer.ffIn = std::make_shared<layers::Linear>(dim, layout.feedForwardDim, false);
        layer.ffOut = std::make_shared<layers::Linear>(layout.feedForwardDim, dim, false);
        feedForward->push_back(layer.ffNorm);
        feedForward->push_back(layer.ffIn);
        feedForward->push_back(std::make_shared<layers::Placeholder>());
        feedForward->push_back(layer.ffOut);
        torch::nn::ModuleList pair;
        pair->push_back(attention);
        pair->push_back(feedForward);
        list->push_back(pair);
        m_layers.push_back(layer);
    }
    register_module("layers", list);
}

at::Tensor Resampler::forward(const at::Tensor &imageEmbeddings) const
{
    if (imageEmbeddings.dim() != 3 || imageEmbeddings.size(2) != m_layout.embeddingDim)
        throw EngineError(EngineError::Code::ShapeMismatch,
                          "IP-Adapter resampler: image embeddings of width " +
                              std::to_string(imageEmbeddings.dim() == 3 ? imageEmbeddings.size(2) : -1) +
                              ", the resampler takes " + std::to_string(m_layout.embeddingDim) +
                              " (the image encoder's hidden size)");
    const int64_t batch = imageEmbeddings.size(0);
    const at::Tensor x = m_projIn->forward(imageEmbeddings);
    at::Tensor latents = m_latents.expand({batch, -1, -1});
    for (const Layer &layer : m_layers) {
        const at::Tensor xn = layer.norm1->forward(x);
        const at::Tensor ln = layer.norm2->forward(latents);
        const at::Tensor q = layer.toQ->forward(ln);
        const std::vector<at::Tensor> kv = layer.toKv->forward(at::cat({xn, ln}, 1)).chunk(2, -1);
        const at::Tensor attended =
            layers::multiHeadAttention(q, kv[0].contiguous(), kv[1].contiguous(), m_layout.heads, false);
        latents = layer.toOut->forward(attended) + latents;
        latents = layer.ffOut->forward(at::gelu(layer.ffIn->forward(layer.ffNorm->forward(latents)))) + latents;
    }
    return m_normOut->forward(m_projOut->forward(latents));
}

} // namespace studio::engine
