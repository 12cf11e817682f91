#pragma once

#include "engine/aesthetic/ClipVisionConfig.h"
#include "engine/aesthetic/ImageProcessorConfig.h"

#include <string>
#include <vector>

namespace studio::engine {

class TensorStore;

// Checks every loader of a transformers CLIP vision checkpoint runs before it allocates the tower (the aesthetic
// predictor, the IP-Adapter's image encoder), so that a config that does not belong to its weights is named field
// by field instead of failing later or allocating what a hostile config asks for.

// The processor must hand the tower exactly image_size x image_size pixels, whatever the image's shape.
// Throws EngineError::BadConfig naming both files.
void checkProcessorFitsTower(const ImageProcessorConfig &processor, const ClipVisionConfig &vision,
                             const std::string &preprocessorFile, const std::string &configFile);

// Compares config.json's sizes with the telling weight shapes and the encoder layer count, refuses weights without
// `vision_model.*` and a config that describes far more parameters than the file holds. Absent tensors are left to
// the loader, which names every one. `stage` prefixes the messages ("aesthetic predictor", "image encoder").
void checkTowerAgainstWeights(const ClipVisionConfig &vision, const TensorStore &weights, const std::string &configFile,
                              const std::string &stage);

// Checkpoint names a vision-tower loader skips on purpose: the position_ids buffer (positions are always 0..P) and,
// for a full CLIP checkpoint (config.json with "vision_config"), the text tower, its projection and logit_scale.
std::vector<std::string> ignoredClipCheckpointPrefixes(bool fullClipCheckpoint);

} // namespace studio::engine
