#pragma once

#include "RenderTypes.h"

#include <optional>

namespace studio::ui {

// Writes a finished render into the project folder (never over an existing file) as a PNG carrying the
// A1111 "parameters" text and our own JSON chunk (story::PanelMetadata, libpng), and returns the variant that
// refers to it. Safe on any thread: it touches only its arguments and the file system.
class RenderedImageWriter
{
public:
    static std::optional<story::PanelVariant> write(const ImageTarget &target, const QImage &image,
                                                    const QJsonObject &parameters, qint64 seed, QString *error);

    // "images/panel-03/<seed>-<UTC time>.png": where a render of `panel` (0-based) goes.
    static QString relativePathFor(int panel, qint64 seed, const QDateTime &when);
};

} // namespace studio::ui
