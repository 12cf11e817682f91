#pragma once

#include "RenderTypes.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

namespace studio::ui {

class StoryDocument;

// The render queue's side of the story's character settings (issue 13): which files a render uses and what a
// story job runs, decided when the job starts so it uses the settings of that moment.
class CharacterRenderSupport
{
    Q_DECLARE_TR_FUNCTIONS(CharacterRenderSupport)
public:
    // The IP-Adapter files of a render of the open story (disabled without a reference image); nullopt with a
    // translated *why when the story's reference image or this computer's IP-Adapter files cannot be used.
    static std::optional<story::IpAdapterFiles> ipAdapterFiles(const StoryDocument &document, QString *why);

    // The story job for `panels` (consistent characters on): the plan, with every identity panel whose shown
    // image no longer matches what would be drawn now added to the panels that are kept; *notes gets what the
    // user should know (identity panels run again, settings shared from panel 1). nullopt with *why (translated).
    static std::optional<StoryParams> storyParams(const StoryDocument &document, const QList<int> &panels, QString *why,
                                                  QStringList *notes);

    // Whether panel `panel`'s chosen image was made with what `plan` would use now (its prompt, the shared
    // settings and the consistency values).
    static bool imageIsCurrent(const story::Project &project, const story::StoryRenderPlan &plan, int panel);
};

} // namespace studio::ui
