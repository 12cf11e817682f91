#pragma once

// The pieces img2img and the hires fix add to the text-to-image run (refine-tiny README §1-2). The pipeline
// strings them together; each one is a plain function so the golden tests can check it on its own.

#include "engine/diffusion/SamplingSchedule.h"
#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>

namespace studio::engine {

struct SampleRequest;

// The init image as the VAE takes it: Lanczos-resized to width × height unless it has that size already (A1111's
// "Just resize"), then float32 u8/255 scaled to [-1, 1]. [1, 3, height, width] float32 CPU.
at::Tensor initImageTensor(const RgbImage &image, int width, int height);

// The first step of the tail an img2img pass runs: steps - min(int(steps × strength), steps).
int img2imgStartStep(int steps, double strength);

// The latent the hires fix's second pass starts from: bilinear (align_corners false, no antialiasing) to `height`
// × `width` latent pixels. float32.
at::Tensor upscaleLatents(const at::Tensor &latents, int64_t height, int64_t width);

// Refuses what the refine options cannot run (EngineError::BadArgument naming the option): a strength outside
// [0, 1], no denoising step left, a hires scale that is not finite or gives an empty or too large image,
// img2img and hires fix together. `factor` is the VAE's downsampling factor, `maxSide` the largest side allowed.
void validateRefine(const SampleRequest &request, int factor, int maxSide, int maxSteps);

} // namespace studio::engine
