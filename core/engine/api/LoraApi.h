#pragma once

// Torch-free facade of the engine's LoRA support, for the CLI, the UI and the export card. Errors are thrown as
// studio::engine::EngineError (engine/common/EngineError.h, std types only).

#include "engine/lora/LoraSpec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

// LoraSpec (engine/lora/LoraSpec.h): the LoRA a generation request carries, file and the user's multiplier.

// The one scale rule, worded for --help and the LoRA card.
extern const char *const kLoraScaleRule;

// The facts of a LoRA file, as `storyboard inspect-lora` prints them and the card records them.
struct LoraInfo
{
    std::string path;
    std::string fileName;
    uint64_t fileSize = 0;
    std::string sha256;                   // lower-case hex of the whole file
    std::string format;                   // "diffsynth" | "kohya" | "diffusers"
    int64_t rank = 0;                     // the rank of every layer; 0 when the layers differ (see ranks)
    std::vector<int64_t> ranks;           // the distinct ranks, ascending
    bool alphaInFile = false;             // some layer carries an alpha
    std::optional<double> alpha;          // the alpha every layer carries, when they all carry the same
    double scale = 1.0;                   // the user's multiplier the effective scale below is for
    std::optional<double> effectiveScale; // the same for every layer; otherwise see the range
    double effectiveScaleMin = 0.0, effectiveScaleMax = 0.0;
    std::string scaleRule;                  // the rule as applied to this file, with its numbers
    std::vector<std::string> targetModules; // leaf module names in diffusers naming: "to_k", "to_out.0", ...
    size_t layerCount = 0;                  // LoRA pairs
    size_t tensorCount = 0;                 // tensors in the file (pairs x 2 + alphas)
    std::string checkedAgainst;             // the UNet config whose weights every layer was mapped onto; empty if none
};

// Reads and validates a LoRA file (refusing it whole, with every offending tensor named, on any problem). With
// `modelDir` (a Kolors model folder or its unet/ folder) every layer is also mapped onto that UNet's weights and
// checked for shape, without loading them.
LoraInfo inspectLora(const std::string &path, double scale = 1.0, const std::string &modelDir = {});

// Pretty JSON (2-space indent) of the facts, keys in camelCase.
std::string loraInfoToJson(const LoraInfo &info);

} // namespace studio::engine
