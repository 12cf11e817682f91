#pragma once

#include "engine/diffusion/UNetBlocks.h"
#include "engine/diffusion/UNetConfig.h"

#include <memory>
#include <vector>

namespace studio::engine {

class UNetDownBlock;
class UNetMidBlock;
class UNetUpBlock;

// diffusers UNet2DConditionModel for the SDXL/Kolors family, built from its config.json with diffusers'
// parameter names, so loadModuleWeights reads a diffusers checkpoint directly. Parameters start uninitialised.
class UNet2DConditionModel : public torch::nn::Module
{
public:
    explicit UNet2DConditionModel(const UNetConfig &config);

    // sample [B, in, h, w]; timestep 0-d or [1] or [B] (float or integer); encoderHiddenStates [B, L, text width];
    // textEmbeds [B, pooled width] and timeIds [B, 6] (text_time models). Returns [B, out, h, w] in the model's
    // dtype. Any latent size works: odd sizes upsample to the skip connection's size, as diffusers does.
    at::Tensor forward(const at::Tensor &sample, const at::Tensor &timestep, const at::Tensor &encoderHiddenStates,
                       const at::Tensor &textEmbeds, const at::Tensor &timeIds) const;

    // Training: re-run every resnet and transformer block in backward instead of keeping its activations
    // (GradientCheckpoint.h). No effect without autograd.
    void setGradientCheckpointing(bool enabled);

    // Every transformer attention layer (attn1, attn2), each knowing its diffusers path, in module order:
    // down_blocks, mid_block, up_blocks. Hooks go on them through ScopedAttentionHook (engine/attention).
    const std::vector<Attention *> &attentionLayers() const { return m_attentionLayers; }

    const UNetConfig &config() const { return m_config; }
    c10::ScalarType dtype() const;
    c10::Device device() const;

private:
    UNetConfig m_config;
    std::shared_ptr<layers::Conv2d> m_convIn, m_convOut;
    std::shared_ptr<TimestepEmbedding> m_timeEmbedding, m_addEmbedding;
    std::shared_ptr<layers::Linear> m_encoderHidProj;
    std::vector<std::shared_ptr<UNetDownBlock>> m_down;
    std::shared_ptr<UNetMidBlock> m_mid;
    std::vector<std::shared_ptr<UNetUpBlock>> m_up;
    std::shared_ptr<layers::GroupNorm> m_normOut;
    std::vector<Attention *> m_attentionLayers; // owned by the modules above
};

} // namespace studio::engine
