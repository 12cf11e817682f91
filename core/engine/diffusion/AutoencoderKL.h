#pragma once

#include "engine/diffusion/UNetBlocks.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

class TensorStore;

struct VaeConfig
{
    int inChannels = 3;
    int outChannels = 3;
    int latentChannels = 4;
    std::vector<int> blockOutChannels;
    int layersPerBlock = 2;
    int normNumGroups = 32;
    int sampleSize = 1024;
    double scalingFactor = 0.18215;
    double shiftFactor = 0.0;
    bool useQuantConv = true;
    bool usePostQuantConv = true;
    bool midBlockAddAttention = true;
    bool forceUpcast = true;

    // Throws EngineError::BadConfig / ::Unsupported naming the file and field.
    static VaeConfig fromJson(const nlohmann::json &json, const std::string &file);
    static VaeConfig fromFile(const std::string &path);
    int downFactor() const { return 1 << (static_cast<int>(blockOutChannels.size()) - 1); }
};

class VaeEncoder;
class VaeDecoder;

// diffusers AutoencoderKL (the SDXL VAE layout) with diffusers' parameter names; parameters start uninitialised.
class AutoencoderKL : public torch::nn::Module
{
public:
    explicit AutoencoderKL(const VaeConfig &config);

    // UNet-space latents [B, C, h, w] → image [B, 3, h·f, w·f] in about [-1, 1] (divides by the scaling factor,
    // adds the shift). Runs in the model's dtype; returns float32. `betweenStages` runs between the decoder's
    // blocks (and tiles): a cancel check throws from there, so a long decode on the CPU can be interrupted.
    using StageCheck = std::function<void()>;
    at::Tensor decode(const at::Tensor &latents, const StageCheck &betweenStages = {}) const;

    // Same result computed over overlapping latent tiles of `tile` x `tile` (overlap `overlap`), blended
    // linearly, so memory stays bounded for large images. Identical to decode() when one tile covers the input.
    at::Tensor decodeTiled(const at::Tensor &latents, int64_t tile, int64_t overlap,
                           const StageCheck &betweenStages = {}) const;

    struct Posterior
    {
        at::Tensor mean, std; // latent_dist.mean / .std, not multiplied by the scaling factor
    };
    // image [B, 3, H, W] in [-1, 1] → the latent distribution.
    Posterior encode(const at::Tensor &image) const;

    const VaeConfig &config() const { return m_config; }
    // The dtype it computes in: the one set here, else its weights' dtype. Weights stored in another dtype (kept
    // 16-bit from the file on the CPU, LoadOptions::keepStoredFloats) are converted layer by layer as they run.
    c10::ScalarType dtype() const;
    void setComputeDtype(c10::ScalarType dtype) { m_computeDtype = dtype; }
    c10::Device device() const;

    // Older diffusers checkpoints name the mid-block attention query/key/value/proj_attn; this returns a store
    // using today's names (to_q/to_k/to_v/to_out.0), or the store itself when nothing needs renaming.
    static TensorStore withCurrentAttentionNames(const TensorStore &store);

private:
    std::optional<c10::ScalarType> m_computeDtype;
    at::Tensor decodeScaled(const at::Tensor &z, const StageCheck &betweenStages = {}) const;

    VaeConfig m_config;
    std::shared_ptr<VaeEncoder> m_encoder;
    std::shared_ptr<VaeDecoder> m_decoder;
    std::shared_ptr<layers::Conv2d> m_quantConv, m_postQuantConv;
};

} // namespace studio::engine
