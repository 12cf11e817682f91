#include "engine/api/Generation.h"
#include "engine/api/GeneratorPrivate.h"

#include "refine/PromptWeighting.h"
#include "engine/api/MemoryEstimate.h"
#include "engine/common/EngineError.h"
#include "engine/common/SystemMemory.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/diffusion/RandomWeights.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/memory/CudaMemory.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#ifdef STUDIO_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace studio::engine {
namespace {

// `option` names the setting in messages ("--device", "--text-encoder-device").
c10::Device resolveDevice(ComputeDevice device, int index = 0, const char *option = "--device")
{
    const bool cuda = torch::cuda::is_available();
    if (device == ComputeDevice::Cuda && !cuda)
        throw EngineError(EngineError::Code::Unsupported,
                          std::string("CUDA was requested (") + option +
                              ") but is not available (no CUDA-enabled LibTorch or no visible GPU); use " + option +
                              " cpu");
    if (device == ComputeDevice::Cuda && (index < 0 || index >= int(torch::cuda::device_count())))
        throw EngineError(EngineError::Code::Unsupported,
                          std::string(option) + " cuda:" + std::to_string(index) + ": this machine has " +
                              std::to_string(torch::cuda::device_count()) + " CUDA device(s), numbered from 0");
    if (device == ComputeDevice::Cuda)
        return c10::Device(c10::kCUDA, c10::DeviceIndex(index));
    if (device == ComputeDevice::Auto && cuda)
        return c10::Device(c10::kCUDA, 0);
    return c10::Device(c10::kCPU);
}

PipelineOptions optionsFor(c10::Device device, ComputePrecision precision, Switch releaseText, Switch tiling)
{
    PipelineOptions o = KolorsPipeline::defaultOptions(device);
    if (precision == ComputePrecision::Float16 && !device.is_cuda())
        throw EngineError(EngineError::Code::BadArgument, "fp16 runs only on CUDA; use fp32 on the CPU");
    if (precision == ComputePrecision::Float32)
        o.unetDtype = o.textEncoderDtype = o.vaeDtype = c10::kFloat;
    if (precision == ComputePrecision::Float16)
        o.unetDtype = o.textEncoderDtype = c10::kHalf;
    if (releaseText != Switch::Auto)
        o.releaseTextEncoder = releaseText == Switch::On;
    o.vaeTiling = tiling == Switch::On ? VaeTiling::On : tiling == Switch::Off ? VaeTiling::Off : VaeTiling::Auto;
    return o;
}

std::string deviceText(c10::Device device)
{
    return device.is_cuda() ? "cuda:" + std::to_string(std::max<int>(0, device.index())) : "cpu";
}

} // namespace

// The pipeline's request for a facade request (the sampler name already checked).
SampleRequest sampleRequestFor(const GenerationRequest &request)
{
    SampleRequest sample;
    sample.prompt = request.prompt;
    if (!request.negativePrompt.empty())
        sample.negativePrompt = request.negativePrompt;
    sample.seed = request.seed;
    sample.steps = request.steps;
    sample.guidance = request.cfg;
    if (const auto sampler = samplerFromName(request.sampler))
        sample.sampler = *sampler;
    sample.width = request.width;
    sample.height = request.height;
    sample.lora = request.lora;
    if (!request.initImage.isNull()) {
        sample.initImage = request.initImage;
        sample.strength = request.strength;
    }
    if (request.hiresScale != 0.0) { // a negative or NaN scale is refused by validation
        HiresOptions hires;
        hires.scale = request.hiresScale;
        hires.strength = request.hiresStrength;
        hires.steps = request.hiresSteps;
        sample.hires = hires;
    }
    if (request.ipAdapter.enabled())
        sample.ipAdapter = IpAdapterInput{nullptr, request.ipAdapter.referenceImage, request.ipAdapter.scale};
    return sample;
}

void Generator::Private::attachIpAdapter(const GenerationRequest &request, SampleRequest *sample)
{
    const IpAdapterSpec &spec = request.ipAdapter;
    if (!spec.enabled() || !sample->ipAdapter)
        return;
    if (spec.imageEncoderDir.empty())
        throw EngineError(EngineError::Code::BadArgument, "the IP-Adapter " + spec.adapterPath +
                                                              " needs its image encoder folder");
    if (!ipAdapter || !ipAdapter->isFor(spec.adapterPath, spec.imageEncoderDir)) {
        ipAdapter.reset(); // free the old one before the new one takes its memory
        const KolorsPipeline &loaded = *pipeline;
        translateOutOfMemory("loading the IP-Adapter", [&] {
            ipAdapter = IpAdapter::load(spec.adapterPath, spec.imageEncoderDir, loaded.unet(),
                                        loaded.options().device, loaded.options().unetDtype);
        });
    }
    sample->ipAdapter->adapter = ipAdapter;
}

GenerationResult generationResult(const std::string &modelLabel, const PipelineOptions &options,
                                  const GenerationRequest &request, const PipelineResult &r, int denoisingSteps)
{
    GenerationResult out;
    out.height = int(r.image.size(0));
    out.width = int(r.image.size(1));
    out.rgb.assign(r.image.data_ptr<uint8_t>(), r.image.data_ptr<uint8_t>() + r.image.numel());
    out.prompt = request.prompt;
    out.negativePrompt = request.negativePrompt;
    out.seed = request.seed;
    out.steps = request.steps;
    out.cfg = request.cfg;
    out.sampler = samplerName(samplerFromName(request.sampler).value_or(SamplerKind::Euler));
    out.cfgApplied = r.guidanceApplied;
    out.model = modelLabel;
    out.device = deviceText(options.device);
    out.textEncoderDevice = deviceText(options.textEncoderDevice.value_or(options.device));
    out.precision = options.unetDtype == c10::kHalf ? "fp16" : "fp32";
    out.textEncoderQuant = options.textEncoderQuantBits == 8   ? "int8"
                           : options.textEncoderQuantBits == 4 ? "int4"
                                                               : "none";
    out.vaeTiled = r.vaeTiled;
    out.img2img = !request.initImage.isNull();
    out.strength = out.img2img ? request.strength : 0.0;
    out.denoisingSteps = denoisingSteps;
    out.hires = request.hiresScale != 0.0;
    out.baseWidth = request.width;
    out.baseHeight = request.height;
    if (out.hires) {
        out.hiresScale = request.hiresScale;
        out.hiresStrength = request.hiresStrength;
        out.hiresSteps = request.hiresSteps > 0 ? request.hiresSteps : request.steps;
    }
    out.lora = request.lora;
    out.loraFormat = r.loraFormat;
    out.loraEffectiveScaleMin = r.loraEffectiveScaleMin;
    out.loraEffectiveScaleMax = r.loraEffectiveScaleMax;
    if (request.ipAdapter.enabled()) {
        out.ipAdapter = request.ipAdapter;
        out.ipAdapter.referenceImage = RgbImage(); // the caller has it; results stay small
    }
    out.timings.textEncodeMs = r.textEncodeMs;
    out.timings.promptsEncoded = r.promptsEncoded;
    out.timings.samplingMs = r.samplingMs;
    out.timings.vaeDecodeMs = r.vaeDecodeMs;
    out.timings.stepMs = r.stepMs;
    if (request.keepLatents) {
        const at::Tensor latents = r.finalLatents.contiguous();
        out.latents.assign(latents.data_ptr<float>(), latents.data_ptr<float>() + latents.numel());
        out.latentShape.assign(latents.sizes().begin(), latents.sizes().end());
    }
    return out;
}

namespace {

// The placement choices of `settings` on top of `options` (whose device is the resolved --device).
void applyPlacement(const ModelSettings &settings, PipelineOptions *options)
{
    if (options->device.is_cpu())
        options->textEncoderDevice = c10::Device(c10::kCPU); // a CPU run has nothing to place (a cuda choice is
                                                              // still checked below, so it fails clearly)
    if (settings.textEncoderDevice == ComputeDevice::Cpu)
        options->textEncoderDevice = c10::Device(c10::kCPU);
    else if (settings.textEncoderDevice == ComputeDevice::Cuda)
        options->textEncoderDevice =
            resolveDevice(ComputeDevice::Cuda, settings.textEncoderDeviceIndex, "--text-encoder-device");
    else if (options->device.is_cuda())
        options->textEncoderDevice.reset(); // decided at load from the free GPU memory
    if (options->textEncoderDevice && options->textEncoderDevice->is_cpu())
        options->textEncoderDtype = c10::kFloat;
    options->unetBlockOffload = settings.unetOffload == UNetOffload::Blocks;
}

} // namespace

const char *computeDeviceName(ComputeDevice device)
{
    switch (device) {
    case ComputeDevice::Auto:
        return "auto";
    case ComputeDevice::Cpu:
        return "cpu";
    case ComputeDevice::Cuda:
        return "cuda";
    }
    return "auto";
}

std::string computeDeviceName(ComputeDevice device, int index)
{
    const std::string name = computeDeviceName(device);
    return device == ComputeDevice::Cuda && index > 0 ? name + ":" + std::to_string(index) : name;
}

bool parseComputeDevice(const std::string &text, ComputeDevice *device, int *index)
{
    const std::string prefix = "cuda:";
    if (text.size() > prefix.size() && text.compare(0, prefix.size(), prefix) == 0) {
        const std::string digits = text.substr(prefix.size());
        if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
            return false;
        *device = ComputeDevice::Cuda;
        *index = std::stoi(digits);
        return true;
    }
    if (!parseComputeDevice(text, device))
        return false;
    *index = 0;
    return true;
}

const char *unetOffloadName(UNetOffload offload)
{
    return offload == UNetOffload::Blocks ? "blocks" : "none";
}

bool parseUNetOffload(const std::string &text, UNetOffload *offload)
{
    for (UNetOffload o : {UNetOffload::None, UNetOffload::Blocks})
        if (text == unetOffloadName(o)) {
            *offload = o;
            return true;
        }
    return false;
}

int textEncoderQuantBits(TextEncoderQuant quant)
{
    return quant == TextEncoderQuant::Int8 ? 8 : quant == TextEncoderQuant::Int4 ? 4 : 0;
}

const char *textEncoderQuantName(TextEncoderQuant quant)
{
    switch (quant) {
    case TextEncoderQuant::None:
        return "none";
    case TextEncoderQuant::Int8:
        return "int8";
    case TextEncoderQuant::Int4:
        return "int4";
    }
    return "none";
}

bool parseTextEncoderQuant(const std::string &text, TextEncoderQuant *quant)
{
    for (TextEncoderQuant q : {TextEncoderQuant::None, TextEncoderQuant::Int8, TextEncoderQuant::Int4})
        if (text == textEncoderQuantName(q)) {
            *quant = q;
            return true;
        }
    return false;
}

bool parseComputeDevice(const std::string &text, ComputeDevice *device)
{
    for (ComputeDevice d : {ComputeDevice::Auto, ComputeDevice::Cpu, ComputeDevice::Cuda})
        if (text == computeDeviceName(d)) {
            *device = d;
            return true;
        }
    return false;
}

const char *computePrecisionName(ComputePrecision precision)
{
    switch (precision) {
    case ComputePrecision::Auto:
        return "auto";
    case ComputePrecision::Float32:
        return "fp32";
    case ComputePrecision::Float16:
        return "fp16";
    }
    return "auto";
}

bool parseComputePrecision(const std::string &text, ComputePrecision *precision)
{
    for (ComputePrecision p : {ComputePrecision::Auto, ComputePrecision::Float32, ComputePrecision::Float16})
        if (text == computePrecisionName(p)) {
            *precision = p;
            return true;
        }
    return false;
}

bool ModelSettings::operator==(const ModelSettings &o) const
{
    return modelDir == o.modelDir && device == o.device && deviceIndex == o.deviceIndex && precision == o.precision &&
           textEncoderDevice == o.textEncoderDevice && textEncoderDeviceIndex == o.textEncoderDeviceIndex &&
           unetOffload == o.unetOffload && releaseTextEncoder == o.releaseTextEncoder && vaeTiling == o.vaeTiling &&
           textEncoderQuant == o.textEncoderQuant && quantizedWeightCacheDir == o.quantizedWeightCacheDir &&
           benchmarkTimings == o.benchmarkTimings;
}

bool ModelSettings::sameWeights(const ModelSettings &o) const
{
    // Where the weights live is part of them: the text encoder's device and UNet block offload reload too, and so
    // does the text encoder's quantization.
    return modelDir == o.modelDir && device == o.device && deviceIndex == o.deviceIndex && precision == o.precision &&
           textEncoderDevice == o.textEncoderDevice && textEncoderDeviceIndex == o.textEncoderDeviceIndex &&
           unetOffload == o.unetOffload && textEncoderQuant == o.textEncoderQuant &&
           benchmarkTimings == o.benchmarkTimings;
}

double GenerationTimings::medianStepMs() const
{
    if (stepMs.empty())
        return 0.0;
    std::vector<double> sorted = stepMs;
    std::sort(sorted.begin(), sorted.end());
    const size_t mid = sorted.size() / 2;
    return sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
}


Generator::Generator() : d(std::make_unique<Private>()) {}
Generator::~Generator() = default;

void Generator::load(const ModelSettings &settings, const std::function<bool()> &isCancelled)
{
    if (d->pipeline && d->settings == settings)
        return;
    const c10::Device device = resolveDevice(settings.device, settings.deviceIndex);
    PipelineOptions options = optionsFor(device, settings.precision, settings.releaseTextEncoder, settings.vaeTiling);
    if (d->pipeline && d->settings.sameWeights(settings)) {
        // An out-of-memory retry turns tiling on: that must not reload gigabytes of weights.
        d->pipeline->setMemoryOptions(options.releaseTextEncoder, options.vaeTiling);
        d->settings = settings;
        return;
    }
    unload(); // free the old model before the new one takes its memory
    options.synchronizeTimings = settings.benchmarkTimings;
    applyPlacement(settings, &options);
    options.textEncoderQuantBits = textEncoderQuantBits(settings.textEncoderQuant);
    options.quantizedWeightCacheDir = settings.quantizedWeightCacheDir;
    // Say what fits before loading, rather than meet the system's OOM killer half-way (checked at Kolors' 1024x1024).
    std::string shortfall;
    try {
        shortfall = memoryShortfall(settings, device.is_cuda(), 1024, 1024, availableRamBytes(),
                                    device.is_cuda() ? availableVramBytes(device.index()) : -1);
    } catch (const EngineError &) {
        // A folder the estimate cannot read: loading names the problem where it belongs (file, tensor, stage).
    }
    if (!shortfall.empty())
        throw EngineError(EngineError::Code::OutOfMemory, "not loading " + settings.modelDir + ": " + shortfall);
    d->pipeline = KolorsPipeline::load(settings.modelDir, options, isCancelled);
    d->settings = settings;
    d->modelLabel = settings.modelDir;
}

void Generator::loadRandom(const std::string &which, ComputeDevice deviceChoice, ComputePrecision precision,
                           bool benchmarkTimings)
{
    ModelSettings settings;
    settings.device = deviceChoice;
    settings.precision = precision;
    settings.benchmarkTimings = benchmarkTimings;
    settings.releaseTextEncoder = Switch::Off;
    loadRandom(which, settings);
}

void Generator::loadRandom(const std::string &which, const ModelSettings &settings)
{
    const ComputeDevice deviceChoice = settings.device;
    const ComputePrecision precision = settings.precision;
    const bool benchmarkTimings = settings.benchmarkTimings;
    BuiltInModel model;
    if (which == "kolors")
        model = BuiltInModel::Kolors;
    else if (which == "tiny")
        model = BuiltInModel::Tiny;
    else
        throw EngineError(EngineError::Code::BadArgument, "unknown random model \"" + which + "\" (kolors or tiny)");
    unload();
    const c10::Device device = resolveDevice(deviceChoice, settings.deviceIndex);
    // A random text encoder is never reloaded (it would be new random weights): release stays off.
    PipelineOptions options = optionsFor(device, precision, Switch::Off, settings.vaeTiling);
    options.synchronizeTimings = benchmarkTimings;
    applyPlacement(settings, &options);
    KolorsPipeline::Components parts;
    // ChatGlmConfig reads a file: hand it the built-in config through a temporary one.
    const std::filesystem::path configPath =
        std::filesystem::temp_directory_path() /
        ("storyboard-random-text-encoder-" + std::string(builtInModelName(model)) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".json");
    {
        std::ofstream out(configPath);
        out << builtInTextEncoderConfig(model).dump(2);
    }
    struct RemoveFile
    {
        std::filesystem::path path;
        ~RemoveFile()
        {
            std::error_code ignored;
            std::filesystem::remove(path, ignored);
        }
    } removeConfig{configPath};

    parts.unetConfig = builtInUNetConfig(model);
    parts.unetConfigFile = "built-in UNet config";
    parts.unet = std::make_shared<UNet2DConditionModel>(UNetConfig::fromJson(parts.unetConfig, parts.unetConfigFile));
    parts.vae = std::make_shared<AutoencoderKL>(VaeConfig::fromJson(builtInVaeConfig(model), "built-in VAE config"));
    options = KolorsPipeline::withTextEncoderPlaced(options, configPath.string(), *parts.unet, *parts.vae);
    const c10::Device textDevice = options.textEncoderDevice.value_or(device);
    // Streamed, the UNet is built in host memory and stays there.
    const c10::Device unetHome = options.unetBlockOffload ? c10::Device(c10::kCPU) : device;
    {
        // Refuse up front rather than let the system's OOM killer end the process half-way through.
        auto bytes = [](const torch::nn::Module &m, c10::ScalarType dtype) {
            int64_t count = 0;
            for (const at::Tensor &p : m.parameters())
                count += p.numel();
            return count * int64_t(c10::elementSize(dtype));
        };
        const int64_t needed =
            (unetHome.is_cpu() ? bytes(*parts.unet, options.unetDtype) : 0) +
            (device.is_cpu() ? bytes(*parts.vae, options.vaeDtype) : 0) +
            (textDevice.is_cpu() ? RandomChatGlmPromptEncoder::parameterCount(configPath.string()) *
                                       int64_t(c10::elementSize(options.textEncoderDtype))
                                 : 0);
        const int64_t available = needed > 0 ? availableRamBytes() : -1;
        if (available > 0 && needed > available)
            throw EngineError(EngineError::Code::OutOfMemory,
                              "the random " + which + " model needs " + std::to_string(needed >> 30) +
                                  " GiB for its weights but only " + std::to_string(available >> 30) +
                                  " GiB of memory are available: use --random tiny or --device cuda");
    }
    translateOutOfMemory("building the random model", [&] {
        fillRandomWeights(*parts.unet, options.unetDtype, unetHome, 1);
        fillRandomWeights(*parts.vae, options.vaeDtype, device, 2);
        parts.promptEncoder =
            std::make_shared<RandomChatGlmPromptEncoder>(configPath.string(), options.textEncoderDtype, textDevice);
    });
    parts.schedulerConfig = builtInSchedulerConfig(model);
    parts.schedulerConfigFile = "built-in Kolors scheduler config";
    d->pipeline = std::make_unique<KolorsPipeline>(std::move(parts), options);
    d->settings = settings;
    d->settings.modelDir = std::string("random-") + builtInModelName(model);
    d->modelLabel = d->settings.modelDir;
}

void Generator::unload()
{
    d->ipAdapter.reset(); // its projections were made for this UNet
    d->pipeline.reset();
    d->settings = ModelSettings{};
    d->modelLabel.clear();
}

bool Generator::isLoaded() const
{
    return d->pipeline != nullptr;
}
const ModelSettings &Generator::settings() const
{
    return d->settings;
}

std::vector<std::string> Generator::samplerNames()
{
    return studio::engine::samplerNames();
}

void Generator::validate(const GenerationRequest &request) const
{
    const auto sampler = samplerFromName(request.sampler);
    if (!sampler) {
        std::string names;
        for (const std::string &name : samplerNames())
            names += (names.empty() ? "" : ", ") + name;
        throw EngineError(EngineError::Code::BadArgument,
                          "unknown sampler \"" + request.sampler + "\" (choose one of " + names + ")");
    }
    if (request.previewEvery < 0)
        throw EngineError(EngineError::Code::BadArgument, "previewEvery must not be negative");
    // A weight that is not a number is refused before anything loads.
    parsePromptWeights(request.prompt);
    parsePromptWeights(request.negativePrompt);
    const SampleRequest sample = sampleRequestFor(request);
    if (d->pipeline)
        d->pipeline->validate(sample);
    else
        KolorsPipeline::validateRequest(sample, 8); // every Kolors/SDXL VAE downsamples by 8
}

GenerationResult Generator::generate(const GenerationRequest &request)
{
    if (!d->pipeline)
        throw EngineError(EngineError::Code::BadArgument, "no model is loaded");
    validate(request);
    const auto start = std::chrono::steady_clock::now();
    SampleRequest sample = sampleRequestFor(request);
    d->attachIpAdapter(request, &sample);

    PipelineCallbacks callbacks;
    callbacks.progress = request.onProgress;
    callbacks.cancelled = request.isCancelled;
    const int firstPass = request.initImage.isNull() ? request.steps : denoisingSteps(request.steps, request.strength);
    const int hiresSteps = request.hiresSteps > 0 ? request.hiresSteps : request.steps;
    const int steps = firstPass + (request.hiresScale != 0.0 ? denoisingSteps(hiresSteps, request.hiresStrength) : 0);
    if (request.onPreview && request.previewEvery > 0) {
        callbacks.stepLatents = [&](int step, const at::Tensor &latents) {
            if ((step + 1) % request.previewEvery != 0)
                return;
            const at::Tensor rgb = d->pipeline->previewImage(latents);
            PreviewImage preview;
            preview.step = step + 1;
            preview.steps = steps;
            preview.height = int(rgb.size(0));
            preview.width = int(rgb.size(1));
            preview.rgb.assign(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + rgb.numel());
            request.onPreview(preview);
        };
    }
    const PipelineResult r = d->pipeline->generate(sample, callbacks);

    GenerationResult out = generationResult(d->modelLabel, d->pipeline->options(), request, r, steps);
    out.timings.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

bool Generator::hasUndecodedImage() const
{
    return d->pipeline && d->pipeline->hasUndecodedLatents();
}

GenerationResult Generator::decodeAgain(const GenerationRequest &request)
{
    if (!hasUndecodedImage())
        throw EngineError(EngineError::Code::BadArgument, "no sampled image waits for decoding");
    const auto start = std::chrono::steady_clock::now();
    PipelineCallbacks callbacks;
    callbacks.cancelled = request.isCancelled;
    const PipelineResult r = d->pipeline->decodeAgain(callbacks);
    const int firstPass = request.initImage.isNull() ? request.steps : denoisingSteps(request.steps, request.strength);
    const int hiresSteps = request.hiresSteps > 0 ? request.hiresSteps : request.steps;
    const int steps = firstPass + (request.hiresScale != 0.0 ? denoisingSteps(hiresSteps, request.hiresStrength) : 0);
    GenerationResult out = generationResult(d->modelLabel, d->pipeline->options(), request, r, steps);
    out.timings.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

bool Generator::cudaAvailable()
{
    return torch::cuda::is_available();
}

MemoryStats Generator::memoryStats()
{
    MemoryStats stats;
    stats.peakRssBytes = std::max<int64_t>(0, processMemory().peakResidentBytes);
    stats.peakPrivateBytes = sampledPeakPrivateBytes();
    stats.sampledPeakRssBytes = sampledPeakResidentBytes();
    stats.cudaMaxAllocatedBytes = cudaPeakAllocatedBytes();
    for (const PhasePeak &phase : sampledPhasePeaks())
        stats.phases.push_back({phase.name, phase.peakPrivateBytes, phase.peakResidentBytes});
    return stats;
}

void Generator::startMemorySampling()
{
    studio::engine::startMemorySampling();
}

void Generator::resetPeakMemory()
{
    clearSampledPhasePeaks();
#ifdef STUDIO_WITH_CUDA
    if (torch::cuda::is_available()) {
        try {
            c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        } catch (const c10::Error &) {
            // Not initialised yet (nothing allocated on the GPU): there is no peak to reset.
        }
    }
#endif
}

void Generator::writeLatents(const std::string &path, const std::vector<float> &latents,
                             const std::vector<int64_t> &shape)
{
    int64_t count = 1;
    for (int64_t n : shape)
        count *= n;
    if (shape.empty() || count != static_cast<int64_t>(latents.size()))
        throw EngineError(EngineError::Code::BadArgument, "latents do not match their shape");
    const at::Tensor tensor = at::from_blob(const_cast<float *>(latents.data()), shape, at::kFloat).clone();
    writeSafetensors(path, {{"latents", tensor}});
}

void Generator::setThreads(int threads)
{
    if (threads > 0)
        at::set_num_threads(threads);
}

} // namespace studio::engine
