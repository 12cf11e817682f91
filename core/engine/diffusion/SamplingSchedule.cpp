#include "engine/diffusion/SamplingSchedule.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

// The numbers here follow diffusers 0.30.3 step by step, including where it computes in float32 (torch tensors)
// and where in float64 (numpy), so timesteps and sigmas come out identical or within one float32 ulp.

namespace studio::engine {
namespace {

struct SamplerName
{
    SamplerKind kind;
    const char *name;
};
constexpr SamplerName kSamplerNames[] = {
    {SamplerKind::Euler, "euler"},      {SamplerKind::EulerAncestral, "euler_a"},
    {SamplerKind::DpmPP2M, "dpmpp_2m"}, {SamplerKind::DpmPP2MKarras, "dpmpp_2m_karras"},
    {SamplerKind::Ddim, "ddim"},
};

bool isDpm(SamplerKind kind)
{
    return kind == SamplerKind::DpmPP2M || kind == SamplerKind::DpmPP2MKarras;
}

[[noreturn]] void unsupported(const std::string &file, const std::string &what)
{
    throw EngineError(EngineError::Code::Unsupported, file + ": " + what + " is not supported");
}

// JSON numbers, or the strings "inf"/"-inf" that Python writes for non-finite floats.
double numberOr(const nlohmann::json &config, const char *key, double fallback, const std::string &file)
{
    if (!config.contains(key) || config.at(key).is_null())
        return fallback;
    const nlohmann::json &value = config.at(key);
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (text == "inf" || text == "Infinity")
            return std::numeric_limits<double>::infinity();
        if (text == "-inf" || text == "-Infinity")
            return -std::numeric_limits<double>::infinity();
    }
    return requireField<double>(config, key, file);
}

// numpy.linspace in float64: start + i * step, the last value set to `stop` exactly.
std::vector<double> linspace(double start, double stop, int count)
{
    std::vector<double> values(std::max(count, 0));
    if (count == 1) {
        values[0] = start;
        return values;
    }
    const double step = (stop - start) / (count - 1);
    for (int i = 0; i < count; ++i)
        values[i] = i * step + start;
    if (count > 1)
        values.back() = stop;
    return values;
}

// numpy.arange(start, 0, -step) for a float step: ceil((stop - start) / step) values start - i * step.
std::vector<double> arangeDown(double start, double step)
{
    const double length = std::ceil((0.0 - start) / -step);
    std::vector<double> values;
    for (int64_t i = 0; i < static_cast<int64_t>(length); ++i)
        values.push_back(start + static_cast<double>(i) * -step);
    return values;
}

double roundHalfEven(double value)
{
    return std::nearbyint(value);
} // numpy.round; default rounding mode

// numpy.interp(x, arange(len(fp)), fp) in float64.
double interpolate(double x, const std::vector<float> &fp)
{
    const int64_t last = static_cast<int64_t>(fp.size()) - 1;
    if (x <= 0.0)
        return fp.front();
    if (x >= static_cast<double>(last))
        return fp.back();
    const int64_t j = static_cast<int64_t>(std::floor(x));
    const double slope = (static_cast<double>(fp[j + 1]) - static_cast<double>(fp[j])) / 1.0;
    return slope * (x - static_cast<double>(j)) + static_cast<double>(fp[j]);
}

// diffusers `_sigma_to_t`: the fractional training timestep whose log-sigma interpolates to log(sigma).
double sigmaToT(double sigma, const std::vector<float> &logSigmas)
{
    const double logSigma = std::log(std::max(sigma, 1e-10));
    const float logSigma32 = static_cast<float>(logSigma); // numpy compares against the float32 table in float32
    const int64_t count = static_cast<int64_t>(logSigmas.size());
    int64_t low = 0;
    for (int64_t j = 0; j < count; ++j)
        if (logSigma32 - logSigmas[j] >= 0.0f)
            low = j;
    low = std::min(low, count - 2);
    const double lowValue = logSigmas[low];
    const double highValue = logSigmas[low + 1];
    double w = (lowValue - logSigma) / (lowValue - highValue);
    w = std::clamp(w, 0.0, 1.0);
    return (1.0 - w) * static_cast<double>(low) + w * static_cast<double>(low + 1);
}

// Karras et al. (2022) schedule with rho = 7 between sigmaMax and sigmaMin, in float64.
std::vector<double> karrasSigmas(double sigmaMin, double sigmaMax, int count)
{
    const double rho = 7.0;
    const std::vector<double> ramp = linspace(0.0, 1.0, count);
    const double minInvRho = std::pow(sigmaMin, 1.0 / rho);
    const double maxInvRho = std::pow(sigmaMax, 1.0 / rho);
    std::vector<double> sigmas;
    for (double r : ramp)
        sigmas.push_back(std::pow(maxInvRho + r * (minInvRho - maxInvRho), rho));
    return sigmas;
}

std::vector<float> toFloatVector(const at::Tensor &tensor)
{
    const at::Tensor contiguous = tensor.to(at::kFloat).contiguous();
    const float *data = contiguous.data_ptr<float>();
    return std::vector<float>(data, data + contiguous.numel());
}

// diffusers `rescale_zero_terminal_snr` (Lin et al. 2023, algorithm 1), on float32 tensors.
at::Tensor rescaleZeroTerminalSnr(const at::Tensor &betas)
{
    const at::Tensor alphas = 1.0 - betas;
    at::Tensor alphasBarSqrt = at::cumprod(alphas, 0).sqrt();
    const at::Tensor first = alphasBarSqrt[0].clone();
    const at::Tensor last = alphasBarSqrt[-1].clone();
    alphasBarSqrt = alphasBarSqrt - last;
    alphasBarSqrt = alphasBarSqrt * (first / (first - last));
    const at::Tensor alphasBar = alphasBarSqrt.pow(2);
    const at::Tensor ratios = alphasBar.slice(0, 1) / alphasBar.slice(0, 0, -1);
    return 1 - at::cat({alphasBar.slice(0, 0, 1), ratios});
}

// Glide's cosine schedule (`betas_for_alpha_bar`), computed in Python floats then stored as float32.
at::Tensor cosineBetas(int count)
{
    auto alphaBar = [](double t) {
        const double c = std::cos((t + 0.008) / 1.008 * M_PI / 2.0);
        return c * c;
    };
    std::vector<float> betas;
    for (int i = 0; i < count; ++i) {
        const double t1 = static_cast<double>(i) / count;
        const double t2 = static_cast<double>(i + 1) / count;
        betas.push_back(static_cast<float>(std::min(1.0 - alphaBar(t2) / alphaBar(t1), 0.999)));
    }
    return at::tensor(betas, at::kFloat);
}

} // namespace

const char *samplerName(SamplerKind kind)
{
    for (const SamplerName &entry : kSamplerNames)
        if (entry.kind == kind)
            return entry.name;
    return "unknown";
}

std::optional<SamplerKind> samplerFromName(const std::string &name)
{
    for (const SamplerName &entry : kSamplerNames)
        if (name == entry.name)
            return entry.kind;
    return std::nullopt;
}

std::vector<std::string> samplerNames()
{
    std::vector<std::string> names;
    for (const SamplerName &entry : kSamplerNames)
        names.emplace_back(entry.name);
    return names;
}

SchedulerConfig SchedulerConfig::fromFolderConfig(SamplerKind kind, const nlohmann::json &json, const std::string &file)
{
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadConfig, file + ": not a JSON object");
    SchedulerConfig c;
    c.kind = kind;
    // Fields every one of the four classes accepts.
    c.numTrainTimesteps = fieldOr<int>(json, "num_train_timesteps", c.numTrainTimesteps, file);
    c.betaStart = numberOr(json, "beta_start", c.betaStart, file);
    c.betaEnd = numberOr(json, "beta_end", c.betaEnd, file);
    c.betaSchedule = fieldOr<std::string>(json, "beta_schedule", c.betaSchedule, file);
    if (json.contains("trained_betas") && !json.at("trained_betas").is_null()) {
        if (!json.at("trained_betas").is_array())
            throw EngineError(EngineError::Code::BadConfig, file + ": field \"trained_betas\" has the wrong type");
        for (const auto &value : json.at("trained_betas"))
            c.trainedBetas.push_back(value.get<double>());
    }
    c.predictionType = fieldOr<std::string>(json, "prediction_type", c.predictionType, file);
    c.timestepSpacing = kind == SamplerKind::Ddim ? "leading" : "linspace";
    c.timestepSpacing = fieldOr<std::string>(json, "timestep_spacing", c.timestepSpacing, file);
    c.stepsOffset = fieldOr<int>(json, "steps_offset", c.stepsOffset, file);
    c.rescaleBetasZeroSnr = fieldOr<bool>(json, "rescale_betas_zero_snr", c.rescaleBetasZeroSnr, file);

    if (kind == SamplerKind::Euler) {
        c.interpolationType = fieldOr<std::string>(json, "interpolation_type", c.interpolationType, file);
        c.useKarrasSigmas = fieldOr<bool>(json, "use_karras_sigmas", false, file);
        if (json.contains("sigma_min") && !json.at("sigma_min").is_null())
            c.sigmaMin = numberOr(json, "sigma_min", 0.0, file);
        if (json.contains("sigma_max") && !json.at("sigma_max").is_null())
            c.sigmaMax = numberOr(json, "sigma_max", 0.0, file);
        c.finalSigmasType = fieldOr<std::string>(json, "final_sigmas_type", c.finalSigmasType, file);
        c.timestepType = fieldOr<std::string>(json, "timestep_type", c.timestepType, file);
    }
    if (isDpm(kind)) {
        c.solverOrder = fieldOr<int>(json, "solver_order", c.solverOrder, file);
        c.algorithmType = fieldOr<std::string>(json, "algorithm_type", c.algorithmType, file);
        c.solverType = fieldOr<std::string>(json, "solver_type", c.solverType, file);
        c.lowerOrderFinal = fieldOr<bool>(json, "lower_order_final", c.lowerOrderFinal, file);
        c.eulerAtFinal = fieldOr<bool>(json, "euler_at_final", c.eulerAtFinal, file);
        c.useLuLambdas = fieldOr<bool>(json, "use_lu_lambdas", c.useLuLambdas, file);
        c.finalSigmasType = fieldOr<std::string>(json, "final_sigmas_type", c.finalSigmasType, file);
        c.lambdaMinClipped = numberOr(json, "lambda_min_clipped", c.lambdaMinClipped, file);
        c.thresholding = fieldOr<bool>(json, "thresholding", false, file);
        // The sampler's name decides Karras sigmas, whatever the folder says (diffusers: from_config(..., kw)).
        c.useKarrasSigmas = kind == SamplerKind::DpmPP2MKarras;
        const std::string variance = fieldOr<std::string>(json, "variance_type", "", file);
        if (!variance.empty())
            unsupported(file, "variance_type \"" + variance + "\"");
        if (c.algorithmType == "deis")
            c.algorithmType = "dpmsolver++"; // diffusers maps it the same way
        if (c.solverType == "logrho" || c.solverType == "bh1" || c.solverType == "bh2")
            c.solverType = "midpoint";
        if (c.algorithmType != "dpmsolver++")
            unsupported(file, "DPM-Solver algorithm_type \"" + c.algorithmType + "\" (only dpmsolver++)");
        if (c.solverType != "midpoint" && c.solverType != "heun")
            unsupported(file, "DPM-Solver solver_type \"" + c.solverType + "\"");
        if (c.solverOrder < 1 || c.solverOrder > 2)
            unsupported(file, "DPM-Solver solver_order " + std::to_string(c.solverOrder) + " (only 1 and 2)");
        if (c.useLuLambdas)
            unsupported(file, "use_lu_lambdas");
    }
    if (kind == SamplerKind::Ddim) {
        c.clipSample = fieldOr<bool>(json, "clip_sample", c.clipSample, file);
        c.clipSampleRange = numberOr(json, "clip_sample_range", c.clipSampleRange, file);
        c.setAlphaToOne = fieldOr<bool>(json, "set_alpha_to_one", c.setAlphaToOne, file);
        c.thresholding = fieldOr<bool>(json, "thresholding", false, file);
    }

    if (c.numTrainTimesteps < 2 || c.numTrainTimesteps > 100000)
        throw EngineError(EngineError::Code::BadConfig,
                          file + ": num_train_timesteps " + std::to_string(c.numTrainTimesteps) + " is out of range");
    if (c.predictionType != "epsilon")
        unsupported(file, "prediction_type \"" + c.predictionType + "\" (only epsilon)");
    if (c.thresholding)
        unsupported(file, "thresholding");
    if (c.timestepType != "discrete")
        unsupported(file, "timestep_type \"" + c.timestepType + "\"");
    if (c.timestepSpacing != "linspace" && c.timestepSpacing != "leading" && c.timestepSpacing != "trailing")
        unsupported(file, "timestep_spacing \"" + c.timestepSpacing + "\"");
    if (c.interpolationType != "linear" && c.interpolationType != "log_linear")
        unsupported(file, "interpolation_type \"" + c.interpolationType + "\"");
    if (c.finalSigmasType != "zero" && c.finalSigmasType != "sigma_min")
        unsupported(file, "final_sigmas_type \"" + c.finalSigmasType + "\"");
    if (c.trainedBetas.empty() && c.betaSchedule != "linear" && c.betaSchedule != "scaled_linear" &&
        c.betaSchedule != "squaredcos_cap_v2")
        unsupported(file, "beta_schedule \"" + c.betaSchedule + "\"");
    if (!c.trainedBetas.empty() && static_cast<int>(c.trainedBetas.size()) != c.numTrainTimesteps)
        throw EngineError(EngineError::Code::BadConfig, file + ": trained_betas has " +
                                                            std::to_string(c.trainedBetas.size()) +
                                                            " values, expected " + std::to_string(c.numTrainTimesteps));
    return c;
}

TrainSchedule TrainSchedule::fromConfig(const SchedulerConfig &c)
{
    at::Tensor betas;
    if (!c.trainedBetas.empty())
        betas = at::tensor(c.trainedBetas, at::kDouble).to(at::kFloat);
    else if (c.betaSchedule == "linear")
        betas = at::linspace(c.betaStart, c.betaEnd, c.numTrainTimesteps, at::kFloat);
    else if (c.betaSchedule == "scaled_linear")
        betas = at::linspace(std::sqrt(c.betaStart), std::sqrt(c.betaEnd), c.numTrainTimesteps, at::kFloat).pow(2);
    else
        betas = cosineBetas(c.numTrainTimesteps);
    if (c.rescaleBetasZeroSnr)
        betas = rescaleZeroTerminalSnr(betas);
    at::Tensor alphasCumprod = at::cumprod(1.0 - betas, 0);
    // The three sigma-based schedulers keep the last sigma finite; DDIM does not need to.
    if (c.rescaleBetasZeroSnr && c.kind != SamplerKind::Ddim)
        alphasCumprod[-1] = std::pow(2.0, -24);
    return {betas, alphasCumprod};
}

at::Tensor SamplingSchedule::timestepTensor(int step) const
{
    const double value = timesteps.at(step);
    return integerTimesteps ? at::scalar_tensor(static_cast<int64_t>(value), at::kLong)
                            : at::scalar_tensor(static_cast<float>(value), at::kFloat);
}

SamplingSchedule SamplingSchedule::tail(int start) const
{
    if (start < 0 || start >= steps())
        throw EngineError(EngineError::Code::BadArgument, "schedule tail from step " + std::to_string(start) +
                                                              " of " + std::to_string(steps()));
    SamplingSchedule s = *this;
    s.fullSteps = fullSteps > 0 ? fullSteps : steps();
    s.timesteps.erase(s.timesteps.begin(), s.timesteps.begin() + start);
    if (!s.sigmas.empty())
        s.sigmas.erase(s.sigmas.begin(), s.sigmas.begin() + start);
    return s;
}

SamplingSchedule SamplingSchedule::make(const SchedulerConfig &config, int steps)
{
    const int trainSteps = config.numTrainTimesteps;
    if (steps <= 0)
        throw EngineError(EngineError::Code::BadArgument, "steps must be at least 1, got " + std::to_string(steps));
    if (steps > trainSteps)
        throw EngineError(EngineError::Code::BadArgument, "steps " + std::to_string(steps) +
                                                              " exceed the scheduler's " + std::to_string(trainSteps) +
                                                              " training timesteps");
    SamplingSchedule s;
    s.config = config;
    s.train = TrainSchedule::fromConfig(config);
    const at::Tensor &ac = s.train.alphasCumprod;
    const std::vector<float> trainSigmas = toFloatVector(((1 - ac) / ac).pow(0.5));
    const float sigmaMinLast = toFloatVector(((1 - ac[0]) / ac[0]).pow(0.5)).front();
    const std::string &spacing = config.timestepSpacing;
    const int offset = config.stepsOffset;

    if (config.kind == SamplerKind::Ddim) {
        std::vector<double> t;
        if (spacing == "linspace") {
            for (double v : linspace(0.0, trainSteps - 1, steps))
                t.push_back(roundHalfEven(v));
            std::reverse(t.begin(), t.end());
        } else if (spacing == "leading") {
            const int ratio = trainSteps / steps;
            for (int i = steps - 1; i >= 0; --i)
                t.push_back(static_cast<double>(i) * ratio + offset);
        } else {
            for (double v : arangeDown(trainSteps, static_cast<double>(trainSteps) / steps))
                t.push_back(roundHalfEven(v) - 1);
        }
        s.timesteps = t;
        s.integerTimesteps = true;
        s.finalAlphaCumprod = config.setAlphaToOne ? 1.0f : ac[0].item<float>();
        s.ddimStepRatio = trainSteps / steps;
        s.initNoiseSigma = 1.0f;
        for (double v : s.timesteps)
            if (v < 0 || v >= trainSteps)
                throw EngineError(EngineError::Code::BadArgument,
                                  "DDIM timestep " + std::to_string(v) + " is outside the training range");
        return s;
    }

    std::vector<float> logSigmas;
    for (float sigma : trainSigmas)
        logSigmas.push_back(std::log(sigma));
    std::vector<double> sigmas;
    std::vector<double> t;

    if (isDpm(config.kind)) {
        // Timesteps whose lambda lies below lambda_min_clipped are cut from the top of the range.
        const at::Tensor lambdas = at::log(ac.sqrt()) - at::log((1 - ac).sqrt());
        const at::Tensor flipped = lambdas.flip({0}).contiguous();
        int64_t clipped = 0;
        const float *lambdaData = flipped.data_ptr<float>();
        while (clipped < flipped.numel() && lambdaData[clipped] < config.lambdaMinClipped)
            ++clipped;
        const int64_t lastTimestep = trainSteps - clipped;
        if (spacing == "linspace") {
            const std::vector<double> v = linspace(0.0, static_cast<double>(lastTimestep - 1), steps + 1);
            for (int i = steps; i >= 1; --i)
                t.push_back(roundHalfEven(v[i]));
        } else if (spacing == "leading") {
            const int64_t ratio = lastTimestep / (steps + 1);
            for (int i = steps; i >= 1; --i)
                t.push_back(static_cast<double>(i * ratio + offset));
        } else {
            for (double v : arangeDown(static_cast<double>(lastTimestep), static_cast<double>(trainSteps) / steps))
                t.push_back(roundHalfEven(v) - 1);
        }
        if (config.useKarrasSigmas) {
            sigmas = karrasSigmas(trainSigmas.front(), trainSigmas.back(), steps);
            t.clear();
            for (double sigma : sigmas)
                t.push_back(roundHalfEven(sigmaToT(sigma, logSigmas)));
        } else {
            for (double v : t)
                sigmas.push_back(interpolate(v, trainSigmas));
        }
        sigmas.push_back(config.finalSigmasType == "sigma_min" ? sigmaMinLast : 0.0);
        s.integerTimesteps = true;
        s.initNoiseSigma = 1.0f;
    } else {
        // Euler and Euler-ancestral: float32 timesteps.
        if (spacing == "linspace") {
            for (double v : linspace(0.0, trainSteps - 1, steps))
                t.push_back(static_cast<float>(v));
            std::reverse(t.begin(), t.end());
        } else if (spacing == "leading") {
            const int ratio = trainSteps / steps;
            for (int i = steps - 1; i >= 0; --i)
                t.push_back(static_cast<double>(i) * ratio + offset);
        } else {
            for (double v : arangeDown(trainSteps, static_cast<double>(trainSteps) / steps))
                t.push_back(static_cast<float>(roundHalfEven(v)) - 1.0f);
        }
        const bool euler = config.kind == SamplerKind::Euler;
        if (euler && config.interpolationType == "log_linear") {
            const at::Tensor logLinear =
                at::linspace(std::log(trainSigmas.back()), std::log(trainSigmas.front()), steps + 1, at::kFloat).exp();
            for (float v : toFloatVector(logLinear))
                sigmas.push_back(v);
        } else {
            for (double v : t)
                sigmas.push_back(interpolate(v, trainSigmas));
        }
        if (euler && config.useKarrasSigmas) {
            const double sigmaMin = config.sigmaMin.value_or(sigmas.back());
            const double sigmaMax = config.sigmaMax.value_or(sigmas.front());
            sigmas = karrasSigmas(sigmaMin, sigmaMax, steps);
            t.clear();
            for (double sigma : sigmas)
                t.push_back(static_cast<float>(sigmaToT(sigma, logSigmas)));
        }
        sigmas.push_back(euler && config.finalSigmasType == "sigma_min" ? sigmaMinLast : 0.0);
        s.integerTimesteps = false;
    }

    s.timesteps = t;
    for (double sigma : sigmas)
        s.sigmas.push_back(static_cast<float>(sigma));
    if (!s.integerTimesteps) {
        const float maxSigma = *std::max_element(s.sigmas.begin(), s.sigmas.end());
        s.initNoiseSigma =
            (spacing == "linspace" || spacing == "trailing") ? maxSigma : std::sqrt(maxSigma * maxSigma + 1.0f);
    }
    if (s.timesteps.empty())
        throw EngineError(EngineError::Code::BadArgument,
                          "the schedule for " + std::to_string(steps) + " steps has no timesteps");
    return s;
}

} // namespace studio::engine
