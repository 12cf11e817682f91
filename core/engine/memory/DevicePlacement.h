#pragma once

// Where the text encoder runs when the user leaves it to us (--text-encoder-device auto). Kolors' ChatGLM3 is
// 12.5 GB in fp16, more than the UNet's 5 GB: on an 8 or 12 GB card it cannot share (or even visit) the GPU,
// while on the CPU it encodes a prompt in seconds and the embeddings ([1, 256, 4096]) are a few MB to move.

#include "engine/diffusion/KolorsPipeline.h"

#include <cstdint>
#include <string>

namespace studio::engine {

// What the decision needs, in bytes. Sizes are the weights as they will sit on the GPU (the loaded dtype).
struct TextEncoderFit
{
    int64_t freeBytes = -1;       // free memory of the UNet's GPU before loading (-1: unknown)
    int64_t textEncoderBytes = 0; // the text encoder's weights
    int64_t unetBytes = 0;        // the UNet's weights resident on the GPU while sampling (two blocks when streamed)
    int64_t vaeBytes = 0;
    bool releaseTextEncoder = false; // freed after encoding, and the UNet waits in host memory while it runs
};

// Working memory besides the weights. Encoding 256 tokens needs little beyond the weights (cuBLAS workspace,
// one layer's activations); sampling at 1024x1024 holds the attention matrices of the 64x64 level (4096 tokens,
// 10 heads, a CFG batch of 2: ~0.7 GB in fp16 each) and the skip connections: a few GB, estimated, not measured.
constexpr int64_t kTextEncodeWorkspaceBytes = int64_t(1) << 30;
constexpr int64_t kSamplingWorkspaceBytes = int64_t(3) << 30;

// Whether the text encoder fits on the GPU next to what must be there at the same time: with release, only the
// VAE (the UNet is parked in host memory, or streamed) while it encodes; without, the UNet and VAE while sampling.
// An unknown free size keeps it on the GPU (the behaviour before this choice existed).
bool textEncoderFitsOnGpu(const TextEncoderFit &fit);

// The text encoder's device for `options` (the run's device, dtypes, release and offload): `options.device`, or
// the CPU when it is a GPU whose free memory cannot hold the text encoder too. Sizes come from the modules as
// built from the configs (placeholders are enough) in the dtypes they will be loaded in.
c10::Device placeTextEncoder(const PipelineOptions &options, const std::string &textEncoderConfig,
                             const UNet2DConditionModel &unet, const AutoencoderKL &vae);

} // namespace studio::engine
