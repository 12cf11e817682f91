#pragma once

#include "story/Project.h"

#include <QDateTime>
#include <QImage>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace studio::story {

// What a render of one panel asks the engine for: the texts exactly as the engine receives them (style words
// applied), the panel's sampler settings and its hires fix.
struct PanelRenderSettings
{
    QString prompt;
    QString negativePrompt;
    qint64 seed = 0;
    int steps = 25;
    double cfgScale = 5.0;
    QString sampler = QStringLiteral("euler");
    int width = 1024;
    int height = 1024;
    HiresSettings hires; // enabled: a second, larger pass runs
};

// The one render flow of `storyboard render` and the studio (RenderQueue and its worker): the request from a
// panel, where its image goes, how the image is written with its metadata, and how it becomes the panel's chosen
// variant. Only the engine call and when the story is saved differ between the two front ends (the studio adds
// the variant through an undoable command and saves when the user does; the CLI saves after every panel).
class PanelRender
{
public:
    // `panel` is 0-based and must exist.
    static PanelRenderSettings settingsFor(const Project &project, int panel);

    // "images/panel-03/<seed>-<UTC time>.png": where a render of `panel` (0-based) goes.
    static QString relativePathFor(int panel, qint64 seed, const QDateTime &when);

    // Writes `image` under `projectDir` at `relativePath` (or, when a file is there, at the first free
    // "<stem>-N.png": an earlier render is never replaced, undo keeps referring to it) as a PNG carrying the
    // A1111 "parameters" text and the panel's JSON (PanelMetadata) as if the image were chosen, and returns the
    // variant that refers to it. Touches only its arguments and the file system (safe on any thread).
    // `error` is in the UI language.
    static std::optional<PanelVariant> writeImage(const Project &project, const QString &projectDir, int panel,
                                                  const QString &relativePath, const QImage &image,
                                                  const QJsonObject &parameters, qint64 seed, bool aigcLabel,
                                                  QString *error);

    // Appends the variant to the panel and chooses it (the studio does the same through an undoable command).
    static void addChosenVariant(Project &project, int panel, const PanelVariant &variant);
};

} // namespace studio::story
