#include "StoryRenderPlan.h"

#include <algorithm>

#include <QCoreApplication>

namespace studio::story {

std::optional<StoryRenderPlan> StoryRenderPlan::make(const Project &project, const QList<int> &panels, QString *error)
{
    auto refuse = [error](const QString &text) -> std::optional<StoryRenderPlan> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    QList<int> asked = panels;
    if (asked.isEmpty()) {
        for (int i = 0; i < kPanelCount; ++i)
            asked << i;
    }
    std::sort(asked.begin(), asked.end());
    asked.erase(std::unique(asked.begin(), asked.end()), asked.end());

    StoryRenderPlan plan;
    for (int panel : std::as_const(asked)) {
        if (panel < 0 || panel >= kPanelCount)
            return refuse(
                QCoreApplication::translate("studio::story::StoryRenderPlan", "there is no panel %1").arg(panel + 1));
        (project.effectivePrompt(panel).isEmpty() ? plan.skipped : plan.requested) << panel;
    }
    const CharacterSettings &c = project.character;
    plan.consistent = c.consistent;
    if (!plan.consistent)
        return plan;

    const QString problem = c.problem();
    if (!problem.isEmpty())
        return refuse(
            QCoreApplication::translate("studio::story::StoryRenderPlan", "character settings: %1").arg(problem));
    plan.identityPanels = c.identityPanels;
    plan.strength = c.strength;
    plan.start = c.start;
    for (int i = 0; i < plan.identityPanels; ++i) {
        if (project.effectivePrompt(i).isEmpty())
            return refuse(
                QCoreApplication::translate("studio::story::StoryRenderPlan",
                                            "panel %1 is an identity panel (consistent characters use panels 1 to %2) "
                                            "and has no prompt")
                    .arg(i + 1)
                    .arg(plan.identityPanels));
        if (!plan.requested.contains(i))
            plan.rerunIdentity << i;
    }
    const Panel &first = project.panels.front();
    plan.storySeed = first.seed;
    plan.steps = first.steps;
    plan.cfgScale = first.cfgScale;
    plan.sampler = first.sampler;
    plan.width = first.width;
    plan.height = first.height;
    plan.negativePrompt = project.effectiveNegativePrompt(0);
    for (int i = 0; i < kPanelCount; ++i)
        plan.prompts << project.effectivePrompt(i);
    for (int panel : plan.panelsToRun()) {
        const Panel &p = project.panels[size_t(panel)];
        const bool differs = p.seed != plan.storySeed + panel || p.steps != plan.steps || p.cfgScale != plan.cfgScale ||
                             p.sampler != plan.sampler || p.width != plan.width || p.height != plan.height ||
                             project.effectiveNegativePrompt(panel) != plan.negativePrompt || p.hires.enabled;
        if (differs)
            plan.overridden << panel;
    }
    return plan;
}

QList<int> StoryRenderPlan::panelsToRun() const
{
    QList<int> run = requested;
    if (consistent) {
        for (int i = 0; i < identityPanels; ++i)
            if (!run.contains(i))
                run << i;
    }
    std::sort(run.begin(), run.end());
    return run;
}

CharacterUse StoryRenderPlan::consistencyUse(int panel) const
{
    CharacterUse u;
    if (!consistent)
        return u;
    u.consistent = true;
    u.identityPanels = identityPanels;
    u.strength = strength;
    u.start = start;
    u.storySeed = storySeed;
    u.panel = panel + 1;
    u.identityPrompts = prompts.mid(0, identityPanels);
    return u;
}

QString StoryRenderPlan::panelList(const QList<int> &panels)
{
    QList<int> sorted = panels;
    std::sort(sorted.begin(), sorted.end());
    bool contiguous = sorted.size() > 2;
    for (int i = 1; contiguous && i < sorted.size(); ++i)
        contiguous = sorted[i] == sorted[i - 1] + 1;
    if (contiguous)
        return QStringLiteral("%1–%2").arg(sorted.front() + 1).arg(sorted.back() + 1);
    QStringList parts;
    for (int p : std::as_const(sorted))
        parts << QString::number(p + 1);
    return parts.join(QStringLiteral(", "));
}

} // namespace studio::story
