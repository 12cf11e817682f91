#pragma once

#include "engine/api/Generation.h"

#include <QString>

namespace studio::bridge {

// The folder in which the engine keeps the quantized text encoder between runs (ModelSettings::
// quantizedWeightCacheDir): "storyboard-studio/quantized-weights" in the user's cache folder (~/.cache on Linux,
// %LOCALAPPDATA%\cache on Windows), or $STORYBOARD_CACHE_DIR when set (tests, portable installs). The CLI and the
// studio both take it from here, so one model is quantized once for both. Int8 Kolors needs about 6 GB there.
QString weightCacheFolder();

// `settings` with the cache folder filled in when it has none.
void useDefaultWeightCache(engine::ModelSettings *settings);

} // namespace studio::bridge
