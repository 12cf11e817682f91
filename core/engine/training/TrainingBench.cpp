// `storyboard bench --train`: the training step of the real trainer (TrainingStep) on a random-weight UNet with
// synthetic latents and embeddings, so speed and memory can be measured for any size without a download.

#include "engine/api/Training.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/diffusion/RandomWeights.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/lora/UnetBlockLayout.h"
#include "engine/training/LoraOptimizer.h"
#include "engine/training/TrainableLora.h"
#include "engine/training/TrainingStep.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <chrono>

namespace studio::engine {
namespace {

// "mid": the Kolors UNet's structure (text projection from 4096, pooled 4096, 2048-wide cross-attention) at a
// quarter of its widths and fewer transformer layers, about a tenth of its parameters.
nlohmann::json benchUNetConfig(const std::string &model)
{
    if (model == "tiny")
        return builtInUNetConfig(BuiltInModel::Tiny);
    nlohmann::json config = builtInUNetConfig(BuiltInModel::Kolors);
    if (model == "kolors")
        return config;
    if (model == "mid") {
        config["block_out_channels"] = {160, 320, 640};
        config["transformer_layers_per_block"] = {1, 2, 4};
        return config;
    }
    throw EngineError(EngineError::Code::BadArgument, "unknown bench model \"" + model + "\" (tiny, mid or kolors)");
}

} // namespace

TrainingBenchResult benchmarkTraining(const TrainingBenchRequest &request)
{
    if (request.resolution <= 0 || request.resolution % 8 != 0 || request.resolution > 4096)
        throw EngineError(EngineError::Code::BadArgument, "--resolution must be a positive multiple of 8");
    if (request.rank <= 0 || request.rank > 1024 || request.steps <= 0 || request.steps > 10000)
        throw EngineError(EngineError::Code::BadArgument, "--rank must be 1..1024 and --steps 1..10000");
    const bool cuda =
        request.device == ComputeDevice::Cuda || (request.device == ComputeDevice::Auto && torch::cuda::is_available());
    if (request.device == ComputeDevice::Cuda && !torch::cuda::is_available())
        throw EngineError(EngineError::Code::Unsupported, "CUDA was requested but is not available");
    TrainingPrecision precision = request.precision;
    if (precision == TrainingPrecision::Auto)
        precision = cuda ? TrainingPrecision::Float16 : TrainingPrecision::Float32;
    if (!cuda && precision != TrainingPrecision::Float32)
        throw EngineError(EngineError::Code::BadArgument, "fp16/bf16 training runs on CUDA only");
    const c10::ScalarType dtype = precision == TrainingPrecision::Float16    ? c10::kHalf
                                  : precision == TrainingPrecision::BFloat16 ? c10::kBFloat16
                                                                             : c10::kFloat;
    const c10::Device device = cuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    const bool checkpointing = request.gradientCheckpointing == Switch::On ||
                               (request.gradientCheckpointing == Switch::Auto && cuda);

    TrainingBenchResult result;
    result.model = request.model;
    result.device = cuda ? "cuda:0" : "cpu";
    result.precision = trainingPrecisionName(precision);
    result.gradientCheckpointing = checkpointing;
    try {
        const nlohmann::json config = benchUNetConfig(request.model);
        UNet2DConditionModel unet(UNetConfig::fromJson(config, "built-in " + request.model + " UNet config"));
        fillRandomWeights(unet, dtype, device, 1234);
        for (const at::Tensor &p : unet.parameters())
            result.unetParameters += p.numel();
        unet.setGradientCheckpointing(checkpointing);
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(config, "built-in UNet config");
        TrainableLora lora(unet, layout, request.rank, double(request.rank) / 4.0, device);
        lora.initGaussian(1);
        result.loraParameters = lora.parameterCount();
        const std::vector<at::Tensor> params = lora.parameters();
        LoraAdamW optimizer(params, 1e-4);
        LossScaler scaler(dtype == c10::kHalf);

        const UNetConfig &c = unet.config();
        const int64_t latentSize = request.resolution / 8; // the Kolors VAE's factor
        const int64_t pooledWidth = c.projectionClassEmbeddingsInputDim - 6 * c.additionTimeEmbedDim;
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(7);
        StepInputs inputs;
        inputs.x0 = at::randn({1, c.inChannels, latentSize, latentSize}, generator, at::kFloat);
        inputs.promptEmbeds = at::randn({1, 256, c.textHiddenSize()}, generator, at::kFloat).to(dtype);
        inputs.pooled = at::randn({1, pooledWidth}, generator, at::kFloat).to(dtype);
        inputs.resolution = request.resolution;
        const SchedulerConfig scheduler = SchedulerConfig::fromFolderConfig(
            SamplerKind::Euler, builtInSchedulerConfig(BuiltInModel::Kolors), "built-in scheduler config");
        const at::Tensor alphasCumprod = TrainSchedule::fromConfig(scheduler).alphasCumprod.to(at::kFloat);

        Generator::resetPeakMemory();
        double seconds = 0;
        for (int k = 0; k <= request.steps; ++k) { // step 0 warms up (allocator, kernels) and is not timed
            const StepDraw draw = drawStep(generator, 1, inputs.x0.sizes(), alphasCumprod.size(0));
            if (cuda)
                torch::cuda::synchronize();
            const auto start = std::chrono::steady_clock::now();
            runTrainingStep(unet, inputs, draw, alphasCumprod, params, optimizer, scaler);
            if (cuda)
                torch::cuda::synchronize();
            if (k > 0)
                seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        result.secondsPerStep = seconds / request.steps;
    } catch (...) {
        rethrowAsEngineError("training benchmark");
    }
    const MemoryStats memory = Generator::memoryStats();
    result.peakRssBytes = memory.peakRssBytes;
    result.cudaPeakBytes = memory.cudaMaxAllocatedBytes;
    return result;
}

} // namespace studio::engine
