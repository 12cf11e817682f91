#pragma once

#include "CharacterUse.h"
#include "Project.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace studio::story {

// What one render of a story's panels runs, following the story's character settings: the one rule the CLI's
// `render STORY` and the studio's Render All / Render panel share.
//
// With consistent characters off, every asked panel renders alone with its own settings. With them on, the
// story renders as one job (engine generateStory): the identity panels 1..K first (as one batch), then the later
// panels, each attending to the identity panels' tokens. The identity panels always run — a later panel cannot be
// made without them — so asking for a later panel alone re-runs them (rerunIdentity says which). The job has one
// set of sampling settings, those of panel 1: its seed (panel i gets seed + i − 1), steps, CFG, sampler, size and
// negative prompt; panels whose own settings differ are listed in `overridden`, so the caller can say so.
struct StoryRenderPlan
{
    bool consistent = false;
    int identityPanels = 0;   // K (consistent only)
    double strength = 0;      // P
    int start = 0;            // S
    QList<int> requested;     // asked for and with a prompt (0-based, ascending)
    QList<int> skipped;       // asked for but without a prompt
    QList<int> rerunIdentity; // identity panels not asked for that run again (consistent only)
    QList<int> overridden;    // running panels whose own settings differ from the shared ones (consistent only)

    // The shared settings (consistent only).
    qint64 storySeed = 0;
    int steps = 0;
    double cfgScale = 0;
    QString sampler;
    int width = 0;
    int height = 0;
    QString negativePrompt;
    QStringList prompts; // every panel's effective prompt (empty for panels without one)

    // `panels`: 0-based; empty means every panel. Refuses (nullopt, *error) when the character settings are out
    // of range or, with consistent characters on, an identity panel has no prompt.
    static std::optional<StoryRenderPlan> make(const Project &project, const QList<int> &panels, QString *error);

    // Identity panels and asked panels, ascending: what the engine runs (consistent only).
    QList<int> panelsToRun() const;
    bool isIdentityPanel(int panel) const { return consistent && panel >= 0 && panel < identityPanels; }
    // The consistency part of what panel `panel` is made with (its parameters record this).
    CharacterUse consistencyUse(int panel) const;

    // "1–3" or "1, 4, 6" (1-based), for messages.
    static QString panelList(const QList<int> &panels);
};

} // namespace studio::story
