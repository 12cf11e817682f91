#pragma once

#include "story/StoryExporter.h"

namespace studio::bridge {

// Completes the LoRA card's facts with what only the engine reads from the tensors: rank, alpha, the scale
// convention that applies to the file and the effective scale at the story's multiplier (engine kLoraScaleRule).
// Returns false with the engine's message (the file was refused) and leaves `facts` as it was.
bool completeLoraFacts(const QString &path, double scale, story::LoraFacts *facts, QString *error);

} // namespace studio::bridge
