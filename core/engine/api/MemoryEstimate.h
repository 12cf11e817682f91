#pragma once

// "Say what fits" (issue 16): the memory a model folder needs with given settings, worked out before loading from
// its configs, the stored dtypes and the file sizes. Torch-free: Settings ▸ Model shows it, Generator::load refuses
// with it instead of meeting the system's OOM killer.

#include "engine/api/Generation.h"

#include <cstdint>
#include <string>

namespace studio::engine {

struct MemoryEstimate
{
    int64_t privateBytes = 0;  // peak private (anonymous) host memory: what must fit into free RAM
    int64_t residentBytes = 0; // peak resident set with the mapped weight pages (those the system can evict)
    int64_t vramBytes = 0;     // peak CUDA memory; 0 on the CPU
    std::string summary;       // e.g. "RAM 3.1 GiB private, 8.4 GiB with mapped weights", for messages
};

// `onCuda` says where the settings run (ModelSettings::device Auto is resolved by the caller). Image size and CFG
// set the activations. Throws EngineError (MissingFile, BadFile, BadConfig) for a folder that is not a Kolors model.
MemoryEstimate estimateMemory(const ModelSettings &settings, bool onCuda, int width = 1024, int height = 1024,
                              bool cfg = true);

// Empty when the estimate fits `availableRam` (and `availableVram` on CUDA; -1: unknown, not checked). Otherwise
// the refusal: the numbers, and the first lighter setting (text encoder release, int8, int4) that would fit.
std::string memoryShortfall(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram = -1);

std::string gibText(int64_t bytes); // "3.1 GiB"

} // namespace studio::engine
