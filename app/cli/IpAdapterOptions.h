#pragma once

// The IP-Adapter options of `storyboard generate` (consistency-tiny README part B): --ip-adapter FILE
// --image-encoder DIR --reference-image F.png [--ip-scale S]. Kept apart from GenerateCommands.cpp so each file
// stays one concern; `generate-story` reads the same options.

#include "engine/api/Generation.h"
#include "story/A1111Parameters.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace studio::cli {

struct IpAdapterOptions
{
    QCommandLineOption adapter{QStringLiteral("ip-adapter"),
                               QStringLiteral("Kolors-IP-Adapter-Plus weights (ip_adapter_plus_general.bin or "
                                              ".safetensors): a reference image steers the picture."),
                               QStringLiteral("FILE")};
    QCommandLineOption imageEncoder{QStringLiteral("image-encoder"),
                                    QStringLiteral("The IP-Adapter's CLIP image encoder folder (config.json, "
                                                   "preprocessor_config.json, pytorch_model.bin or "
                                                   "model.safetensors)."),
                                    QStringLiteral("DIR")};
    QCommandLineOption referenceImage{QStringLiteral("reference-image"),
                                      QStringLiteral("The reference image (PNG or JPEG) for the IP-Adapter."),
                                      QStringLiteral("F.png")};
    QCommandLineOption scale{QStringLiteral("ip-scale"),
                             QStringLiteral("How strongly the reference image steers (default 0.5; 0 turns it off)."),
                             QStringLiteral("S")};

    QList<QCommandLineOption> all() const { return {adapter, imageEncoder, referenceImage, scale}; }

    // Fills `spec` (the reference image is decoded here). Returns false with *error naming the option: the other
    // options without --ip-adapter, a missing encoder folder or reference image, an unreadable image, a bad scale.
    bool read(const QCommandLineParser &parser, engine::IpAdapterSpec *spec, QString *error) const;
};

// What the IP-Adapter of `result` was, in our JSON chunk ("ipAdapter") and the A1111 text, the way the studio records
// it (story::CharacterUse: file names and the reference's SHA-256, never absolute paths). Nothing without one.
void addIpAdapterParameters(const engine::GenerationResult &result, QJsonObject *json,
                            story::A1111Parameters *a1111);

// ", IP-Adapter x0.5 from hero.png" for the command's summary line (empty without one).
QString ipAdapterSummary(const engine::GenerationResult &result);

} // namespace studio::cli
