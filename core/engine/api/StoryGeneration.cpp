#include "engine/api/StoryGeneration.h"

#include "engine/api/GeneratorPrivate.h"
#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <chrono>

namespace studio::engine {
namespace {

[[noreturn]] void refuse(const std::string &what)
{
    throw EngineError(EngineError::Code::BadArgument, what);
}

// The panels that run, ascending: the requested ones (all when none are), plus the identity panels when
// consistency is on.
std::vector<int> panelsToRun(const StoryRequest &request)
{
    const int n = int(request.prompts.size());
    std::vector<bool> run(static_cast<size_t>(n), request.panelsToRender.empty());
    for (int panel : request.panelsToRender)
        run[size_t(panel)] = true;
    if (request.consistency.enabled)
        for (int i = 0; i < request.consistency.identityPanels; ++i)
            run[size_t(i)] = true;
    std::vector<int> panels;
    for (int i = 0; i < n; ++i)
        if (run[size_t(i)])
            panels.push_back(i);
    return panels;
}

GenerationRequest panelRequest(const StoryRequest &story, int panel)
{
    GenerationRequest request = story.base;
    request.prompt = story.prompts[size_t(panel)];
    request.seed = story.base.seed + uint64_t(panel);
    return request;
}

} // namespace

void Generator::validate(const StoryRequest &request) const
{
    const int n = int(request.prompts.size());
    if (n == 0)
        refuse("a story needs at least one prompt");
    const ConsistencySettings &c = request.consistency;
    if (c.enabled) {
        if (c.identityPanels < 1 || c.identityPanels > n)
            refuse("identity panels must be between 1 and the number of panels (" + std::to_string(n) + "), got " +
                   std::to_string(c.identityPanels));
        if (!(c.strength >= 0.0 && c.strength <= 1.0))
            refuse("consistency strength must be between 0 and 1");
        if (c.start < 0)
            refuse("consistency start must not be negative, got " + std::to_string(c.start));
        if (!request.base.initImage.isNull() || request.base.hiresScale != 0.0)
            refuse("a consistent story renders from noise: img2img and the hires fix are not available");
    }
    for (int panel : request.panelsToRender)
        if (panel < 0 || panel >= n)
            refuse("panel " + std::to_string(panel + 1) + " is not in the story (1.." + std::to_string(n) + ")");
    for (int panel = 0; panel < n; ++panel)
        validate(panelRequest(request, panel));
}

std::vector<GenerationResult> Generator::generateStory(const StoryRequest &request)
{
    if (!d->pipeline)
        throw EngineError(EngineError::Code::BadArgument, "no model is loaded");
    validate(request);
    const std::vector<int> panels = panelsToRun(request);
    const ConsistencySettings &settings = request.consistency;
    auto stamp = [&](GenerationResult &result, int panel) {
        static_cast<ConsistencySettings &>(result.consistency) = settings;
        result.consistency.panel = panel;
        result.consistency.identity = settings.enabled && panel < settings.identityPanels;
    };
    std::vector<GenerationResult> results;

    if (!settings.enabled) { // every panel is exactly `generate --seed seed+i`
        const int steps = request.base.steps;
        for (size_t i = 0; i < panels.size(); ++i) {
            GenerationRequest one = panelRequest(request, panels[i]);
            if (request.base.onProgress)
                one.onProgress = [&, i](int step, int) {
                    request.base.onProgress(int(i) * steps + step, int(panels.size()) * steps);
                };
            GenerationResult result = generate(one);
            stamp(result, panels[i]);
            if (request.onPanelDone)
                request.onPanelDone(panels[i], result);
            results.push_back(std::move(result));
        }
        return results;
    }

    const auto start = std::chrono::steady_clock::now();
    StorySampleRequest story;
    story.base = sampleRequestFor(request.base);
    d->attachIpAdapter(request.base, &story.base);
    story.prompts = request.prompts;
    story.identityPanels = settings.identityPanels;
    story.strength = settings.strength;
    story.start = settings.start;
    story.panels = panels;
    StoryCallbacks callbacks;
    callbacks.progress = request.base.onProgress;
    callbacks.cancelled = request.base.isCancelled;
    callbacks.panelDone = [&](int panel, PipelineResult &&r) {
        GenerationResult result = generationResult(d->modelLabel, d->pipeline->options(), panelRequest(request, panel), r,
                                                   request.base.steps);
        stamp(result, panel);
        result.consistency.sharedTokenBytes = r.sharedTokenBytes;
        result.timings.totalMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (request.onPanelDone)
            request.onPanelDone(panel, result);
        results.push_back(std::move(result));
    };
    d->pipeline->generateStory(story, callbacks);
    return results;
}

} // namespace studio::engine
