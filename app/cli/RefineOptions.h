#pragma once

// The refine options of `storyboard generate` (refine-tiny README): img2img from an init image, the hires fix and
// batch count. Kept apart from GenerateCommands.cpp so each file stays one concern.

#include "bridge/GenerationParameters.h"

#include "engine/api/Generation.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>

#include <optional>

namespace studio::cli {

struct RefineOptions
{
    QCommandLineOption initImage{QStringLiteral("init-image"),
                                 QStringLiteral("img2img: start from this PNG/JPEG instead of noise (resized to "
                                                "--width x --height with Lanczos when its size differs)."),
                                 QStringLiteral("FILE")};
    QCommandLineOption strength{QStringLiteral("strength"),
                                QStringLiteral("img2img denoising strength in [0, 1] (default 0.75): runs "
                                               "int(steps x strength) of the steps. A negative value is written "
                                               "--strength=-0.5."),
                                QStringLiteral("S")};
    QCommandLineOption hiresScale{QStringLiteral("hires-scale"),
                                  QStringLiteral("Hires fix: render, upscale the latents by F (bilinear, A1111's "
                                                 "\"Latent\" upscaler) and refine them; the image is "
                                                 "int(H*F)//8*8 x int(W*F)//8*8."),
                                  QStringLiteral("F")};
    QCommandLineOption hiresStrength{QStringLiteral("hires-strength"),
                                     QStringLiteral("Denoising strength of the hires pass in [0, 1] (default 0.7)."),
                                     QStringLiteral("S")};
    QCommandLineOption hiresSteps{QStringLiteral("hires-steps"),
                                  QStringLiteral("Schedule length of the hires pass (default: --steps); it runs "
                                                 "int(N x hires strength) steps."),
                                  QStringLiteral("N")};
    QCommandLineOption batchCount{QStringLiteral("batch-count"),
                                  QStringLiteral("Render N images with seeds seed, seed+1, ... (default 1); with N > 1 "
                                                 "the files are FILE-1.png, FILE-2.png, ..."),
                                  QStringLiteral("N")};

    QList<QCommandLineOption> all() const
    {
        return {initImage, strength, hiresScale, hiresStrength, hiresSteps, batchCount};
    }

    // Fills the refine fields of `request` (the init image is decoded here), `initFile` when an init image is given,
    // and `count`. Returns false with *error naming the option.
    bool read(const QCommandLineParser &parser, engine::GenerationRequest *request,
              std::optional<bridge::InitImageFile> *initFile, int *count, QString *error) const;
};

// A1111 allows up to 100 in its batch count.
constexpr int kMaxBatchCount = 100;

// Where image `index` (0-based) of `count` goes: `path` itself for one image, "stem-<index+1>.suffix" otherwise.
QString batchPath(const QString &path, int index, int count);

} // namespace studio::cli
