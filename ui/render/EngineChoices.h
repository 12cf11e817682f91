#pragma once

#include "RenderTypes.h"

#include "ui/AppSettings.h"

#include <functional>

namespace studio::ui {

// The device, precision and memory choices of Settings ▸ Model are stored as words ("auto", "cpu", "on", "int8",
// ...). They become EngineSettings here only: the render queue reads the saved words, Settings ▸ Model the ones its
// fields show (its memory estimate follows the choices before they are saved). `word` gives a setting's word; an
// unknown word reads as the first (default) choice.
void readEngineChoices(const std::function<QString(Setting)> &word, EngineSettings *settings);

} // namespace studio::ui
