#pragma once

#include "engine/diffusion/UNetBlocks.h"
#include "engine/diffusion/UNetConfig.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

class UNetDownBlock;
class UNetMidBlock;
class UNetUpBlock;

// One stage of forward(), in the order they run: the modules whose weights it uses. The input stage (time and
// text embeddings, conv_in), each down block, the mid block, each up block, the output stage (norm, conv_out).
struct UNetStage
{
    std::string name; // "input", "down_blocks.0", ..., "mid_block", "up_blocks.0", ..., "output"
    std::vector<std::shared_ptr<torch::nn::Module>> modules;
};

// Told around every stage of forward() (the stage's index in stages()): where streamed weights are brought to
// the compute device and released again (BlockOffload). leave() runs even when the stage throws.
class UNetStageHook
{
public:
    virtual ~UNetStageHook() = default;
    virtual c10::Device computeDevice() const = 0; // where forward() computes, wherever the weights rest
    virtual void enter(size_t stage) = 0;
    virtual void leave(size_t stage) = 0;
};

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

    std::vector<UNetStage> stages() const;
    // Streams the weights through `hook` from now on (null: the weights stay where they are). Inference only.
    void setStageHook(std::shared_ptr<UNetStageHook> hook) { m_stageHook = std::move(hook); }
    bool hasStageHook() const { return m_stageHook != nullptr; }

    const UNetConfig &config() const { return m_config; }
    // The dtype it computes in: the one set here, else its weights' dtype. Weights stored in another dtype (kept
    // 16-bit from the file on the CPU, LoadOptions::keepStoredFloats) are converted layer by layer as they run.
    c10::ScalarType dtype() const;
    c10::Device device() const; // where forward() computes: the stage hook's device, else the weights'
    void setComputeDtype(c10::ScalarType dtype) { m_computeDtype = dtype; }

private:
    std::optional<c10::ScalarType> m_computeDtype;
    UNetConfig m_config;
    std::shared_ptr<layers::Conv2d> m_convIn, m_convOut;
    std::shared_ptr<TimestepEmbedding> m_timeEmbedding, m_addEmbedding;
    std::shared_ptr<layers::Linear> m_encoderHidProj;
    std::vector<std::shared_ptr<UNetDownBlock>> m_down;
    std::shared_ptr<UNetMidBlock> m_mid;
    std::vector<std::shared_ptr<UNetUpBlock>> m_up;
    std::shared_ptr<layers::GroupNorm> m_normOut;
    std::vector<Attention *> m_attentionLayers; // owned by the modules above
    std::shared_ptr<UNetStageHook> m_stageHook;
};

} // namespace studio::engine
