#include "bridge/StoryGenerationRequest.h"

#include "bridge/CharacterGeneration.h"

namespace studio::bridge {

engine::StoryRequest storyRequest(const story::StoryRenderPlan &plan, engine::GenerationRequest base)
{
    engine::StoryRequest request;
    base.prompt.clear();
    base.negativePrompt = plan.negativePrompt.toStdString();
    base.seed = uint64_t(plan.storySeed);
    base.steps = plan.steps;
    base.cfg = plan.cfgScale;
    base.sampler = plan.sampler.toStdString();
    base.width = plan.width;
    base.height = plan.height;
    request.base = std::move(base);
    const QList<int> run = plan.panelsToRun();
    const int count = run.isEmpty() ? 0 : run.back() + 1;
    for (int i = 0; i < count; ++i)
        request.prompts.push_back(plan.prompts.value(i).toStdString());
    request.consistency.enabled = plan.consistent;
    request.consistency.identityPanels = plan.identityPanels;
    request.consistency.strength = plan.strength;
    request.consistency.start = plan.start;
    for (int panel : plan.requested)
        request.panelsToRender.push_back(panel);
    return request;
}

story::CharacterUse storyPanelUse(const engine::GenerationResult &result, const story::StoryRenderPlan &plan,
                                  const story::IpAdapterFiles &files)
{
    story::CharacterUse use = ipAdapterUse(result, files);
    const engine::PanelConsistency &c = result.consistency;
    if (c.enabled && c.panel >= 0) {
        use.consistent = true;
        use.identityPanels = c.identityPanels;
        use.strength = c.strength;
        use.start = c.start;
        use.panel = c.panel + 1;
        use.storySeed = qint64(result.seed) - c.panel;
        use.identityPrompts = plan.prompts.mid(0, c.identityPanels);
    }
    return use;
}

} // namespace studio::bridge
