#pragma once

// The studio's EngineSettings as the engine's ModelSettings: one conversion for rendering (KolorsRenderEngine) and
// for the memory estimate Settings ▸ Model shows (EngineSupport). Built only with STUDIO_BUILD_ENGINE.

#include "RenderTypes.h"

#include "engine/api/Generation.h"

namespace studio::ui {

engine::ModelSettings toModelSettings(const EngineSettings &settings);

} // namespace studio::ui
