#include "engine/diffusion/Samplers.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <cmath>

// Scalars are computed in float, as diffusers computes them on 0-d float32 tensors, and applied to the float32
// latents in the same order of operations; the results then match diffusers to the last bit or close to it.

namespace studio::engine {
namespace {

at::Tensor predict(const SamplerIo &io, const at::Tensor &input, const SamplingSchedule &schedule, int step)
{
    if (!io.predictNoise)
        throw EngineError(EngineError::Code::Internal, "sampler called without a noise predictor");
    at::Tensor noise = io.predictNoise(input, schedule.timestepTensor(step), step);
    return noise.to(at::kFloat);
}

at::Tensor drawNoise(const SamplerIo &io, const at::Tensor &like)
{
    if (!io.drawNoise)
        throw EngineError(EngineError::Code::Internal, "sampler called without a noise source");
    return io.drawNoise(like.sizes());
}

void finishStep(const SamplerIo &io, int step, const at::Tensor &latents)
{
    if (io.afterStep)
        io.afterStep(step, latents);
}

void requireSigmas(const SamplingSchedule &schedule)
{
    if (schedule.sigmas.size() != schedule.timesteps.size() + 1)
        throw EngineError(EngineError::Code::Internal, "sampler needs steps + 1 sigmas");
}

// Euler's model input: x / sqrt(sigma^2 + 1).
at::Tensor scaledInput(const at::Tensor &x, float sigma)
{
    return x / static_cast<double>(std::sqrt(sigma * sigma + 1.0f));
}

// The VP (alpha_t, sigma_t) of a k-diffusion sigma, and its log-SNR lambda.
struct VpPoint
{
    float alpha, sigma, lambda;
};
VpPoint vpPoint(float kSigma)
{
    VpPoint p;
    p.alpha = 1.0f / std::sqrt(kSigma * kSigma + 1.0f);
    p.sigma = kSigma * p.alpha;
    p.lambda = std::log(p.alpha) - std::log(p.sigma);
    return p;
}

} // namespace

at::Tensor sampleEuler(const SamplingSchedule &schedule, at::Tensor x, const SamplerIo &io)
{
    requireSigmas(schedule);
    for (int i = 0; i < schedule.steps(); ++i) {
        const float sigma = schedule.sigmas[i];
        const at::Tensor eps = predict(io, scaledInput(x, sigma), schedule, i);
        drawNoise(io, eps); // s_churn = 0: drawn and unused, as diffusers does
        const float sigmaHat = sigma * (0.0f + 1.0f);
        const at::Tensor denoised = x - static_cast<double>(sigmaHat) * eps;
        const at::Tensor derivative = (x - denoised) / static_cast<double>(sigmaHat);
        const float dt = schedule.sigmas[i + 1] - sigmaHat;
        x = x + derivative * static_cast<double>(dt);
        finishStep(io, i, x);
    }
    return x;
}

at::Tensor sampleEulerAncestral(const SamplingSchedule &schedule, at::Tensor x, const SamplerIo &io)
{
    requireSigmas(schedule);
    for (int i = 0; i < schedule.steps(); ++i) {
        const float sigma = schedule.sigmas[i];
        const float next = schedule.sigmas[i + 1];
        const at::Tensor eps = predict(io, scaledInput(x, sigma), schedule, i);
        const at::Tensor denoised = x - static_cast<double>(sigma) * eps;
        const float sigmaUp = std::sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        const float sigmaDown = std::sqrt(next * next - sigmaUp * sigmaUp);
        const at::Tensor derivative = (x - denoised) / static_cast<double>(sigma);
        const float dt = sigmaDown - sigma;
        x = x + derivative * static_cast<double>(dt);
        const at::Tensor noise = drawNoise(io, eps).to(x.device(), at::kFloat);
        x = x + noise * static_cast<double>(sigmaUp);
        finishStep(io, i, x);
    }
    return x;
}

at::Tensor sampleDpmSolverMultistep(const SamplingSchedule &schedule, at::Tensor x, const SamplerIo &io)
{
    requireSigmas(schedule);
    const SchedulerConfig &c = schedule.config;
    const int steps = schedule.steps();
    // diffusers counts the "final steps" on the whole schedule, also when img2img runs only its tail.
    const int scheduleLength = schedule.fullSteps > 0 ? schedule.fullSteps : steps;
    at::Tensor previousDenoised; // the data prediction of the previous step
    int lowerOrderNums = 0;
    for (int i = 0; i < steps; ++i) {
        const at::Tensor eps = predict(io, x, schedule, i);
        const VpPoint s0 = vpPoint(schedule.sigmas[i]);
        const VpPoint t = vpPoint(schedule.sigmas[i + 1]);
        // dpmsolver++ integrates the data prediction x0 = (x - sigma_t * eps) / alpha_t.
        const at::Tensor denoised = (x - static_cast<double>(s0.sigma) * eps) / static_cast<double>(s0.alpha);

        const bool lastStep = i == steps - 1;
        const bool lowerOrderFinal =
            lastStep && (c.eulerAtFinal || (c.lowerOrderFinal && scheduleLength < 15) || c.finalSigmasType == "zero");
        const float h = t.lambda - s0.lambda;
        const float expm1 = std::exp(-h) - 1.0f;
        if (c.solverOrder == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
            x = static_cast<double>(t.sigma / s0.sigma) * x - static_cast<double>(t.alpha * expm1) * denoised;
        } else {
            const VpPoint s1 = vpPoint(schedule.sigmas[i - 1]);
            const float h0 = s0.lambda - s1.lambda;
            const float r0 = h0 / h;
            const at::Tensor d1 = static_cast<double>(1.0f / r0) * (denoised - previousDenoised);
            const at::Tensor base =
                static_cast<double>(t.sigma / s0.sigma) * x - static_cast<double>(t.alpha * expm1) * denoised;
            if (c.solverType == "heun")
                x = base + static_cast<double>(t.alpha * (expm1 / h + 1.0f)) * d1;
            else
                x = base - static_cast<double>(0.5f * (t.alpha * expm1)) * d1;
        }
        if (lowerOrderNums < c.solverOrder)
            ++lowerOrderNums;
        previousDenoised = denoised;
        finishStep(io, i, x);
    }
    return x;
}

at::Tensor sampleDdim(const SamplingSchedule &schedule, at::Tensor x, const SamplerIo &io)
{
    const SchedulerConfig &c = schedule.config;
    const at::Tensor alphasCumprod = schedule.train.alphasCumprod.contiguous();
    const float *ac = alphasCumprod.data_ptr<float>();
    for (int i = 0; i < schedule.steps(); ++i) {
        const int64_t timestep = static_cast<int64_t>(schedule.timesteps[i]);
        const int64_t previous = timestep - schedule.ddimStepRatio;
        const float alphaProd = ac[timestep];
        const float alphaProdPrev = previous >= 0 ? ac[previous] : schedule.finalAlphaCumprod;
        const float betaProd = 1.0f - alphaProd;
        const at::Tensor eps = predict(io, x, schedule, i);
        at::Tensor original =
            (x - static_cast<double>(std::sqrt(betaProd)) * eps) / static_cast<double>(std::sqrt(alphaProd));
        if (c.clipSample)
            original = original.clamp(-c.clipSampleRange, c.clipSampleRange);
        // eta = 0: no variance term, so nothing is drawn.
        const at::Tensor direction = static_cast<double>(std::sqrt(1.0f - alphaProdPrev - 0.0f)) * eps;
        x = static_cast<double>(std::sqrt(alphaProdPrev)) * original + direction;
        finishStep(io, i, x);
    }
    return x;
}

at::Tensor addNoise(const SamplingSchedule &schedule, const at::Tensor &init, const at::Tensor &noise)
{
    // Every value is a float32 scalar, as diffusers computes it on 0-d float32 tensors.
    switch (schedule.config.kind) {
    case SamplerKind::Euler:
    case SamplerKind::EulerAncestral:
        requireSigmas(schedule);
        return init + noise * static_cast<double>(schedule.sigmas[0]);
    case SamplerKind::DpmPP2M:
    case SamplerKind::DpmPP2MKarras: {
        requireSigmas(schedule);
        const float sigma = schedule.sigmas[0];
        const float alpha = 1.0f / std::sqrt(sigma * sigma + 1.0f);
        const float sigmaT = sigma * alpha;
        return static_cast<double>(alpha) * init + static_cast<double>(sigmaT) * noise;
    }
    case SamplerKind::Ddim: {
        const at::Tensor alphasCumprod = schedule.train.alphasCumprod.contiguous();
        const float alphaProd = alphasCumprod.data_ptr<float>()[static_cast<int64_t>(schedule.timesteps.at(0))];
        return static_cast<double>(std::sqrt(alphaProd)) * init + static_cast<double>(std::sqrt(1.0f - alphaProd)) * noise;
    }
    }
    throw EngineError(EngineError::Code::Internal, "unknown sampler");
}

at::Tensor runSampler(const SamplingSchedule &schedule, at::Tensor latents, const SamplerIo &io)
{
    switch (schedule.config.kind) {
    case SamplerKind::Euler:
        return sampleEuler(schedule, std::move(latents), io);
    case SamplerKind::EulerAncestral:
        return sampleEulerAncestral(schedule, std::move(latents), io);
    case SamplerKind::DpmPP2M:
    case SamplerKind::DpmPP2MKarras:
        return sampleDpmSolverMultistep(schedule, std::move(latents), io);
    case SamplerKind::Ddim:
        return sampleDdim(schedule, std::move(latents), io);
    }
    throw EngineError(EngineError::Code::Internal, "unknown sampler");
}

} // namespace studio::engine
