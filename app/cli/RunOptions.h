#pragma once

// Where and how the Kolors engine runs: the options every rendering command shares (generate, render, bench,
// generate-story), so they read the same everywhere.

#include "engine/api/Generation.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>

namespace studio::cli {

struct RunOptions
{
    QCommandLineOption device{QStringLiteral("device"), QStringLiteral("auto, cpu or cuda (default auto)."),
                              QStringLiteral("D")};
    QCommandLineOption precision{QStringLiteral("precision"),
                                 QStringLiteral("auto, fp32 or fp16 (default auto: fp16 on CUDA, fp32 on the CPU)."),
                                 QStringLiteral("P")};
    QCommandLineOption lowVram{QStringLiteral("low-vram"),
                               QStringLiteral("Release the text encoder after encoding (default on CUDA).")};
    QCommandLineOption vaeTiling{QStringLiteral("vae-tiling"),
                                 QStringLiteral("auto, on or off: decode the image in tiles (default auto: for "
                                                "images above 1536x1536)."),
                                 QStringLiteral("MODE")};

    QList<QCommandLineOption> all() const { return {device, precision, lowVram, vaeTiling}; }

    // Fills `settings` from the options given (keeping its values otherwise). Returns false with *error naming
    // the option and its vocabulary.
    bool read(const QCommandLineParser &parser, engine::ModelSettings *settings, QString *error) const;
};

} // namespace studio::cli
