#pragma once

#include "engine/ipadapter/Resampler.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

// One cross-attention (attn2) of the UNet, in diffusers' `unet.attn_processors` order: the down blocks, then the up
// blocks, then the mid block last; blocks, attentions and transformer blocks ascending. The IP-Adapter's keys
// number them k = 2j + 1 (`ip_adapter.{k}.to_k_ip.weight`).
struct CrossAttentionSite
{
    std::string name;           // "down_blocks.1.attentions.0.transformer_blocks.0.attn2"
    int64_t hiddenSize = 0;     // heads x head dim of the attention (to_q's rows)
    int64_t contextDim = 0;     // the UNet's cross-attention width (to_k's columns)
    int keyId() const;          // k of `ip_adapter.{k}.*`
    size_t index = 0;           // j
};

// Every attn2 of a built UNet, read from its parameter names and shapes (so any UNet of the family works).
std::vector<CrossAttentionSite> crossAttentionSites(const torch::nn::Module &unet);

// The weights of an IP-Adapter-Plus file (consistency-tiny README "File forms"): `image_proj.*` (the resampler) and
// `ip_adapter.{k}.to_{k,v}_ip.weight` ([hidden, cross-attention width] per attn2, no bias). Two file forms, same
// names: a flat .safetensors, or Kwai-Kolors' torch.save .bin {"image_proj": OrderedDict, "ip_adapter": OrderedDict}
// read by the restricted unpickler (nothing in it runs; nested dicts flatten to the same names). fp16 or fp32 in
// the file; held in float32 (the resampler) and in the UNet's dtype on its device (the projections).
class IpAdapterWeights : public torch::nn::Module
{
public:
    // Checks every tensor of `path` against the resampler sizes its shapes give, the image encoder's width and the
    // UNet's cross-attentions: a missing, foreign or wrongly shaped tensor is refused with an EngineError naming it
    // and the file, before anything is loaded.
    static std::shared_ptr<IpAdapterWeights> load(const std::string &path, const std::vector<CrossAttentionSite> &sites,
                                                  int64_t imageEmbeddingDim, c10::Device projectionDevice,
                                                  c10::ScalarType projectionDtype);

    Resampler &resampler() { return *m_resampler; }
    const std::vector<CrossAttentionSite> &sites() const { return m_sites; }
    // to_k_ip / to_v_ip of site j: [hidden, cross-attention width].
    const at::Tensor &keyWeight(size_t site) const { return m_keys[site]; }
    const at::Tensor &valueWeight(size_t site) const { return m_values[site]; }
    const std::string &path() const { return m_path; }

private:
    IpAdapterWeights(const ResamplerLayout &layout, std::vector<CrossAttentionSite> sites, std::string path);

    std::shared_ptr<Resampler> m_resampler;
    std::vector<CrossAttentionSite> m_sites;
    std::vector<at::Tensor> m_keys, m_values;
    std::string m_path;
};

} // namespace studio::engine
