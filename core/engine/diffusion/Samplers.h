#pragma once

#include "engine/diffusion/SamplingSchedule.h"

#include <ATen/core/Tensor.h>

#include <functional>

namespace studio::engine {

// What a sampler needs from the outside world (STYLE P5): the samplers are plain functions over these callbacks,
// so they run with a fake denoiser in tests and with the UNet + CFG + cancel checks in the pipeline.
struct SamplerIo
{
    // The model's noise prediction (epsilon) for `modelInput` (already scaled the way the sampler's diffusers
    // class scales it) at `timestep` (a 0-d CPU tensor, float32 or int64 as the schedule produces it).
    std::function<at::Tensor(const at::Tensor &modelInput, const at::Tensor &timestep, int step)> predictNoise;
    // Standard-normal float32 CPU noise of `shape` from the run's one generator. Euler-ancestral adds it; plain
    // Euler draws one per step and ignores it, exactly like diffusers, so the generator stays in the golden order.
    std::function<at::Tensor(at::IntArrayRef shape)> drawNoise;
    // Called after every step with the new latents; optional. Throwing from it (e.g. EngineError::Cancelled) ends
    // the run.
    std::function<void(int step, const at::Tensor &latents)> afterStep;
};

// Each takes the initial latents already multiplied by schedule.initNoiseSigma (float32, any device) and returns
// the final latents. They run schedule.steps() model calls.
at::Tensor sampleEuler(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io);
at::Tensor sampleEulerAncestral(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io);
at::Tensor sampleDpmSolverMultistep(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io);
at::Tensor sampleDdim(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io);

// img2img's start: `init` noised to the schedule's first timestep with `noise` (each diffusers scheduler's
// add_noise at its begin index; pass the tail of the full schedule). Not multiplied by initNoiseSigma.
at::Tensor addNoise(const SamplingSchedule &schedule, const at::Tensor &init, const at::Tensor &noise);

// Runs the sampler that schedule.config.kind names.
at::Tensor runSampler(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io);

} // namespace studio::engine
