#pragma once

// The engine side of the one panel-render flow (story::PanelRender): a panel's settings as the engine's request,
// and the engine's result as the image and the parameters a panel variant records. `storyboard render` and the
// studio's render engine both go through here, so the two front ends ask for and record the same.

#include "bridge/GenerationParameters.h"
#include "engine/api/Generation.h"
#include "story/CharacterUse.h"
#include "story/PanelRender.h"

#include <QImage>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace studio::bridge {

// The request for a panel's settings: texts, seed, steps, CFG, sampler, size and, when enabled, the hires fix.
// The caller adds the LoRA, the IP-Adapter, an init image and the callbacks.
engine::GenerationRequest panelRequest(const story::PanelRenderSettings &settings);

// The finished image (RGB888, its own copy of the pixels).
QImage renderedImage(const engine::GenerationResult &result);

// What a rendered panel image records (PanelVariant::parameters, the PNG's JSON): every parameter as the engine
// used it (generationParameters), the character settings it was made with (`use`), the model folder's name (never
// its path: images are shared) and the seconds it took.
QJsonObject renderedParameters(const engine::GenerationResult &result, const story::CharacterUse &use,
                               const QString &modelDir, const std::optional<InitImageFile> &initImage = std::nullopt,
                               int batchIndex = -1);

} // namespace studio::bridge
