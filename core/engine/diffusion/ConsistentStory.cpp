// KolorsPipeline::generateStory: consistent self-attention across a story's panels (golden/consistency-tiny
// part A). All panels advance in lockstep through the existing samplers: the sampler sees one latent batch with a
// row per panel (every sampler is elementwise per row), its noise draws come from each panel's own generator, and
// its model call runs the identity batch first and then every later panel, so the shared tokens of a step are
// used and dropped within that step.

#include "engine/diffusion/KolorsPipeline.h"

#include "engine/attention/ConsistentSelfAttention.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/Samplers.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <chrono>

namespace studio::engine {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Rows `rows` of every panel's conditioning, in the given panel order: the identity batch's layout.
at::Tensor gatherRows(const std::vector<Conditioning> &conditioning, const std::vector<int> &panels, int64_t row,
                      bool pooled)
{
    std::vector<at::Tensor> parts;
    for (int panel : panels) {
        const Conditioning &c = conditioning[size_t(panel)];
        parts.push_back((pooled ? c.textEmbeds : c.encoderHiddenStates).slice(0, row, row + 1));
    }
    return at::cat(parts, 0);
}

void validateStory(const StorySampleRequest &r)
{
    auto bad = [](const std::string &what) { throw EngineError(EngineError::Code::BadArgument, what); };
    const int n = int(r.prompts.size());
    if (n == 0)
        bad("a story needs at least one prompt");
    if (r.identityPanels < 1 || r.identityPanels > n)
        bad("identity panels must be between 1 and the number of panels (" + std::to_string(n) + "), got " +
            std::to_string(r.identityPanels));
    if (!(r.strength >= 0.0 && r.strength <= 1.0))
        bad("consistency strength must be between 0 and 1");
    if (r.start < 0)
        bad("consistency start must not be negative, got " + std::to_string(r.start));
    if (r.base.initImage || r.base.hires)
        bad("a consistent story renders from noise: img2img and the hires fix are not available");
    int previous = -1;
    for (int panel : r.panels) {
        if (panel < 0 || panel >= n)
            bad("panel " + std::to_string(panel + 1) + " is not in the story (1.." + std::to_string(n) + ")");
        if (panel <= previous)
            bad("the panels to render must be ascending and distinct");
        previous = panel;
    }
}

} // namespace

std::vector<Conditioning> KolorsPipeline::encodeStoryPrompts(const std::vector<std::string> &prompts,
                                                             const std::string &negative, bool cfg)
{
    std::vector<Conditioning> out;
    translateOutOfMemory("encoding the prompts", [&] {
        torch::NoGradGuard noGrad;
        bool needsEncoder = cfg && !isCached(negative);
        for (const std::string &prompt : prompts)
            needsEncoder = needsEncoder || !isCached(prompt);
        if (needsEncoder)
            makeRoomForTextEncoder();
        // All prompts in one go, so the text encoder is loaded at most once for the story (and released after).
        std::vector<PromptEmbeddings> positives;
        for (const std::string &prompt : prompts)
            positives.push_back(embeddingsFor(prompt));
        const PromptEmbeddings negativeEmbeddings = cfg ? embeddingsFor(negative) : PromptEmbeddings{};
        for (const PromptEmbeddings &positive : positives) {
            Conditioning c;
            if (cfg) {
                c.encoderHiddenStates = at::cat({negativeEmbeddings.promptEmbeds, positive.promptEmbeds}, 0);
                c.textEmbeds = at::cat({negativeEmbeddings.pooled, positive.pooled}, 0);
            } else {
                c.encoderHiddenStates = positive.promptEmbeds;
                c.textEmbeds = positive.pooled;
            }
            // On the UNet's device (the text encoder may have run on the CPU: --text-encoder-device).
            c.encoderHiddenStates = c.encoderHiddenStates.to(m_options.device);
            c.textEmbeds = c.textEmbeds.to(m_options.device);
            out.push_back(c);
        }
        releaseTextEncoderIfLowMemory();
    });
    return out;
}

std::vector<PipelineResult> KolorsPipeline::generateStory(const StorySampleRequest &request,
                                                          const StoryCallbacks &callbacks)
{
    validateStory(request);
    const int n = int(request.prompts.size());
    const int K = request.identityPanels;
    std::vector<int> panels = request.panels;
    if (panels.empty())
        for (int i = 0; i < n; ++i)
            panels.push_back(i);
    { // the identity panels always run: the others attend to them
        std::vector<int> all;
        for (int i = 0; i < K; ++i)
            all.push_back(i);
        for (int panel : panels)
            if (panel >= K)
                all.push_back(panel);
        panels = all;
    }
    const std::vector<int> identity(panels.begin(), panels.begin() + K);
    const std::vector<int> later(panels.begin() + K, panels.end());
    for (int panel : panels) {
        SampleRequest one = request.base;
        one.prompt = request.prompts[size_t(panel)];
        validate(one);
    }

    PipelineResult shared;
    applyLora(request.base.lora, &shared);
    auto checkCancelled = [&](const std::string &where) {
        if (callbacks.cancelled && callbacks.cancelled())
            throw EngineError(EngineError::Code::Cancelled, "cancelled " + where);
    };
    checkCancelled("before encoding the prompts");
    const bool cfg = request.base.guidance > 1.0;
    const double guidance = request.base.guidance;
    const auto encodeStart = Clock::now();
    const int encodedBefore = m_promptsEncoded;
    std::vector<std::string> prompts;
    for (int panel = 0; panel < n; ++panel)
        prompts.push_back(request.prompts[size_t(panel)]);
    std::vector<Conditioning> conditioning(static_cast<size_t>(n));
    {
        std::vector<std::string> used;
        for (int panel : panels)
            used.push_back(prompts[size_t(panel)]);
        const std::vector<Conditioning> encoded =
            encodeStoryPrompts(used, request.base.negativePrompt.value_or(std::string()), cfg);
        for (size_t i = 0; i < panels.size(); ++i)
            conditioning[size_t(panels[i])] = encoded[i];
    }
    synchronize();
    const double textEncodeMs = msSince(encodeStart);
    const int promptsEncoded = m_promptsEncoded - encodedBefore;
    checkCancelled("after encoding the prompts");

    const SampleRequest &base = request.base;
    const SchedulerConfig schedulerConfig =
        SchedulerConfig::fromFolderConfig(base.sampler, m_schedulerConfig, m_schedulerConfigFile);
    const SamplingSchedule schedule = SamplingSchedule::make(schedulerConfig, base.steps);
    const int factor = m_vae->config().downFactor();
    const int64_t channels = m_unet->config().inChannels;
    const int64_t latentHeight = base.height / factor, latentWidth = base.width / factor;
    const c10::Device device = m_options.device;
    // Low-VRAM mode runs the identity batch's CFG branches one after the other (K rows each, as two plain images
    // would take for K = 2) instead of 2·K rows at once: negative rows only attend to negative rows, so it is exact.
    const bool splitBranches = cfg && m_options.releaseTextEncoder;

    std::vector<at::Tensor> finals(panels.size());
    std::vector<double> stepMs;
    double samplingMs = 0;
    int64_t sharedTokenBytes = 0;
    translateOutOfMemory("sampling the story's " + std::to_string(panels.size()) + " panels at " +
                             std::to_string(base.width) + "x" + std::to_string(base.height) + " with " +
                             std::to_string(K) + " identity panels (fewer identity panels need less memory)",
                         [&] {
        torch::NoGradGuard noGrad;
        placeUNet(device);
        const c10::ScalarType dtype = m_unet->dtype();
        ConsistencyLayout layout = ConsistencyLayout::of(*m_unet, latentHeight, latentWidth);
        ConsistencyDraws draws = ConsistencyDraws::draw(layout, base.steps, K, base.seed);
        if (callbacks.drawsMade)
            callbacks.drawsMade(draws.gate, draws.keep);
        const std::vector<std::string> layers = layout.layers;
        auto hook = std::make_shared<ConsistentSelfAttention>(std::move(layout), std::move(draws), K,
                                                              request.strength, request.start, !later.empty());
        int currentPanel = -1;
        if (callbacks.consistentLayer)
            hook->observer = [&](int step, bool, const std::string &layer, const at::Tensor &in, const at::Tensor &out) {
                callbacks.consistentLayer(step, currentPanel, layer, in, out);
            };
        ScopedAttentionHook scope(
            *m_unet, [&](const std::string &path) { return std::find(layers.begin(), layers.end(), path) != layers.end(); },
            hook);
        // IP-Adapter: the reference image's tokens in every attn2 (disjoint from the consistent attn1 layers).
        const std::unique_ptr<ScopedIpAdapter> ipAdapter =
            base.ipAdapter ? installIpAdapter(*m_unet, *base.ipAdapter, cfg) : nullptr;

        // One generator per panel, seeded with seed + panel: the same draws as `generate --seed seed+panel`.
        std::vector<at::Generator> generators;
        for (int panel : panels)
            generators.push_back(at::make_generator<at::CPUGeneratorImpl>(base.seed + uint64_t(panel)));
        auto drawAll = [&](at::IntArrayRef shape) {
            std::vector<at::Tensor> rows;
            for (size_t i = 0; i < panels.size(); ++i) {
                at::Tensor noise = at::randn({1, shape[1], shape[2], shape[3]}, generators[i],
                                             at::TensorOptions().dtype(at::kFloat));
                if (callbacks.noiseDrawn)
                    callbacks.noiseDrawn(panels[i], noise);
                rows.push_back(noise);
            }
            return at::cat(rows, 0);
        };
        at::Tensor latents =
            (drawAll({int64_t(panels.size()), channels, latentHeight, latentWidth}) *
             static_cast<double>(schedule.initNoiseSigma))
                .to(device);

        const at::Tensor timeIds1 =
            at::tensor({double(base.height), double(base.width), 0.0, 0.0, double(base.height), double(base.width)},
                       at::kFloat)
                .unsqueeze(0)
                .to(device);
        auto unetCall = [&](const at::Tensor &input, const at::Tensor &timestep, const at::Tensor &context,
                            const at::Tensor &pooled) {
            return m_unet
                ->forward(input, timestep, context.to(device, dtype), pooled.to(device, dtype),
                          timeIds1.repeat({input.size(0), 1}))
                .to(at::kFloat);
        };
        auto combine = [&](const at::Tensor &uncond, const at::Tensor &cond) {
            return uncond + guidance * (cond - uncond);
        };
        const std::vector<int> branches = cfg ? std::vector<int>{0, 1} : std::vector<int>{1};

        SamplerIo io;
        io.predictNoise = [&](const at::Tensor &x, const at::Tensor &timestep, int step) {
            checkCancelled("at step " + std::to_string(step + 1) + " of " + std::to_string(base.steps));
            std::vector<at::Tensor> noise;
            const at::Tensor xIdentity = x.slice(0, 0, K);
            currentPanel = -1;
            at::Tensor output;
            if (splitBranches) {
                std::vector<at::Tensor> halves;
                for (int branch : branches) {
                    hook->beginIdentityBatch(step, {branch});
                    if (ipAdapter)
                        ipAdapter->useBranches({branch});
                    halves.push_back(unetCall(xIdentity, timestep, gatherRows(conditioning, identity, branch, false),
                                              gatherRows(conditioning, identity, branch, true)));
                }
                output = at::cat(halves, 0);
            } else {
                hook->beginIdentityBatch(step, branches);
                if (ipAdapter)
                    ipAdapter->useBranches(branches);
                std::vector<at::Tensor> context, pooled;
                for (int b = 0; b < int(branches.size()); ++b) {
                    context.push_back(gatherRows(conditioning, identity, b, false));
                    pooled.push_back(gatherRows(conditioning, identity, b, true));
                }
                output = unetCall(cfg ? at::cat({xIdentity, xIdentity}, 0) : xIdentity, timestep, at::cat(context, 0),
                                  at::cat(pooled, 0));
            }
            if (callbacks.unetCalled)
                callbacks.unetCalled(step, -1, output);
            noise.push_back(cfg ? combine(output.slice(0, 0, K), output.slice(0, K, 2 * K)) : output);
            for (size_t i = 0; i < later.size(); ++i) {
                currentPanel = later[i];
                hook->beginLaterPanel(step, branches);
                if (ipAdapter)
                    ipAdapter->useBranches(branches);
                const at::Tensor xi = x.slice(0, K + int64_t(i), K + int64_t(i) + 1);
                const Conditioning &c = conditioning[size_t(later[i])];
                const at::Tensor out =
                    unetCall(cfg ? at::cat({xi, xi}, 0) : xi, timestep, c.encoderHiddenStates, c.textEmbeds);
                if (callbacks.unetCalled)
                    callbacks.unetCalled(step, later[i], out);
                noise.push_back(cfg ? combine(out.slice(0, 0, 1), out.slice(0, 1, 2)) : out);
            }
            return at::cat(noise, 0);
        };
        io.drawNoise = drawAll;
        auto stepStart = Clock::now();
        const auto samplingStart = stepStart;
        io.afterStep = [&](int step, const at::Tensor &) {
            synchronize();
            stepMs.push_back(msSince(stepStart));
            stepStart = Clock::now();
            if (callbacks.progress)
                callbacks.progress(step + 1, base.steps);
        };
        latents = runSampler(schedule, latents, io);
        samplingMs = msSince(samplingStart);
        sharedTokenBytes = hook->peakBankBytes();
        const at::Tensor final = latents.to(at::kFloat).cpu();
        for (size_t i = 0; i < panels.size(); ++i)
            finals[i] = final.slice(0, int64_t(i), int64_t(i) + 1).contiguous();
    });

    std::vector<PipelineResult> results;
    for (size_t i = 0; i < panels.size(); ++i) {
        checkCancelled("before decoding panel " + std::to_string(panels[i] + 1));
        PipelineResult result;
        result.request = base;
        result.request.prompt = request.prompts[size_t(panels[i])];
        result.request.seed = base.seed + uint64_t(panels[i]);
        result.guidanceApplied = cfg;
        result.loraFormat = shared.loraFormat;
        result.loraEffectiveScaleMin = shared.loraEffectiveScaleMin;
        result.loraEffectiveScaleMax = shared.loraEffectiveScaleMax;
        result.finalLatents = finals[i];
        result.samplingMs = samplingMs;
        result.stepMs = stepMs;
        result.sharedTokenBytes = sharedTokenBytes;
        if (i == 0) { // the story's text encoding, counted once
            result.textEncodeMs = promptsEncoded > 0 ? textEncodeMs : 0.0;
            result.promptsEncoded = promptsEncoded;
        }
        translateOutOfMemory("decoding panel " + std::to_string(panels[i] + 1) + " with the VAE", [&] {
            torch::NoGradGuard noGrad;
            const auto start = Clock::now();
            const at::Tensor decoded = decodeLatents(result.finalLatents, &result.vaeTiled);
            result.imageFloat = toImageFloat(decoded);
            result.image = toImageU8(result.imageFloat);
            result.vaeDecodeMs = msSince(start);
        });
        if (callbacks.panelDone)
            callbacks.panelDone(panels[i], PipelineResult(result));
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace studio::engine
