#pragma once

#include "engine/training/TrainingTypes.h"

namespace studio::engine {

// One training run as the facade describes it (api/Training.h): load, read and encode the data once, release the
// text encoder (and the VAE unless previews need its decoder), then the steps with checkpoints, previews and
// cancellation, then the LoRA, its facts sidecar and the optional trace.
TrainingResult runLoraTraining(const TrainingOptions &options, const TrainingCallbacks &callbacks);

// The checks validateTraining() documents.
void checkTrainingOptions(const TrainingOptions &options);

} // namespace studio::engine
