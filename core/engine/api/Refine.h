#pragma once

// Torch-free image loading of img2img for the CLI and the studio, plus the shared step and size arithmetic.

#include "engine/imaging/RgbImage.h"
#include "refine/RefineMath.h"

#include <cstdint>
#include <string>
#include <vector>

namespace studio::engine {

// Decodes a PNG or JPEG as PIL's Image.open(path).convert("RGB") does (alpha dropped, gray replicated).
// Throws EngineError (MissingFile, BadFile, Unsupported) naming the file.
RgbImage loadInitImage(const std::string &path);

// The same for bytes already in memory (a pasted or dropped image). `label` names it in errors.
RgbImage decodeInitImage(const std::vector<uint8_t> &bytes, const std::string &label);

} // namespace studio::engine
