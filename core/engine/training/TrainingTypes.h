#pragma once

// The value types of Kolors LoRA training (options, progress, results, the facts sidecar) and their names: the
// trainer's own types, torch-free, which the facade (engine/api/Training.h) re-exports to the CLI and the studio.

#include "engine/common/ComputeOptions.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

enum class LoraFileFormat
{
    DiffSynth, // .ckpt: flat {DiffSynth key: float32 tensor}, loads with torch.load(weights_only=True); no alpha
    Kohya      // .safetensors: lora_down/lora_up/alpha per layer (alpha = the training alpha)
};
const char *loraFileFormatName(LoraFileFormat format); // "diffsynth" | "kohya"
bool parseLoraFileFormat(const std::string &text, LoraFileFormat *format);

// Compute precision of the frozen networks. The LoRA weights, the optimizer state and the loss are always float32.
enum class TrainingPrecision
{
    Auto,     // fp16 mixed precision on CUDA, fp32 on the CPU
    Float32,  // everything float32 (the golden contract; the only choice on the CPU)
    Float16,  // CUDA: UNet in fp16, fp32 LoRA weights, dynamic loss scaling
    BFloat16, // CUDA: UNet in bf16, fp32 LoRA weights (no loss scaling needed)
};
const char *trainingPrecisionName(TrainingPrecision precision); // "auto" | "fp32" | "fp16" | "bf16"
bool parseTrainingPrecision(const std::string &text, TrainingPrecision *precision);

// Every setting of a training run. Defaults are the challenge baseline's (rank 16, alpha 4, lr 1e-4, 500 steps,
// 1024 px, centre crop, batch 1).
struct TrainingOptions
{
    std::string modelDir; // Kolors-diffusers folder (tokenizer, text_encoder, unet, vae, scheduler)
    // Data: DIR/train/metadata.csv (DiffSynth's --dataset_path layout) or DIR/metadata.csv (columns file_name, text).
    std::string dataDir;
    std::string outputPath; // the trained LoRA (written atomically); the facts sidecar goes beside it
    LoraFileFormat format = LoraFileFormat::DiffSynth;

    int rank = 16;
    double alpha = 4.0; // training scale s = alpha / rank (peft lora_alpha)
    double learningRate = 1e-4;
    int steps = 500; // optimizer steps, batch size 1
    uint64_t seed = 0;
    int resolution = 1024; // square training size; a positive multiple of 8 (resize shorter side + centre crop)
    std::string initLora;  // optional DiffSynth .ckpt to start from (its rank must equal `rank`)

    // Checkpoints: every N steps (0: never) write the LoRA so far as `<out stem>-step<k><ext>` plus the resume state
    // `<out stem>.resume.safetensors` (LoRA, AdamW moments, step, settings). A cancelled run writes both too.
    int saveEvery = 0;
    // Continue a run from its resume state. The data, seed, rank, alpha, lr and resolution must match the run that
    // wrote it (refused otherwise); `steps` is the total, so the run continues from the state's step up to it. The
    // result is bit-identical to an uninterrupted run.
    std::string resumeFrom;

    // Preview renders with the LoRA trained so far: every N steps (0: never) render `samplePrompt`. The prompt is
    // encoded together with the captions, before the text encoder is released.
    int sampleEvery = 0;
    std::string samplePrompt;
    int sampleSteps = 20;
    int sampleSize = 0; // square preview size in pixels; 0: the training resolution
    uint64_t sampleSeed = 0;
    double sampleCfg = 5.0;
    std::string sampler = "euler";

    ComputeDevice device = ComputeDevice::Auto; // Auto: CUDA when available
    TrainingPrecision precision = TrainingPrecision::Auto;
    // Re-run each UNet block in backward instead of keeping its activations (Auto: on for CUDA, off on the CPU).
    // Changes no numbers, only memory and time.
    Switch gradientCheckpointing = Switch::Auto;
    int threads = 0; // CPU intra-op threads (0: leave LibTorch's default)

    // Optional: a safetensors trace (loss [N] f32, timesteps [N] i64, indices [N] i64), as the contract defines it.
    std::string tracePath;
    // Free text recorded in the facts for the LoRA card: how the data was prepared (e.g. the Data-Juicer filters
    // and their thresholds, kept/total). The trainer does not interpret it.
    std::string dataPreparation;
};

// One optimizer step done.
struct TrainingProgress
{
    int step = 0;      // 1-based, counted over the whole run (a resumed run starts after the state's step)
    int totalSteps = 0;
    double loss = 0;          // this step's loss (before its update)
    double smoothedLoss = 0;  // exponential moving average of the loss (bias-corrected), for display
    double itPerSec = 0;      // steps per second, averaged over the steps of this session
    double etaSeconds = 0;    // time left at that speed
    int64_t sampleIndex = 0;  // the data row this step trained on (0-based)
    int64_t timestep = 0;
};

// A preview rendered with the LoRA of step `step`.
struct TrainingSample
{
    int step = 0;
    std::string prompt;
    int width = 0, height = 0;
    std::vector<uint8_t> rgb; // width * height * 3, row-major RGB8
};

struct TrainingCallbacks
{
    // Stages outside the step loop: "loading", "reading data", "encoding captions", "encoding images",
    // "releasing encoders", "training", "sampling", "saving". Free text for the status line (English).
    std::function<void(const std::string &stage)> onStage;
    std::function<void(const TrainingProgress &)> onProgress;
    std::function<void(const TrainingSample &)> onSample;
    // A checkpoint (LoRA + resume state) was written at `step`.
    std::function<void(int step, const std::string &loraPath, const std::string &statePath)> onCheckpoint;
    std::function<bool()> isCancelled;
};

// How a LoRA was trained: written as JSON beside the LoRA (trainingFactsPath) for the LoRA card, and for kohya
// output also into the safetensors `__metadata__` (key "storyboard_training", the same JSON).
struct TrainingFacts
{
    std::string tool;            // "storyboard train-lora <version>"
    std::string format;          // "diffsynth" | "kohya"
    int imageCount = 0;          // rows of metadata.csv used
    std::string dataPreparation; // TrainingOptions::dataPreparation, verbatim
    int rank = 0;
    double alpha = 0;
    double learningRate = 0;
    int steps = 0;        // steps done
    int stepsPlanned = 0; // steps asked for (more than `steps` for a checkpoint or a cancelled run)
    int resolution = 0;
    bool centerCrop = true;
    uint64_t seed = 0;
    std::string precision;      // "fp32" | "fp16" | "bf16"
    std::string device;         // "cpu" | "cuda:0"
    std::string baseModel;      // the model folder's name
    std::string baseModelHash;  // "sha256:<hex>" of the UNet weights file(s), in file-name order
    std::string initLora;       // file name of --init, empty for peft's gaussian init
    double finalSmoothedLoss = 0;
    std::string finishedAtUtc; // ISO 8601
};

struct TrainingResult
{
    std::string loraPath;                 // the LoRA written (the output, or the last checkpoint when cancelled)
    std::string factsPath;                // its JSON sidecar
    std::string statePath;                // the last resume state written; empty if none
    std::vector<std::string> filesWritten; // every file, in order (checkpoints, samples are not files here)
    int stepsDone = 0;                    // counted over the whole run, resumed steps included
    bool cancelled = false;
    double finalLoss = 0, finalSmoothedLoss = 0;
    double secondsPerStep = 0;
    int64_t peakRssBytes = 0;
    int64_t cudaPeakBytes = -1;
    TrainingFacts facts;
};

// What a data folder holds, read the way training reads it (rows in order, captions, image sizes) without
// decoding pixels. Throws EngineError naming the file and row on any problem (missing file, bad CSV, empty
// caption, unreadable or absurd image header).
struct TrainingDataSummary
{
    std::string root; // the folder metadata.csv is in
    struct Row
    {
        std::string fileName, text;
        int width = 0, height = 0;
    };
    std::vector<Row> rows;
    size_t distinctCaptions = 0;
};

// `<lora path>.training.json`.
std::string trainingFactsPath(const std::string &loraPath);
// The sidecar of a LoRA, or nullopt when it has none. Throws EngineError::BadFile when it exists but is malformed.
std::optional<TrainingFacts> readTrainingFacts(const std::string &loraPath);
std::string trainingFactsToJson(const TrainingFacts &facts); // pretty JSON, camelCase keys

// `storyboard bench --train`: time `steps` training steps of a random-weight model on synthetic data.
struct TrainingBenchRequest
{
    std::string model = "tiny"; // "tiny" (fixture size), "mid" (a mid-size UNet) or "kolors" (full size)
    int resolution = 64;
    int rank = 16;
    int steps = 3; // timed steps after one warm-up step
    ComputeDevice device = ComputeDevice::Cpu;
    TrainingPrecision precision = TrainingPrecision::Auto;
    Switch gradientCheckpointing = Switch::Auto;
};
struct TrainingBenchResult
{
    std::string model, device, precision;
    bool gradientCheckpointing = false;
    int64_t unetParameters = 0, loraParameters = 0;
    double secondsPerStep = 0;
    int64_t peakRssBytes = 0;
    int64_t cudaPeakBytes = -1; // -1 without CUDA
};

} // namespace studio::engine
