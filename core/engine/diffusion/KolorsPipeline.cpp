#include "engine/diffusion/KolorsPipeline.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/common/ProcessHeap.h"
#include "engine/common/SystemMemory.h"
#include "engine/common/TorchErrors.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/diffusion/RefinePasses.h"
#include "engine/diffusion/Samplers.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"
#include "engine/lora/LoraFile.h"
#include "engine/lora/LoraSlot.h"
#include "engine/memory/BlockOffload.h"
#include "engine/memory/DevicePlacement.h"
#include "engine/text/ChatGlmTokenizer.h"
#include "refine/RefineMath.h" // hiresSize: the arithmetic the facade shares, not the facade

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#ifdef STUDIO_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace studio::engine {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Limits that keep a request inside what one machine can run; beyond them the request is refused up front.
constexpr int kMaxSide = 4096;
// The same ranges as the story project file (core/story/Project.h), so what renders can also be stored.
constexpr int kMaxSteps = 500;
constexpr double kMaxGuidance = 30.0;
// Kwai-Kolors uses 0.5; above a few the image term drowns the prompt, and 10 leaves room for experiments.
constexpr double kMaxIpScale = 10.0;

// What to change when memory runs out; the CLI and the UI name their own switches for these settings.
constexpr const char *kMemoryHint = "Lower the width and height, turn on low-VRAM mode (release the text encoder "
                                    "after encoding), turn on VAE tiling, or run on the CPU";

std::string sizeText(int width, int height)
{
    return std::to_string(width) + "x" + std::to_string(height);
}

// The device the text encoder computes on, and in which dtype: float32 on the CPU (LibTorch has no fast half
// kernels there), the chosen dtype on a GPU.
c10::Device textEncoderDeviceOf(const PipelineOptions &options)
{
    return options.textEncoderDevice.value_or(options.device);
}
c10::ScalarType textEncoderDtypeOf(const PipelineOptions &options)
{
    return textEncoderDeviceOf(options).is_cpu() ? c10::kFloat : options.textEncoderDtype;
}

} // namespace

void translateOutOfMemory(const std::string &stage, const std::function<void()> &body)
{
    try {
        try {
            body();
        } catch (...) {
            rethrowAsEngineError(stage); // LibTorch and std errors become EngineError; OOM is recognised there
        }
    } catch (const EngineError &error) {
        const std::string message = error.what();
        if (error.code() != EngineError::Code::OutOfMemory || message.find(kMemoryHint) != std::string::npos)
            throw;
#ifdef STUDIO_WITH_CUDA
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
        throw EngineError(EngineError::Code::OutOfMemory, message + " while " + stage + ". " + kMemoryHint);
    }
}

PipelineOptions KolorsPipeline::defaultOptions(c10::Device device)
{
    PipelineOptions o;
    o.device = device;
    if (device.is_cuda()) {
        o.unetDtype = c10::kHalf;
        o.textEncoderDtype = c10::kHalf;
        o.vaeDtype = c10::kFloat;
        o.releaseTextEncoder = true;
    }
    return o;
}

std::unique_ptr<KolorsPipeline> KolorsPipeline::load(const std::string &modelDir, const PipelineOptions &options,
                                                     const std::function<bool()> &cancelled)
{
    PipelineOptions placed = options;
    if (!placed.textEncoderDevice) {
        // The decision needs the sizes only: modules built from the configs hold one-element placeholders.
        const KolorsModelPaths paths = locateKolorsModel(modelDir);
        const std::string unetConfigFile = paths.unetConfig.empty() ? "built-in Kolors UNet config" : paths.unetConfig;
        const UNet2DConditionModel unet(UNetConfig::fromJson(
            paths.unetConfig.empty() ? builtInUNetConfig(BuiltInModel::Kolors) : readJsonFile(paths.unetConfig),
            unetConfigFile));
        const AutoencoderKL vae(paths.vaeConfig.empty() ? VaeConfig::fromJson(builtInVaeConfig(BuiltInModel::Kolors),
                                                                              "built-in Kolors VAE config")
                                                        : VaeConfig::fromFile(paths.vaeConfig));
        placed = withTextEncoderPlaced(options, paths.textEncoderConfig, unet, vae);
    }
    return std::make_unique<KolorsPipeline>(loadComponents(modelDir, placed, cancelled), placed);
}

PipelineOptions KolorsPipeline::withTextEncoderPlaced(const PipelineOptions &options,
                                                      const std::string &textEncoderConfig,
                                                      const UNet2DConditionModel &unet, const AutoencoderKL &vae)
{
    PipelineOptions o = options;
    if (!o.textEncoderDevice)
        o.textEncoderDevice = placeTextEncoder(o, textEncoderConfig, unet, vae);
    o.textEncoderDtype = textEncoderDtypeOf(o);
    return o;
}

KolorsPipeline::Components KolorsPipeline::loadComponents(const std::string &modelDir, const PipelineOptions &options,
                                                          const std::function<bool()> &cancelled)
{
    const KolorsModelPaths paths = locateKolorsModel(modelDir);
    Components parts;
    translateOutOfMemory("loading the model", [&] {
        torch::NoGradGuard noGrad;
        parts.unetConfigFile = paths.unetConfig.empty() ? "built-in Kolors UNet config" : paths.unetConfig;
        parts.unetConfig =
            paths.unetConfig.empty() ? builtInUNetConfig(BuiltInModel::Kolors) : readJsonFile(paths.unetConfig);
        parts.unet = std::make_shared<UNet2DConditionModel>(UNetConfig::fromJson(parts.unetConfig, parts.unetConfigFile));
        LoadOptions unetLoad;
        unetLoad.stage = "UNet";
        unetLoad.dtype = options.unetDtype;
        // Low-VRAM CUDA mode: the UNet waits in host memory until the first prompts are encoded, so the text
        // encoder and the UNet never occupy the GPU together.
        // Streamed blocks wait there for good (pinned by BlockOffload).
        unetLoad.device =
            parksUNet(options) || options.unetBlockOffload ? c10::Device(c10::kCPU) : options.device;
        unetLoad.cancelled = cancelled;
        unetLoad.keepStoredFloats = options.device.is_cpu();
        loadModuleWeights(*parts.unet, TensorStore::open(paths.unetWeights), unetLoad);
        parts.unet->setComputeDtype(options.unetDtype);

        const VaeConfig vaeConfig =
            paths.vaeConfig.empty()
                ? VaeConfig::fromJson(builtInVaeConfig(BuiltInModel::Kolors), "built-in Kolors VAE config")
                : VaeConfig::fromFile(paths.vaeConfig);
        parts.vae = std::make_shared<AutoencoderKL>(vaeConfig);
        LoadOptions vaeLoad;
        vaeLoad.stage = "VAE";
        vaeLoad.dtype = options.vaeDtype;
        vaeLoad.device = options.device;
        vaeLoad.cancelled = cancelled;
        vaeLoad.keepStoredFloats = options.device.is_cpu();
        loadModuleWeights(*parts.vae, AutoencoderKL::withCurrentAttentionNames(TensorStore::open(paths.vaeWeights)),
                          vaeLoad);
        parts.vae->setComputeDtype(options.vaeDtype);
    });
    if (paths.schedulerConfig.empty()) {
        parts.schedulerConfig = builtInSchedulerConfig(BuiltInModel::Kolors);
        parts.schedulerConfigFile = "built-in Kolors scheduler config";
    } else {
        parts.schedulerConfig = readJsonFile(paths.schedulerConfig);
        parts.schedulerConfigFile = paths.schedulerConfig;
    }
    parts.promptEncoder = std::make_shared<ChatGlmPromptEncoder>(
        ChatGlmTokenizer::load(paths.tokenizerModel), paths.textEncoderConfig, paths.textEncoderWeights,
        textEncoderDtypeOf(options), textEncoderDeviceOf(options),
        QuantizationChoice(options.textEncoderQuantBits, options.quantizedWeightCacheDir));
    return parts;
}

KolorsPipeline::KolorsPipeline(Components components, const PipelineOptions &options)
    : m_options(options), m_unet(std::move(components.unet)), m_vae(std::move(components.vae)),
      m_promptEncoder(std::move(components.promptEncoder)), m_schedulerConfig(std::move(components.schedulerConfig)),
      m_schedulerConfigFile(std::move(components.schedulerConfigFile)),
      m_unetConfig(std::move(components.unetConfig)), m_unetConfigFile(std::move(components.unetConfigFile))
{
    if (!m_unet || !m_vae)
        throw EngineError(EngineError::Code::Internal, "pipeline needs a UNet and a VAE");
    if (m_options.device.is_cpu())
        keepLargeBlocksInHeap();
    m_unet->eval();
    m_vae->eval();
    if (m_options.unetBlockOffload) {
        placeUNet(c10::Device(c10::kCPU)); // components built elsewhere may sit on the device; streaming starts from host
        m_unet->setStageHook(std::make_shared<BlockOffload>(m_unet->stages(), m_options.device));
    }
    if (m_unet->config().inChannels != m_vae->config().latentChannels)
        throw EngineError(EngineError::Code::BadConfig,
                          "the UNet takes " + std::to_string(m_unet->config().inChannels) +
                              " latent channels but the VAE has " + std::to_string(m_vae->config().latentChannels));
    // Fail on a bad scheduler config at load time rather than at the first image.
    SchedulerConfig::fromFolderConfig(SamplerKind::Euler, m_schedulerConfig, m_schedulerConfigFile);
}

KolorsPipeline::~KolorsPipeline() = default;

void KolorsPipeline::validate(const SampleRequest &r) const
{
    validateRequest(r, m_vae->config().downFactor());
}

void KolorsPipeline::validateRequest(const SampleRequest &r, int factor)
{
    auto bad = [](const std::string &what) { throw EngineError(EngineError::Code::BadArgument, what); };
    for (auto [name, value] : {std::pair<const char *, int>{"width", r.width}, {"height", r.height}}) {
        if (value <= 0)
            bad(std::string(name) + " must be positive, got " + std::to_string(value));
        if (value % factor != 0)
            bad(std::string(name) + " " + std::to_string(value) + " is not a multiple of " + std::to_string(factor));
        if (value > kMaxSide)
            bad(std::string(name) + " " + std::to_string(value) + " exceeds " + std::to_string(kMaxSide) +
                " (more than the memory of one machine allows)");
    }
    if (r.steps <= 0 || r.steps > kMaxSteps)
        bad("steps must be between 1 and " + std::to_string(kMaxSteps) + ", got " + std::to_string(r.steps));
    if (!std::isfinite(r.guidance) || r.guidance < 0 || r.guidance > kMaxGuidance)
        bad("guidance (CFG) must be a finite number between 0 and " + std::to_string(int(kMaxGuidance)));
    if (r.ipAdapter) {
        if (!std::isfinite(r.ipAdapter->scale) || r.ipAdapter->scale < 0 || r.ipAdapter->scale > kMaxIpScale)
            bad("IP-Adapter scale must be a finite number between 0 and " + std::to_string(int(kMaxIpScale)));
        if (r.ipAdapter->reference.isNull())
            bad("the IP-Adapter needs a reference image");
    }
    validateRefine(r, factor, kMaxSide, kMaxSteps);
}

void KolorsPipeline::checkCancelled(const PipelineCallbacks &callbacks, const std::string &where) const
{
    if (callbacks.cancelled && callbacks.cancelled())
        throw EngineError(EngineError::Code::Cancelled, "cancelled " + where);
}

void KolorsPipeline::synchronize() const
{
    if (m_options.synchronizeTimings && m_options.device.is_cuda())
        torch::cuda::synchronize(m_options.device.index());
}

void KolorsPipeline::setMemoryOptions(bool releaseTextEncoder, VaeTiling vaeTiling)
{
    m_options.releaseTextEncoder = releaseTextEncoder; // placement of the UNet follows it at every run
    m_options.vaeTiling = vaeTiling;
}

void KolorsPipeline::releaseTextEncoder()
{
    if (m_promptEncoder)
        m_promptEncoder->release();
    returnFreeHeapToSystem();
}

void KolorsPipeline::releaseTextEncoderIfLowMemory()
{
    if (!m_options.releaseTextEncoder || !m_promptEncoder)
        return;
    m_promptEncoder->release();
#ifdef STUDIO_WITH_CUDA
    if (m_options.device.is_cuda())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
    returnFreeHeapToSystem();
}

void KolorsPipeline::makeRoomForTextEncoder()
{
    if (parksUNet(m_options)) {
        placeUNet(c10::Device(c10::kCPU));
        return;
    }
    if (!m_options.releaseTextEncoder || !m_options.device.is_cpu())
        return;
    // The pages come back from the file (usually still in the page cache) when the UNet next runs. Weights a LoRA
    // merge wrote to are private copies now: giving their pages back would bring back the file's values.
    for (const at::Tensor &weight : m_unet->parameters())
        if (!(m_lora && m_lora->changed(weight)))
            releaseMappedPages(weight);
    for (const at::Tensor &buffer : m_unet->buffers())
        releaseMappedPages(buffer);
    for (const at::Tensor &weight : m_vae->parameters())
        releaseMappedPages(weight);
    for (const at::Tensor &buffer : m_vae->buffers())
        releaseMappedPages(buffer);
}

bool KolorsPipeline::parksUNet(const PipelineOptions &options)
{
    // Only when the text encoder comes to the UNet's GPU; a streamed UNet is in host memory anyway.
    return options.releaseTextEncoder && options.device.is_cuda() && !options.unetBlockOffload &&
           textEncoderDeviceOf(options) == options.device;
}

void KolorsPipeline::placeUNet(c10::Device device)
{
    if (m_unet->device() == device)
        return;
    m_unet->to(device);
#ifdef STUDIO_WITH_CUDA
    if (device.is_cpu())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

bool KolorsPipeline::isCached(const std::string &prompt) const
{
    for (const auto &entry : m_promptCache)
        if (entry.first == prompt)
            return true;
    return false;
}

PromptEmbeddings KolorsPipeline::embeddingsFor(const std::string &prompt)
{
    for (auto it = m_promptCache.begin(); it != m_promptCache.end(); ++it) {
        if (it->first == prompt) {
            m_promptCache.splice(m_promptCache.begin(), m_promptCache, it);
            return m_promptCache.front().second;
        }
    }
    if (!m_promptEncoder)
        throw EngineError(EngineError::Code::Internal, "this pipeline has no text encoder");
    PromptEmbeddings embeddings = m_promptEncoder->encode(prompt);
    ++m_promptsEncoded;
    if (m_options.promptCacheSize > 0) {
        m_promptCache.emplace_front(prompt, embeddings);
        while (m_promptCache.size() > m_options.promptCacheSize)
            m_promptCache.pop_back();
    }
    return embeddings;
}

Conditioning KolorsPipeline::encodePrompts(const SampleRequest &request)
{
    Conditioning c;
    translateOutOfMemory("encoding the prompt", [&] {
        torch::NoGradGuard noGrad;
        const bool needsEncoder = !isCached(request.prompt) ||
                                  (request.guidance > 1.0 && !isCached(request.negativePrompt.value_or(std::string())));
        if (needsEncoder)
            makeRoomForTextEncoder();
        beginMemoryPhase(kPhaseEncoding); // after the UNet's pages made room: they are not the text encoder's
        const PromptEmbeddings positive = embeddingsFor(request.prompt);
        if (request.guidance > 1.0) {
            const PromptEmbeddings negative = embeddingsFor(request.negativePrompt.value_or(std::string()));
            c.encoderHiddenStates = at::cat({negative.promptEmbeds, positive.promptEmbeds}, 0);
            c.textEmbeds = at::cat({negative.pooled, positive.pooled}, 0);
        } else {
            c.encoderHiddenStates = positive.promptEmbeds;
            c.textEmbeds = positive.pooled;
        }
        // The cache keeps them where they were encoded; the UNet takes them on its device (a few MB from the CPU).
        c.encoderHiddenStates = c.encoderHiddenStates.to(m_options.device);
        c.textEmbeds = c.textEmbeds.to(m_options.device);
        releaseTextEncoderIfLowMemory();
    });
    return c;
}

PipelineResult KolorsPipeline::generate(const SampleRequest &request, const PipelineCallbacks &callbacks)
{
    validate(request);
    PipelineResult result;
    applyLora(request.lora, &result); // before the text encoder runs: a bad LoRA file fails fast
    checkCancelled(callbacks, "before encoding the prompt");
    const auto start = Clock::now();
    const int encodedBefore = m_promptsEncoded;
    Conditioning conditioning;
    if (m_promptEncoder) {
        // The text encoder loads on first use (gigabytes): that load looks at the cancel flag too.
        m_promptEncoder->setCancelCheck(callbacks.cancelled);
        try {
            conditioning = encodePrompts(request);
        } catch (...) {
            m_promptEncoder->setCancelCheck({});
            throw;
        }
        m_promptEncoder->setCancelCheck({});
    } else {
        conditioning = encodePrompts(request);
    }
    synchronize();
    result.textEncodeMs = m_promptsEncoded > encodedBefore ? msSince(start) : 0.0;
    checkCancelled(callbacks, "after encoding the prompt");
    run(request, conditioning, callbacks, result);
    result.promptsEncoded = m_promptsEncoded - encodedBefore;
    return result;
}

PipelineResult KolorsPipeline::generate(const SampleRequest &request, const Conditioning &conditioning,
                                        const PipelineCallbacks &callbacks)
{
    validate(request);
    PipelineResult result;
    applyLora(request.lora, &result);
    checkCancelled(callbacks, "before sampling");
    run(request, conditioning, callbacks, result);
    return result;
}

void KolorsPipeline::applyLora(const LoraSpec &spec, PipelineResult *result)
{
    if (spec.enabled() && !m_lora) {
        if (m_unetConfig.is_null())
            throw EngineError(EngineError::Code::Unsupported,
                              "this pipeline was built without a UNet config, so no LoRA can be mapped onto it");
        m_lora = std::make_unique<LoraSlot>(UnetBlockLayout::fromConfig(m_unetConfig, m_unetConfigFile));
    }
    if (!m_lora)
        return;
    translateOutOfMemory("merging the LoRA " + spec.path, [&] { m_lora->set(*m_unet, spec); });
    if (const LoraFile *file = m_lora->file(); file && !file->pairs().empty()) {
        result->loraFormat = loraFormatName(file->format());
        result->loraEffectiveScaleMin = result->loraEffectiveScaleMax = file->pairs().front().effectiveScale(spec.scale);
        for (const LoraPair &pair : file->pairs()) {
            result->loraEffectiveScaleMin = std::min(result->loraEffectiveScaleMin, pair.effectiveScale(spec.scale));
            result->loraEffectiveScaleMax = std::max(result->loraEffectiveScaleMax, pair.effectiveScale(spec.scale));
        }
    }
}

void KolorsPipeline::run(const SampleRequest &request, const Conditioning &conditioning,
                         const PipelineCallbacks &callbacks, PipelineResult &result)
{
    result.request = request;
    m_undecoded.reset(); // a new run: the latents of an earlier failed decode are no longer wanted
    const bool cfg = request.guidance > 1.0;
    result.guidanceApplied = cfg;
    const int64_t batch = cfg ? 2 : 1;
    if (conditioning.encoderHiddenStates.dim() != 3 || conditioning.encoderHiddenStates.size(0) != batch ||
        conditioning.textEmbeds.dim() != 2 || conditioning.textEmbeds.size(0) != batch)
        throw EngineError(EngineError::Code::BadArgument,
                          "conditioning must hold " + std::to_string(batch) + " rows (" +
                              (cfg ? "negative and positive prompt" : "the prompt") + ")");

    const SchedulerConfig schedulerConfig =
        SchedulerConfig::fromFolderConfig(request.sampler, m_schedulerConfig, m_schedulerConfigFile);
    const SamplingSchedule schedule = SamplingSchedule::make(schedulerConfig, request.steps);
    const int factor = m_vae->config().downFactor();
    const int64_t channels = m_unet->config().inChannels;
    const int64_t latentHeight = request.height / factor, latentWidth = request.width / factor;
    const c10::Device device = m_options.device;

    // img2img runs the tail of the schedule; the hires fix adds a second pass on its own schedule.
    const int firstStep = request.initImage ? img2imgStartStep(request.steps, request.strength) : 0;
    const SamplingSchedule firstPass = firstStep > 0 ? schedule.tail(firstStep) : schedule;
    std::optional<SamplingSchedule> secondPass;
    HiresSize hiresPixels;
    if (request.hires) {
        const int steps = request.hires->steps > 0 ? request.hires->steps : request.steps;
        secondPass = SamplingSchedule::make(schedulerConfig, steps).tail(img2imgStartStep(steps, request.hires->strength));
        hiresPixels = hiresSize(request.width, request.height, request.hires->scale, factor);
    }
    PassProgress progress;
    progress.total = firstPass.steps() + (secondPass ? secondPass->steps() : 0);
    const std::string size = secondPass ? sizeText(hiresPixels.width, hiresPixels.height)
                                        : sizeText(request.width, request.height);

    translateOutOfMemory("sampling " + size, [&] {
        torch::NoGradGuard noGrad;
        placeUNet(device); // back from host memory in low-VRAM mode
        // The reference image's tokens join every cross-attention for this run only; the UNet is plain again after.
        const std::unique_ptr<ScopedIpAdapter> ipAdapter =
            request.ipAdapter ? installIpAdapter(*m_unet, *request.ipAdapter, cfg) : nullptr;
        // One CPU generator per pass, seeded with the seed: draw 0 is the VAE's posterior sample (img2img) or the
        // initial noise, then whatever the sampler draws. The hires pass re-seeds it, as A1111 does.
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(request.seed);
        auto draw = [&](at::IntArrayRef shape) {
            at::Tensor noise = at::randn(shape, generator, at::TensorOptions().dtype(at::kFloat));
            if (callbacks.noiseDrawn)
                callbacks.noiseDrawn(noise);
            return noise;
        };
        at::Tensor latents;
        if (request.initImage) {
            const at::Tensor pixels = initImageTensor(*request.initImage, request.width, request.height);
            const AutoencoderKL::Posterior posterior = m_vae->encode(pixels.to(device));
            const at::Tensor sample = posterior.mean + posterior.std * draw(posterior.mean.sizes()).to(device);
            const at::Tensor init = m_vae->config().scalingFactor * sample;
            latents = addNoise(firstPass, init, draw(init.sizes()).to(device));
        } else {
            latents = (draw({1, channels, latentHeight, latentWidth}) * static_cast<double>(schedule.initNoiseSigma))
                          .to(device);
        }
        latents = denoise(firstPass, latents, request.height, request.width, conditioning, request.guidance, draw,
                          callbacks, progress, result);
        if (secondPass) {
            const at::Tensor upscaled =
                upscaleLatents(latents, hiresPixels.height / factor, hiresPixels.width / factor);
            generator = at::make_generator<at::CPUGeneratorImpl>(request.seed);
            latents = addNoise(*secondPass, upscaled, draw(upscaled.sizes()).to(device));
            latents = denoise(*secondPass, latents, hiresPixels.height, hiresPixels.width, conditioning,
                              request.guidance, draw, callbacks, progress, result);
        }
        result.finalLatents = latents.to(at::kFloat).cpu();
    });

    decodeInto(result, callbacks);
}

void KolorsPipeline::decodeInto(PipelineResult &result, const PipelineCallbacks &callbacks)
{
    // Kept until decoding succeeds (it ran out of memory, or was cancelled first): a retry with tiling decodes
    // these latents again instead of sampling anew.
    m_undecoded = result;
    checkCancelled(callbacks, "before decoding the image");
    const int64_t factor = m_vae->config().downFactor();
    const std::string size = sizeText(int(result.finalLatents.size(3) * factor), int(result.finalLatents.size(2) * factor));
    beginMemoryPhase(kPhaseDecoding);
    translateOutOfMemory("decoding " + size + " with the VAE", [&] {
        torch::NoGradGuard noGrad;
        const auto start = Clock::now();
        const at::Tensor decoded = decodeLatents(result.finalLatents, &result.vaeTiled,
                                                 [&] { checkCancelled(callbacks, "while decoding the image"); });
        result.imageFloat = toImageFloat(decoded);
        result.image = toImageU8(result.imageFloat);
        result.vaeDecodeMs = msSince(start);
    });
    m_undecoded.reset();
}

PipelineResult KolorsPipeline::decodeAgain(const PipelineCallbacks &callbacks)
{
    if (!m_undecoded)
        throw EngineError(EngineError::Code::BadArgument, "no sampled image waits for decoding");
    PipelineResult result = *m_undecoded;
    decodeInto(result, callbacks);
    return result;
}

at::Tensor KolorsPipeline::denoise(const SamplingSchedule &schedule, at::Tensor latents, int height, int width,
                                   const Conditioning &conditioning, double guidance,
                                   const std::function<at::Tensor(at::IntArrayRef)> &draw,
                                   const PipelineCallbacks &callbacks, PassProgress &progress, PipelineResult &result)
{
    const bool cfg = guidance > 1.0;
    const int64_t batch = cfg ? 2 : 1;
    const c10::Device device = m_options.device;
    const c10::ScalarType dtype = m_unet->dtype();
    const at::Tensor context = conditioning.encoderHiddenStates.to(device, dtype);
    const at::Tensor pooled = conditioning.textEmbeds.to(device, dtype);
    const at::Tensor timeIds =
        at::tensor({double(height), double(width), 0.0, 0.0, double(height), double(width)}, at::kFloat)
            .unsqueeze(0)
            .repeat({batch, 1})
            .to(device);
    if (callbacks.timeIdsBuilt)
        callbacks.timeIdsBuilt(timeIds);
    const int offset = progress.done;

    SamplerIo io;
    io.predictNoise = [&](const at::Tensor &x, const at::Tensor &timestep, int step) {
        checkCancelled(callbacks,
                       "at step " + std::to_string(offset + step + 1) + " of " + std::to_string(progress.total));
        const at::Tensor input = cfg ? at::cat({x, x}, 0) : x;
        const at::Tensor output = m_unet->forward(input, timestep, context, pooled, timeIds).to(at::kFloat);
        if (callbacks.unetCalled)
            callbacks.unetCalled(offset + step, timestep, input, output);
        if (!cfg)
            return output;
        const std::vector<at::Tensor> halves = output.chunk(2, 0);
        return halves[0] + guidance * (halves[1] - halves[0]);
    };
    io.drawNoise = draw;
    beginMemoryPhase(kPhaseSampling);
    auto stepStart = Clock::now();
    const auto samplingStart = stepStart;
    io.afterStep = [&](int step, const at::Tensor &x) {
        synchronize();
        result.stepMs.push_back(msSince(stepStart));
        stepStart = Clock::now();
        progress.done = offset + step + 1;
        if (callbacks.stepLatents)
            callbacks.stepLatents(offset + step, x);
        if (callbacks.progress)
            callbacks.progress(progress.done, progress.total);
    };
    latents = runSampler(schedule, latents, io);
    result.samplingMs += msSince(samplingStart);
    return latents;
}

at::Tensor KolorsPipeline::decodeLatents(const at::Tensor &latents, bool *tiled,
                                         const AutoencoderKL::StageCheck &betweenStages) const
{
    torch::NoGradGuard noGrad;
    const int factor = m_vae->config().downFactor();
    const int64_t pixels = latents.size(2) * latents.size(3) * factor * factor;
    const bool tile = m_options.vaeTiling == VaeTiling::On ||
                      (m_options.vaeTiling == VaeTiling::Auto && pixels > m_options.autoTilePixels);
    const bool needed =
        tile && (latents.size(2) > m_options.vaeTileLatents || latents.size(3) > m_options.vaeTileLatents);
    if (tiled)
        *tiled = needed;
    const at::Tensor onDevice = latents.to(m_options.device);
    const at::Tensor decoded =
        needed ? m_vae->decodeTiled(onDevice, m_options.vaeTileLatents, m_options.vaeTileOverlap, betweenStages)
               : m_vae->decode(onDevice, betweenStages);
    synchronize();
    return decoded.to(at::kFloat).cpu();
}

at::Tensor KolorsPipeline::toImageFloat(const at::Tensor &decoded)
{
    return (decoded / 2 + 0.5).clamp(0, 1)[0].permute({1, 2, 0}).contiguous();
}

at::Tensor KolorsPipeline::toImageU8(const at::Tensor &imageFloat)
{
    // numpy's round is half to even, as is at::round.
    return at::round(imageFloat * 255.0).clamp(0, 255).to(at::kByte).contiguous();
}

at::Tensor KolorsPipeline::previewImage(const at::Tensor &latents)
{
    torch::NoGradGuard noGrad;
    const int64_t channels = latents.size(1);
    if (!m_previewMatrix.defined()) {
        // Fit colour ≈ [latent, 1] · M by least squares on one small decode of fixed random latents: no per-VAE
        // constants to maintain, and it follows whatever VAE the folder holds.
        const int64_t size = 16, factor = m_vae->config().downFactor();
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(20240901);
        const at::Tensor z = at::randn({1, channels, size, size}, generator, at::TensorOptions().dtype(at::kFloat));
        const at::Tensor decoded = m_vae->decode(z.to(m_options.device)).cpu();
        const at::Tensor colours = at::avg_pool2d(decoded, {factor, factor}).reshape({3, -1}).t();
        const at::Tensor inputs = at::cat({z.reshape({channels, -1}).t(), at::ones({size * size, 1})}, 1);
        m_previewMatrix = std::get<0>(at::linalg_lstsq(inputs.to(at::kDouble), colours.to(at::kDouble))).to(at::kFloat);
    }
    const at::Tensor x = latents[0].to(at::kFloat).cpu().permute({1, 2, 0}).reshape({-1, channels});
    const at::Tensor rgb = at::cat({x, at::ones({x.size(0), 1})}, 1).matmul(m_previewMatrix);
    return toImageU8((rgb / 2 + 0.5).clamp(0, 1).reshape({latents.size(2), latents.size(3), 3}));
}

} // namespace studio::engine
