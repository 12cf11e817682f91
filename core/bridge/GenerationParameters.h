#pragma once

#include "engine/api/Generation.h"
#include "story/A1111Parameters.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace studio::bridge {

// The file an img2img run started from, as the parameters record it: its name (never the absolute path) and the
// SHA-256 of its bytes, so the image stays reproducible and a different file with the same name is noticed.
struct InitImageFile
{
    QString fileName;
    QString sha256; // lower-case hex
    // Reads and hashes `path`; std::nullopt with *error when it cannot be read.
    static std::optional<InitImageFile> describe(const QString &path, QString *error);
};

// Every parameter an image was made with, as the engine used them, in the story's JSON naming (a panel variant's
// "parameters", the PNG's storyboard_studio chunk). File names only, never a user's absolute paths.
// img2img adds "strength", "denoisingSteps" and "initImage" {file, sha256}; the hires fix adds "hires" {scale,
// strength, steps, upscaler, width, height} with "width"/"height" the first pass's size (A1111's "Size");
// `batchIndex` >= 0 adds "batchIndex".
QJsonObject generationParameters(const engine::GenerationResult &result,
                                 const std::optional<InitImageFile> &initImage = std::nullopt, int batchIndex = -1);

// A1111's names for the same: "Denoising strength", "Hires upscale", "Hires steps", "Hires upscaler: Latent".
void addRefineParameters(story::A1111Parameters *parameters, const engine::GenerationResult &result);

} // namespace studio::bridge
