#include "engine/training/TrainingStep.h"

#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/training/LoraOptimizer.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include <cmath>

namespace studio::engine {

StepDraw drawStep(at::Generator &generator, int64_t rows, at::IntArrayRef latentShape, int64_t numTimesteps)
{
    StepDraw draw;
    draw.index = at::randint(0, rows, {1}, generator, at::TensorOptions().dtype(at::kLong)).item<int64_t>();
    draw.noise = at::randn(latentShape, generator, at::TensorOptions().dtype(at::kFloat));
    const int64_t tid =
        at::randint(0, numTimesteps, {1}, generator, at::TensorOptions().dtype(at::kLong)).item<int64_t>();
    draw.timestep = numTimesteps - 1 - tid;
    return draw;
}

StepOutcome runTrainingStep(const UNet2DConditionModel &unet, const StepInputs &inputs, const StepDraw &draw,
                            const at::Tensor &alphasCumprod, const std::vector<at::Tensor> &parameters,
                            LoraAdamW &optimizer, LossScaler &scaler)
{
    const c10::Device device = unet.device();
    const double alphaBar = double(alphasCumprod[draw.timestep].item<float>());
    const double a = std::sqrt(alphaBar), b = std::sqrt(1.0 - alphaBar);
    const at::Tensor noise = draw.noise.to(device);
    const at::Tensor noisy = inputs.x0.to(device) * a + noise * b;
    const at::Tensor timestep = at::full({1}, double(draw.timestep), at::TensorOptions().dtype(at::kFloat));
    const double n = inputs.resolution;
    const at::Tensor timeIds = at::tensor({n, n, 0.0, 0.0, n, n}, at::kFloat).view({1, 6});

    optimizer.zeroGrad();
    at::AutoGradMode gradOn(true);
    const at::Tensor pred = unet.forward(noisy, timestep, inputs.promptEmbeds.to(device), inputs.pooled.to(device),
                                         timeIds);
    const at::Tensor loss = at::mse_loss(pred.to(at::kFloat), noise);
    StepOutcome outcome;
    outcome.loss = loss.item<float>();
    const at::Tensor scaled = scaler.enabled() ? loss * scaler.scale() : loss;
    torch::autograd::backward({scaled});
    const bool finite = scaler.unscale(parameters);
    scaler.update(finite);
    outcome.updated = finite;
    if (finite)
        optimizer.step();
    return outcome;
}

} // namespace studio::engine
