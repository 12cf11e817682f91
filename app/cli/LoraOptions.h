#pragma once

// --lora FILE --lora-scale S, for `generate` and `render`.

#include "Cli.h"

#include "engine/api/LoraApi.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QFileInfo>

namespace studio::cli {

struct LoraOptions
{
    QCommandLineOption file{QStringLiteral("lora"), QStringLiteral("LoRA file to merge into the UNet (.safetensors "
                                                                   "from kohya/civitai/diffusers, or a DiffSynth "
                                                                   ".ckpt)."),
                            QStringLiteral("FILE")};
    QCommandLineOption scale{QStringLiteral("lora-scale"),
                             QStringLiteral("The LoRA multiplier S (default 1). ") + QString::fromUtf8(engine::kLoraScaleRule),
                             QStringLiteral("S")};
    QList<QCommandLineOption> all() const { return {file, scale}; }

    // Fills `spec` from the options the user gave (keeping its defaults otherwise).
    bool read(const QCommandLineParser &parser, engine::LoraSpec *spec, QString *error) const
    {
        if (parser.isSet(file)) {
            const QString path = parser.value(file);
            if (!QFileInfo(path).isFile()) {
                *error = QStringLiteral("--lora %1 is not a file").arg(path);
                return false;
            }
            spec->path = QFileInfo(path).absoluteFilePath().toStdString();
        }
        if (!parseDouble(parser, scale, &spec->scale, error))
            return false;
        if (parser.isSet(scale) && !spec->enabled()) {
            *error = QStringLiteral("--lora-scale needs a LoRA (--lora FILE)");
            return false;
        }
        return true;
    }
};

} // namespace studio::cli
