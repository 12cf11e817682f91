#pragma once

#include "engine/lora/UnetBlockLayout.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class UNet2DConditionModel;
namespace layers {
class Linear;
struct LowRankAdapter;
} // namespace layers

// The LoRA being trained: a float32 down (A) [rank, in] and up (B) [out, rank] beside every to_q, to_k, to_v and
// to_out.0 of attn1/attn2 in the UNet's transformer blocks (peft's target_modules of the challenge baseline), applied
// as y = W x + b + (alpha / rank) * B (A x). Attaching happens in the constructor, detaching in the destructor.
class TrainableLora
{
public:
    struct Layer
    {
        std::string diffusers; // "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_out.0"
        std::string diffsynth; // "blocks.7.transformer_blocks.0.attn1.to_out"
        std::string kohya;     // "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_out_0"
        std::shared_ptr<layers::Linear> linear;
        std::shared_ptr<layers::LowRankAdapter> adapter; // holds down/up (leaf tensors that require grad)
    };

    // `device`: where A and B live (the UNet's device). Throws EngineError::BadArgument for rank <= 0 or a UNet
    // without attention layers.
    TrainableLora(UNet2DConditionModel &unet, const UnetBlockLayout &layout, int rank, double alpha,
                  c10::Device device);
    ~TrainableLora();
    TrainableLora(const TrainableLora &) = delete;
    TrainableLora &operator=(const TrainableLora &) = delete;

    // peft init_lora_weights="gaussian": A ~ N(0, (1/rank)^2), B = 0, drawn from its own generator (never the
    // training one, so the training draws do not depend on the init).
    void initGaussian(uint64_t seed);
    // Copies A and B from a DiffSynth .ckpt whose keys are exactly this UNet's LoRA layers with this rank.
    void initFromFile(const std::string &path);
    // Copies from tensors named by DiffSynth key (resume state). Same checks.
    void assign(const std::vector<std::pair<std::string, at::Tensor>> &tensors, const std::string &label);

    std::vector<at::Tensor> parameters() const; // A, B of each layer, in layer order
    const std::vector<Layer> &layers() const { return m_layers; }
    int rank() const { return m_rank; }
    double alpha() const { return m_alpha; }
    int64_t parameterCount() const;

    // {DiffSynth key: tensor} sorted by key: "<diffsynth>.lora_A.default.weight" / "...lora_B.default.weight".
    std::vector<std::pair<std::string, at::Tensor>> diffsynthTensors() const;
    // kohya: "<kohya>.lora_down.weight", ".lora_up.weight", ".alpha" (0-d float32 = alpha).
    std::vector<std::pair<std::string, at::Tensor>> kohyaTensors() const;

private:
    std::vector<Layer> m_layers; // sorted by DiffSynth name
    int m_rank;
    double m_alpha;
};

} // namespace studio::engine
