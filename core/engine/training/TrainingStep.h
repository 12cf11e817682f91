#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace studio::engine {

class UNet2DConditionModel;
class LoraAdamW;
class LossScaler;

// The draws of one step from the single training generator, in the contract's order (README "One training step"):
// index = randint(0, rows), noise = randn(latent shape), tid = randint(0, T); the timestep is T - 1 - tid.
struct StepDraw
{
    int64_t index = 0;
    at::Tensor noise; // float32 CPU
    int64_t timestep = 0;
};
StepDraw drawStep(at::Generator &generator, int64_t rows, at::IntArrayRef latentShape, int64_t numTimesteps);

struct StepInputs
{
    at::Tensor x0;           // [1, C, h, w] float32 (the row's latents)
    at::Tensor promptEmbeds; // [1, L, H]
    at::Tensor pooled;       // [1, H]
    int resolution = 0;      // time_ids = [N, N, 0, 0, N, N]
};

struct StepOutcome
{
    float loss = 0;       // the unscaled float32 loss, before the update
    bool updated = true;  // false when fp16 gradients overflowed and the update was skipped
};

// x_t = x0·sqrt(ᾱ_t) + noise·sqrt(1 − ᾱ_t) (scalars in double, as DiffSynth's math.sqrt), ε-prediction, MSE mean
// in float32, backward into the LoRA, AdamW. Gradients start from zero.
StepOutcome runTrainingStep(const UNet2DConditionModel &unet, const StepInputs &inputs, const StepDraw &draw,
                            const at::Tensor &alphasCumprod, const std::vector<at::Tensor> &parameters,
                            LoraAdamW &optimizer, LossScaler &scaler);

} // namespace studio::engine
