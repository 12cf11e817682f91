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
    bool quantizedWeightsMapped = false;   // kept in ModelSettings::quantizedWeightCacheDir and mapped from there
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

// The lighter settings a refusal can name, each tried on top of the ones before it, in the order they cost quality
// or speed (on the CPU only releasing the text encoder applies: the others are CUDA placements).
enum class LighterSetting
{
    None,               // none needed, or none fits
    ReleaseTextEncoder, // --low-vram
    TextEncoderOnCpu,   // --text-encoder-device cpu
    TextEncoderInt8,    // --text-encoder-quant int8
    TextEncoderInt4,    // --text-encoder-quant int4
    UNetBlockOffload,   // --unet-offload blocks
};

// Whether settings fit the free memory and, when not, the first lighter setting that does: the one answer that
// Generator::load refuses with (in English, memoryShortfall) and Settings ▸ Model words in the UI language.
struct MemoryVerdict
{
    int width = 0, height = 0;
    int64_t availableRam = -1;  // compared with; -1: unknown, not checked
    int64_t availableVram = -1; // on CUDA; -1: unknown, not checked
    MemoryEstimate asked;       // the settings as given
    bool fits = true;           // no figure that is known is short
    // Fits only because the text encoder's device "auto" goes to the CPU when the GPU is short, as loading does.
    bool textEncoderMovesToCpu = false;
    MemoryEstimate running; // what loading would run: `asked`, or it with the text encoder moved to the CPU
    LighterSetting lighter = LighterSetting::None; // when !fits: the first lighter setting that fits
    // Every setting that differs from the given ones with it, in the order above (`lighter` last): the lighter
    // settings are tried on top of each other, so the first that fits may need the earlier ones as well.
    std::vector<LighterSetting> lighterChanges;
    MemoryEstimate lighterEstimate; // with all of them (lighter != None)
};

MemoryVerdict memoryVerdict(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram = -1);

// Empty when the verdict fits. Otherwise the refusal in English: the numbers, and the first lighter setting that
// would fit, named as the option that sets it.
std::string shortfallMessage(const MemoryVerdict &verdict);

// shortfallMessage(memoryVerdict(...)): empty when the estimate fits `availableRam` (and `availableVram` on CUDA;
// -1: unknown, not checked).
std::string memoryShortfall(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram = -1);

// The command-line option that sets `lighter` ("--text-encoder-device cpu"); empty for None.
std::string lighterSettingOption(LighterSetting lighter);

std::string gibText(int64_t bytes); // "3.1 GiB"

// The RAM a new allocation can get now without swapping (Linux MemAvailable), as Generator::load compares the
// estimate with it; -1 where unknown.
int64_t availableRamBytes();

// Free memory of GPU `deviceIndex` (what CUDA reports free plus what LibTorch's caching allocator holds unused), as
// Generator::load compares the estimate with it; -1 without a CUDA build, a usable GPU, or an answer.
int64_t availableVramBytes(int deviceIndex = 0);

} // namespace studio::engine
