#pragma once

// The step and size arithmetic of img2img and the hires fix (refine-tiny README §1-2), shared by the engine, the
// CLI and the studio, so the number of steps and the hires size the UI shows are the ones that run.

namespace studio::engine {

// Denoising steps of an img2img pass: min(int(steps × strength), steps), the product in double and truncated.
int denoisingSteps(int steps, double strength);

// The hires fix's size (A1111 "Latent" upscaler): int(H × F), int(W × F) truncated, then down to a multiple of the
// VAE factor (the latent is int(H·F)//8 × int(W·F)//8). 64×56 at 1.42 gives 88×72. 0×0 for absurd input.
struct HiresSize
{
    int width = 0, height = 0;
};
HiresSize hiresSize(int width, int height, double scale, int factor = 8);

} // namespace studio::engine
