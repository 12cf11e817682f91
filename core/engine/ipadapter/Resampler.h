#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class TensorStore;
namespace layers {
class LayerNorm;
class Linear;
} // namespace layers

// The sizes of an IP-Adapter "Plus" resampler (tencent's Resampler, `image_proj.*`), read from the weight shapes
// (consistency-tiny README B.3): there is no config file.
struct ResamplerLayout
{
    static constexpr int64_t kHeadDim = 64; // fixed in every IP-Adapter-Plus (dim_head = 64)

    int64_t queries = 0;        // latents [1, Q, dim]
    int64_t dim = 0;            // the resampler's own width
    int64_t embeddingDim = 0;   // proj_in [dim, D]: the image encoder's hidden size
    int64_t outputDim = 0;      // proj_out [out, dim]: the UNet's cross-attention width
    int64_t heads = 0;          // to_q [64 * heads, dim]
    int64_t depth = 0;          // layers.0 ... layers.(depth-1)
    int64_t feedForwardDim = 0; // layers.i.1.1 [ff, dim]

    // Reads the sizes from `image_proj.*` of `store`. Throws EngineError (MissingWeight / ShapeMismatch) naming the
    // tensor and `file`. The loader then checks every tensor against these sizes.
    static ResamplerLayout detect(const TensorStore &store, const std::string &prefix, const std::string &file);
    std::string describe() const;
};

// image embeddings [B, T, D] (hidden_states[-2] of the CLIP tower) -> image tokens [B, Q, out]:
//   x = proj_in(e); lat = latents
//   per layer: lat += to_out(attn(to_q(norm2(lat)), to_kv([norm1(x); norm2(lat)]))); lat += ff(lat)
//   tokens = norm_out(proj_out(lat))
// with tencent's parameter names (layers.i.0 = attention, layers.i.1 = LayerNorm, Linear, GELU, Linear). Parameters
// start without storage; loadModuleWeights gives them their values.
class Resampler : public torch::nn::Module
{
public:
    explicit Resampler(const ResamplerLayout &layout);
    at::Tensor forward(const at::Tensor &imageEmbeddings) const;
    const ResamplerLayout &layout() const { return m_layout; }

private:
    struct Layer
    {
        std::shared_ptr<layers::LayerNorm> norm1, norm2, ffNorm;
        std::shared_ptr<layers::Linear> toQ, toKv, toOut, ffIn, ffOut;
    };
    ResamplerLayout m_layout;
    at::Tensor m_latents;
    std::shared_ptr<layers::Linear> m_projIn, m_projOut;
    std::shared_ptr<layers::LayerNorm> m_normOut;
    std::vector<Layer> m_layers;
};

} // namespace studio::engine
