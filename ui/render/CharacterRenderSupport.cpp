#include "CharacterRenderSupport.h"

#include "ui/AppSettings.h"
#include "ui/StoryDocument.h"

#include <algorithm>

namespace studio::ui {

std::optional<story::IpAdapterFiles> CharacterRenderSupport::ipAdapterFiles(const StoryDocument &document, QString *why)
{
    AppSettings *app = AppSettings::instance();
    QString detail;
    std::optional<story::IpAdapterFiles> files = story::CharacterReference::files(
        document.project(), document.projectDir(), app->get(Setting::IpAdapterFile).toString(),
        app->get(Setting::ImageEncoderFolder).toString(), &detail);
    if (!files && why)
        *why = tr("The story's reference image cannot be used: %1\n\nChange it in the Character tab, or set the "
                  "IP-Adapter files in Settings ▸ Model….")
                   .arg(detail);
    return files;
}

bool CharacterRenderSupport::imageIsCurrent(const story::Project &project, const story::StoryRenderPlan &plan,
                                            int panel)
{
    const story::PanelVariant *chosen = project.panels[size_t(panel)].chosen();
    if (!chosen)
        return false;
    const QJsonObject &p = chosen->parameters;
    const story::CharacterUse made = story::CharacterUse::fromParameters(p);
    const story::CharacterUse now = plan.consistencyUse(panel);
    return made.consistent && made.identityPanels == now.identityPanels && made.strength == now.strength &&
           made.start == now.start && made.storySeed == now.storySeed && made.identityPrompts == now.identityPrompts &&
           p.value(QStringLiteral("prompt")).toString() == plan.prompts.value(panel) &&
           p.value(QStringLiteral("negativePrompt")).toString() == plan.negativePrompt &&
           p.value(QStringLiteral("steps")).toInt() == plan.steps &&
           p.value(QStringLiteral("cfgScale")).toDouble() == plan.cfgScale &&
           p.value(QStringLiteral("sampler")).toString() == plan.sampler &&
           p.value(QStringLiteral("width")).toInt() == plan.width &&
           p.value(QStringLiteral("height")).toInt() == plan.height;
}

std::optional<StoryParams> CharacterRenderSupport::storyParams(const StoryDocument &document, const QList<int> &panels,
                                                               QString *why, QStringList *notes)
{
    const story::Project &project = document.project();
    QString detail;
    std::optional<story::StoryRenderPlan> plan = story::StoryRenderPlan::make(project, panels, &detail);
    if (!plan) {
        if (why)
            *why = tr("Consistent characters cannot render this story: %1\n\nFix it in the Character tab.").arg(detail);
        return std::nullopt;
    }
    if (plan->requested.isEmpty()) {
        if (why)
            *why = tr("No panel to render: no panel asked for has a prompt.");
        return std::nullopt;
    }
    const std::optional<story::IpAdapterFiles> files = ipAdapterFiles(document, why);
    if (!files)
        return std::nullopt;

    // An identity panel that runs anyway and whose image is out of date gets its new image too: the later panels
    // are drawn from it, so the board must show it.
    QList<int> stale;
    for (int panel : std::as_const(plan->rerunIdentity)) {
        if (!imageIsCurrent(project, *plan, panel))
            stale << panel;
    }
    for (int panel : std::as_const(stale)) {
        plan->requested << panel;
        plan->rerunIdentity.removeAll(panel);
    }
    std::sort(plan->requested.begin(), plan->requested.end());
    if (notes) {
        QList<int> identityPanels;
        for (int i = 0; i < plan->identityPanels; ++i)
            identityPanels << i;
        const QString identity = story::StoryRenderPlan::panelList(identityPanels);
        if (!plan->rerunIdentity.isEmpty())
            //: %1 lists panel numbers ("1, 2"); their images are kept
            *notes << tr("Consistent characters: identity panels %1 run again first (their images stay as they "
                         "are).",
                         "storyboard panel")
                          .arg(story::StoryRenderPlan::panelList(plan->rerunIdentity));
        if (!stale.isEmpty())
            *notes << tr("Identity panels %1 changed since their images were made: they get new images too.",
                         "storyboard panel")
                          .arg(story::StoryRenderPlan::panelList(stale));
        if (plan->rerunIdentity.isEmpty() && stale.isEmpty())
            *notes << tr("Consistent characters: identity panels %1 render first, then the others.", "storyboard panel")
                          .arg(identity);
        if (!plan->overridden.isEmpty())
            *notes << tr("Panels %1 render with panel 1's steps, CFG, sampler, size and negative prompt and seed + "
                         "panel number (the story renders as one).",
                         "storyboard panel")
                          .arg(story::StoryRenderPlan::panelList(plan->overridden));
    }
    return StoryParams{*plan, *files};
}

} // namespace studio::ui
