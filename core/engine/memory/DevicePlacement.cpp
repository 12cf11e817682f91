#include "engine/memory/DevicePlacement.h"

#include "engine/memory/CudaMemory.h"

#include <algorithm>

namespace studio::engine {

namespace {

int64_t weightBytes(const torch::nn::Module &module, c10::ScalarType dtype)
{
    int64_t count = 0;
    for (const at::Tensor &p : module.parameters())
        count += p.numel();
    return count * int64_t(c10::elementSize(dtype));
}

} // namespace

bool textEncoderFitsOnGpu(const TextEncoderFit &fit)
{
    if (fit.freeBytes < 0)
        return true;
    const int64_t needed = fit.releaseTextEncoder
                               ? fit.textEncoderBytes + fit.vaeBytes + kTextEncodeWorkspaceBytes
                               : fit.textEncoderBytes + fit.unetBytes + fit.vaeBytes + kSamplingWorkspaceBytes;
    return needed <= fit.freeBytes;
}

c10::Device placeTextEncoder(const PipelineOptions &options, const std::string &textEncoderConfig,
                             const UNet2DConditionModel &unet, const AutoencoderKL &vae)
{
    if (!options.device.is_cuda())
        return options.device; // on the CPU there is nothing to choose
    TextEncoderFit fit;
    fit.freeBytes = cudaFreeBytes(options.device);
    fit.textEncoderBytes = RandomChatGlmPromptEncoder::parameterCount(textEncoderConfig) *
                           int64_t(c10::elementSize(options.textEncoderDtype));
    fit.unetBytes = weightBytes(unet, options.unetDtype);
    if (options.unetBlockOffload) {
        // Streamed, the UNet holds about two stages at a time (the running one and the next one's copy).
        int64_t largestStage = 0;
        for (const UNetStage &stage : unet.stages()) {
            int64_t bytes = 0;
            for (const auto &module : stage.modules)
                bytes += weightBytes(*module, options.unetDtype);
            largestStage = std::max(largestStage, bytes);
        }
        fit.unetBytes = 2 * largestStage;
    }
    fit.vaeBytes = weightBytes(vae, options.vaeDtype);
    fit.releaseTextEncoder = options.releaseTextEncoder;
    return textEncoderFitsOnGpu(fit) ? options.device : c10::Device(c10::kCPU);
}

} // namespace studio::engine
