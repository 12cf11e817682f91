#pragma once

// Torch-free facade of the Kolors text-to-image engine, for the CLI and the UI (std types only).
// Errors are thrown as studio::engine::EngineError (engine/common/EngineError.h, also torch-free).
//
// Intended use (the worker): one long-lived Generator on a worker thread. Call load() with the model settings
// before each job; it reloads only when the settings changed. Then generate() many images. Callbacks run on the
// calling (worker) thread; isCancelled is polled before every sampler step and between stages.

#include "engine/api/ConsistencySettings.h"
#include "engine/api/LoraApi.h"
#include "engine/api/Refine.h"
#include "engine/common/ComputeOptions.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

// Weight-only quantization of the ChatGLM3 text encoder's Linear layers (ChatGLM3's own scheme), done at load time
// from the 16-bit files. It changes the prompt embeddings slightly, so images record it.
enum class TextEncoderQuant
{
    None,
    Int8,
    Int4
};

const char *textEncoderQuantName(TextEncoderQuant quant); // "none" | "int8" | "int4"
int textEncoderQuantBits(TextEncoderQuant quant);  // 0 | 8 | 4
bool parseTextEncoderQuant(const std::string &text, TextEncoderQuant *quant);

const char *computeDeviceName(ComputeDevice device); // "auto" | "cpu" | "cuda"
bool parseComputeDevice(const std::string &text, ComputeDevice *device);
// "auto" | "cpu" | "cuda" | "cuda:N" (the one vocabulary of every --device option); *index is N (0 for "cuda").
bool parseComputeDevice(const std::string &text, ComputeDevice *device, int *index);
std::string computeDeviceName(ComputeDevice device, int index); // "cuda:N" for a CUDA index above 0

// How the UNet's weights reach the GPU: all resident, or streamed block by block from host memory (4-6 GB cards).
enum class UNetOffload
{
    None,
    Blocks
};
const char *unetOffloadName(UNetOffload offload); // "none" | "blocks"
bool parseUNetOffload(const std::string &text, UNetOffload *offload);
const char *computePrecisionName(ComputePrecision precision); // "auto" | "fp32" | "fp16"
bool parseComputePrecision(const std::string &text, ComputePrecision *precision);

// What to load and where. Equal settings mean the loaded model can be reused.
struct ModelSettings
{
    std::string modelDir;
    ComputeDevice device = ComputeDevice::Auto;
    int deviceIndex = 0; // the N of cuda:N
    ComputePrecision precision = ComputePrecision::Auto;
    // Low-VRAM mode: release the text encoder after encoding the prompts (Auto: on for CUDA, off on the CPU).
    Switch releaseTextEncoder = Switch::Auto;
    // Where the text encoder runs; its embeddings move to the UNet's device. Auto: the UNet's device, except that on
    // CUDA it goes to the CPU when it does not fit in the GPU's free memory next to what must be there with it.
    ComputeDevice textEncoderDevice = ComputeDevice::Auto;
    int textEncoderDeviceIndex = 0;
    // Blocks: the UNet waits in pinned host memory and each block visits the GPU only while it runs.
    UNetOffload unetOffload = UNetOffload::None;
    // Tiled VAE decode (Auto: only for images larger than 1536x1536).
    Switch vaeTiling = Switch::Auto;
    TextEncoderQuant textEncoderQuant = TextEncoderQuant::None;
    // Where the quantized text encoder is written on the first load and memory-mapped from on later ones, so its
    // weights are file pages the system can drop rather than private memory (the CLI and the studio pass the
    // user's cache folder: bridge::quantizedWeightCacheDir). Empty: quantized in memory at every load.
    std::string quantizedWeightCacheDir;
    // Wait for the GPU at every timing point so step times are exact (benchmark; slightly slower).
    bool benchmarkTimings = false;

    bool operator==(const ModelSettings &other) const;
    // Whether the loaded weights can serve `other`: the folder, device and precision agree. The memory switches
    // (text-encoder release, VAE tiling) are applied to a loaded model without reloading it.
    bool sameWeights(const ModelSettings &other) const;
    bool operator!=(const ModelSettings &other) const { return !(*this == other); }
};

// A small RGB8 preview (latent resolution, no VAE) for progress display.
struct PreviewImage
{
    int step = 0, steps = 0;
    int width = 0, height = 0;
    std::vector<uint8_t> rgb; // width * height * 3
};

// Kolors-IP-Adapter-Plus: a reference image steers every cross-attention (consistency-tiny README part B).
struct IpAdapterSpec
{
    std::string adapterPath;     // .safetensors or .bin (Kwai-Kolors' form); empty: no IP-Adapter
    std::string imageEncoderDir; // the CLIP vision folder (config.json, preprocessor_config.json, weights)
    RgbImage referenceImage;     // decoded reference (loadInitImage: PIL's convert("RGB"))
    std::string referencePath;   // for messages and parameters only
    double scale = 0.5;          // Kwai-Kolors' sample value; 0 runs plain attention (bit-identical to none)

    bool enabled() const { return !adapterPath.empty(); }
};

struct GenerationRequest
{
    std::string prompt;
    std::string negativePrompt; // empty: diffusers' default (the empty prompt is encoded)
    uint64_t seed = 0;
    int steps = 25;
    double cfg = 5.0;              // classifier-free guidance; <= 1 turns it off (the negative prompt is then unused)
    std::string sampler = "euler"; // one of Generator::samplerNames()
    int width = 1024;
    int height = 1024;
    // Merged into the UNet for this image and kept merged while later requests ask for the same file and scale.
    LoraSpec lora;
    // img2img: start from this image (null: from noise). Any size: it is Lanczos-resized to width x height.
    RgbImage initImage;
    double strength = 0.75; // runs denoisingSteps(steps, strength) steps
    // Hires fix (txt2img only): hiresScale > 0 turns it on; the image is hiresSize(width, height, hiresScale).
    double hiresScale = 0.0;
    double hiresStrength = 0.5;
    int hiresSteps = 0; // 0: steps
    // IP-Adapter (adapterPath empty: none). The adapter and encoder stay loaded while later requests name them.
    IpAdapterSpec ipAdapter;

    std::function<void(int step, int steps)> onProgress;
    std::function<bool()> isCancelled;
    std::function<void(const PreviewImage &)> onPreview;
    int previewEvery = 0;     // call onPreview every N steps (0: never)
    bool keepLatents = false; // fill GenerationResult::latents
};

struct GenerationTimings
{
    double textEncodeMs = 0; // 0 when the embeddings came from the prompt cache
    int promptsEncoded = 0;  // prompts run through the text encoder (0, 1 or 2; the rest were cached)
    double samplingMs = 0;
    double vaeDecodeMs = 0;
    double totalMs = 0;
    std::vector<double> stepMs;
    double medianStepMs() const;
};

struct GenerationResult
{
    std::vector<uint8_t> rgb; // width * height * 3, row-major RGB8
    int width = 0, height = 0;

    // Every parameter the image was made with, as used (not as asked): enough to reproduce it.
    std::string prompt, negativePrompt;
    uint64_t seed = 0;
    int steps = 0;
    double cfg = 0;
    std::string sampler;
    bool cfgApplied = false;
    std::string model;     // the model folder, or "random-kolors" / "random-tiny"
    std::string device;    // "cpu", "cuda:0"
    // Where the prompts were encoded ("cpu", "cuda:0"). It can change the image slightly: on the CPU the text
    // encoder computes in float32, on a GPU in the run's precision. (UNet block offload is not recorded: it moves
    // weights, never changes a number, as the CPU test of bit-identical images shows.)
    std::string textEncoderDevice;
    std::string precision; // "fp32", "fp16"
    std::string textEncoderQuant = "none"; // "none" | "int8" | "int4" (textEncoderQuantName)
    bool vaeTiled = false;
    bool img2img = false;  // started from an init image, at `strength`
    double strength = 0;
    int denoisingSteps = 0; // steps that ran (img2img: the tail of the schedule)
    bool hires = false;     // hires fix: width x height is the hires size, baseWidth x baseHeight the first pass
    int baseWidth = 0, baseHeight = 0;
    double hiresScale = 0, hiresStrength = 0;
    int hiresSteps = 0; // as used (the request's steps when it asked for 0)
    LoraSpec lora;          // as asked (path empty: none)
    std::string loraFormat; // "diffsynth" | "kohya" | "diffusers"; empty without a LoRA
    // The scale the layers were merged at (kLoraScaleRule); min < max only when layers carry different alpha/rank.
    double loraEffectiveScaleMin = 0, loraEffectiveScaleMax = 0;
    // As used: paths and scale (adapterPath empty: none). referenceImage is left empty (the caller has it).
    IpAdapterSpec ipAdapter;

    // Story panels (Generator::generateStory): the consistency settings as used, the panel's index and whether it
    // is an identity panel. Plain generate(): enabled false, panel -1.
    PanelConsistency consistency;

    GenerationTimings timings;
    std::vector<float> latents;       // the final latents before 1/scaling_factor (when keepLatents)
    std::vector<int64_t> latentShape; // [1, C, h, w]
};

struct MemoryStats
{
    int64_t peakRssBytes = 0;           // the process's peak resident set size (mapped weight pages included)
    int64_t peakPrivateBytes = -1;      // sampled peak of private (anonymous) memory; -1 unless sampling started
    int64_t sampledPeakRssBytes = -1;   // sampled peak resident set since sampling started (VmHWM covers all time)
    int64_t cudaMaxAllocatedBytes = -1; // -1 without a CUDA build
    // The sampled peaks of each phase since resetPeakMemory (encoding the prompts, sampling, decoding; the names of
    // MemoryEstimate's phases), to see which one sets the peak; empty unless sampling started.
    struct Phase
    {
        std::string name;
        int64_t peakPrivateBytes = -1, peakRssBytes = -1;
    };
    std::vector<Phase> phases;
};

struct StoryRequest; // engine/api/StoryGeneration.h

class Generator
{
public:
    Generator();
    ~Generator();
    Generator(const Generator &) = delete;
    Generator &operator=(const Generator &) = delete;

    // Loads the model folder with these settings, unless it is already loaded with equal settings.
    // Throws EngineError (MissingFile naming the file, BadConfig, OutOfMemory, Unsupported for cuda without CUDA).
    // `isCancelled` is polled while the weights load (EngineError::Cancelled); nothing stays half-loaded.
    void load(const ModelSettings &settings, const std::function<bool()> &isCancelled = {});
    // Full-size (kolors) or fixture-size (tiny) modules with random weights, for benchmarks without downloads.
    // `which`: "kolors" or "tiny". The text encoder sees synthetic token ids (the prompt text is ignored).
    void loadRandom(const std::string &which, ComputeDevice device, ComputePrecision precision,
                    bool benchmarkTimings = false);
    // The same with every placement choice of `settings` (its modelDir is ignored).
    void loadRandom(const std::string &which, const ModelSettings &settings);
    void unload();
    bool isLoaded() const;
    const ModelSettings &settings() const;

    // Refuses absurd requests with EngineError::BadArgument (size 0, not a multiple of 8, beyond memory,
    // steps <= 0 or huge, non-finite CFG, unknown sampler) without running anything.
    void validate(const GenerationRequest &request) const;
    GenerationResult generate(const GenerationRequest &request);
    // After generate() failed while decoding (out of memory): whether its sampled latents wait, and decoding them
    // again with the memory switches of now (load() with tiling on), for the same request. Samples nothing.
    bool hasUndecodedImage() const;
    GenerationResult decodeAgain(const GenerationRequest &request);

    // A story (engine/api/StoryGeneration.h): the results of the panels that ran, in panel order. validate()
    // refuses a bad story (no prompts, identity panels outside 1..panels, strength outside [0, 1], a negative
    // start, panels out of range, seed + last panel beyond the largest seed) before anything runs.
    void validate(const StoryRequest &request) const;
    std::vector<GenerationResult> generateStory(const StoryRequest &request);

    static std::vector<std::string> samplerNames();
    static bool cudaAvailable();
    static MemoryStats memoryStats();
    static void startMemorySampling();   // from now on memoryStats() also reports sampled private/resident peaks
    static void resetPeakMemory();       // CUDA max allocated (RSS peaks cannot be reset)
    static void setThreads(int threads); // intra-op CPU threads (0: leave LibTorch's default)
    // Writes latents as a float32 safetensors file with one tensor "latents" (atomically). Throws EngineError.
    static void writeLatents(const std::string &path, const std::vector<float> &latents,
                             const std::vector<int64_t> &shape);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace studio::engine
