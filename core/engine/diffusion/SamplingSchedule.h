#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

// The samplers we offer. Each one corresponds to a diffusers scheduler class made with
// `<Class>.from_config(<the model folder's scheduler config>)`, so settings such as timestep_spacing and
// steps_offset carry over from the folder exactly as they do in diffusers.
enum class SamplerKind
{
    Euler,          // EulerDiscreteScheduler (the Kolors default)
    EulerAncestral, // EulerAncestralDiscreteScheduler
    DpmPP2M,        // DPMSolverMultistepScheduler, dpmsolver++ order 2, use_karras_sigmas=False
    DpmPP2MKarras,  // the same with use_karras_sigmas=True
    Ddim,           // DDIMScheduler, eta 0
};

const char *samplerName(SamplerKind kind); // "euler", "euler_a", "dpmpp_2m", "dpmpp_2m_karras", "ddim"
std::optional<SamplerKind> samplerFromName(const std::string &name);
std::vector<std::string> samplerNames();

// The scheduler settings as the chosen diffusers class would hold them after from_config: the folder's value when
// the class accepts that field, the class default otherwise.
struct SchedulerConfig
{
    SamplerKind kind = SamplerKind::Euler;
    int numTrainTimesteps = 1000;
    double betaStart = 0.0001;
    double betaEnd = 0.02;
    std::string betaSchedule = "linear"; // linear | scaled_linear | squaredcos_cap_v2
    std::vector<double> trainedBetas;    // when non-empty, overrides betaSchedule
    std::string predictionType = "epsilon";
    std::string timestepSpacing = "linspace"; // linspace | leading | trailing
    int stepsOffset = 0;
    bool rescaleBetasZeroSnr = false;
    // Euler / DPM
    std::string interpolationType = "linear"; // Euler only: linear | log_linear
    bool useKarrasSigmas = false;
    std::optional<double> sigmaMin, sigmaMax; // Euler only: Karras range overrides
    std::string finalSigmasType = "zero";     // zero | sigma_min
    std::string timestepType = "discrete";    // Euler only
    // DPM-Solver
    int solverOrder = 2;
    std::string algorithmType = "dpmsolver++";
    std::string solverType = "midpoint";
    bool lowerOrderFinal = true;
    bool eulerAtFinal = false;
    bool useLuLambdas = false;
    double lambdaMinClipped = -std::numeric_limits<double>::infinity();
    // DDIM
    bool clipSample = true;
    double clipSampleRange = 1.0;
    bool setAlphaToOne = true;
    bool thresholding = false;

    // `folderConfig` is the parsed scheduler_config.json (`file` names it in errors). Throws EngineError::BadConfig
    // for wrongly typed fields and EngineError::Unsupported for settings no sampler here implements.
    static SchedulerConfig fromFolderConfig(SamplerKind kind, const nlohmann::json &folderConfig,
                                            const std::string &file);
};

// The training noise schedule of a config: betas and cumulative alphas, float32 [numTrainTimesteps], computed with
// the same ATen operations as diffusers so the values are bit-identical.
struct TrainSchedule
{
    at::Tensor betas;
    at::Tensor alphasCumprod;
    static TrainSchedule fromConfig(const SchedulerConfig &config);
};

// What `scheduler.set_timesteps(n)` produces, plus everything a sampler needs to run it.
struct SamplingSchedule
{
    SchedulerConfig config;
    TrainSchedule train;
    std::vector<double> timesteps;  // one per step, the values handed to the UNet
    bool integerTimesteps = false;  // int64 (DPM, DDIM) or float32 (Euler, Euler-a)
    std::vector<float> sigmas;      // steps + 1 values (empty for DDIM)
    float initNoiseSigma = 1.0f;    // initial noise multiplier
    float finalAlphaCumprod = 1.0f; // DDIM: alphas_cumprod used after the last step
    int ddimStepRatio = 1;          // DDIM: previous timestep = timestep - ratio
    int fullSteps = 0;              // steps of the whole schedule (a tail keeps it: DPM++'s "final steps" rules)

    int steps() const { return static_cast<int>(timesteps.size()); }
    // The timestep of step i as the 0-d tensor diffusers passes to the UNet (float32 or int64, on the CPU).
    at::Tensor timestepTensor(int step) const;

    // Throws EngineError::BadArgument for steps <= 0 or more steps than training timesteps.
    static SamplingSchedule make(const SchedulerConfig &config, int steps);
    // The schedule from step `start` on, as diffusers runs it after set_begin_index(start) (img2img): the
    // timesteps and sigmas from `start`, the DDIM step ratio and fullSteps of the whole schedule.
    SamplingSchedule tail(int start) const;
};

} // namespace studio::engine
