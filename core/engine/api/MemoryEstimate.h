#pragma once

// "Say what fits" (issue 16): the memory a model folder needs with given settings, worked out before loading from
// its configs, the stored dtypes and the file sizes. Torch-free: Settings ▸ Model shows it, Generator::load refuses
// with it instead of meeting the system's OOM killer.

#include "engine/api/Generation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace studio::engine {

// Added to every phase: LibTorch, Qt and allocator slack in host memory; CUDA kernels and workspaces outside
// the caching allocator on the GPU.
constexpr int64_t kEstimateRuntimeBytes = int64_t(512) << 20;
constexpr int64_t kEstimateCudaContextBytes = int64_t(512) << 20;

// One phase of a run; the peaks are the largest phase plus the runtime.
struct MemoryPhase
{
    std::string name;         // "encoding the prompts" | "sampling" | "decoding"
    int64_t privateBytes = 0; // anonymous host memory: weights held in memory, one upcast layer, activations
    int64_t mappedBytes = 0;  // resident pages of the memory-mapped weight files
    int64_t vramBytes = 0;    // CUDA memory; 0 on the CPU
};

// What the phases are made of, as the settings place it (for Settings ▸ Model and for checking the arithmetic).
struct MemoryParts
{
    bool textEncoderOnCpu = false; // --text-encoder-device (auto: on the UNet's device)
    bool textEncoderReleased = false;
    int quantBits = 0;                  // 0, 8 or 4
    int64_t textEncoderQuantizedBytes = 0; // int8/int4 values and float16 row scales of the blocks' Linear weights
    int64_t textEncoderGpuBytes = 0;       // the text encoder on the GPU (0 when it runs on the CPU)
    int64_t unetGpuBytes = 0;              // the whole UNet on the GPU in the compute dtype
    int64_t unetStageGpuBytes = 0;         // its largest stage (--unet-offload blocks holds two at a time)
    int64_t unetPinnedBytes = 0;           // --unet-offload blocks: the UNet in pinned host memory
    int64_t unetStoredBytes = 0, vaeStoredBytes = 0, textEncoderStoredBytes = 0; // in the files
};

struct MemoryEstimate
{
    int64_t privateBytes = 0;  // peak private (anonymous) host memory: what must fit into free RAM
    int64_t residentBytes = 0; // peak resident set with the mapped weight pages (those the system can evict)
    int64_t vramBytes = 0;     // peak CUDA memory; 0 on the CPU
    std::vector<MemoryPhase> phases;
    MemoryParts parts;
    std::string summary; // e.g. "RAM 3.1 GiB private, 8.4 GiB with mapped weights", for messages
};

// `onCuda` says where the settings run (ModelSettings::device Auto is resolved by the caller). Image size and CFG
// set the activations. The text encoder's device Auto counts as the UNet's device (memoryShortfall tries the CPU,
// as loading does when the GPU is short). Throws EngineError (MissingFile, BadFile, BadConfig) for a folder that is
// not a Kolors model.
MemoryEstimate estimateMemory(const ModelSettings &settings, bool onCuda, int width = 1024, int height = 1024,
                              bool cfg = true);

// Empty when the estimate fits `availableRam` (and `availableVram` on CUDA; -1: unknown, not checked). Otherwise
// the refusal: the numbers, and the first lighter setting (text encoder release, text encoder on the CPU, int8,
// int4, UNet block offload) that would fit, named as the option that sets it.
std::string memoryShortfall(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram = -1);

std::string gibText(int64_t bytes); // "3.1 GiB"

// The RAM a new allocation can get now without swapping (Linux MemAvailable), as Generator::load compares the
// estimate with it; -1 where unknown.
int64_t availableRamBytes();

} // namespace studio::engine
