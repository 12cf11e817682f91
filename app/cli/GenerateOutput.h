#pragma once

// What the rendering commands (generate, render, generate-story) print and write the same way; defined in
// GenerateCommands.cpp.

#include "bridge/GenerationParameters.h"
#include "engine/api/Generation.h"
#include "engine/api/Errors.h"
#include "story/PngMetadata.h"

#include <QString>
#include <QVector>

#include <functional>
#include <optional>

namespace studio::cli {

// The text of an engine error for the user; out-of-memory names the CLI switches that help.
QString engineMessage(const engine::EngineError &error);
// Progress on stderr when it is a terminal (so logs and pipes stay clean); empty otherwise.
std::function<void(int, int)> progressPrinter(const QString &label);
// ", img2img strength 0.6" / ", hires x1.5 from 64x64 at strength 0.55" (empty for a plain txt2img).
QString refineSummary(const engine::GenerationResult &r);
QString seconds(double ms);
// ", LoRA kohya x0.75" when a LoRA was merged (its effective scale), else nothing.
QString loraSummary(const engine::GenerationResult &r);
// The PNG chunks of a stand-alone image: A1111 "parameters", our JSON chunk and the implicit AI label.
// `initImage` and `batchIndex` (-1: not a batch) as bridge::generationParameters takes them.
QVector<story::PngTextChunk> generateChunks(const engine::GenerationResult &r, const QString &modelDir,
                                            const std::optional<bridge::InitImageFile> &initImage, int batchIndex);
// An output file path: ends in `suffix`, is not a folder, and its folder exists. *error names `option`.
bool checkWritableFile(const QString &path, const QString &suffix, const QString &option, QString *error);

} // namespace studio::cli
