#pragma once

#include "engine/api/Generation.h"

#include <QJsonObject>

namespace studio::bridge {

// Every parameter an image was made with, as the engine used them, in the story's JSON naming (a panel variant's
// "parameters", the PNG's storyboard_studio chunk). File names only, never a user's absolute paths.
QJsonObject generationParameters(const engine::GenerationResult &result);

} // namespace studio::bridge
