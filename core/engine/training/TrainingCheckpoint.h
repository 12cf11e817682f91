#pragma once

#include "engine/training/TrainingTypes.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class TrainableLora;

// Writes the LoRA in `format` (DiffSynth .ckpt via torch.save's layout, or kohya safetensors with the facts JSON in
// __metadata__["storyboard_training"]) and the facts sidecar beside it. Both atomically.
void writeTrainedLora(const std::string &path, LoraFileFormat format, const TrainableLora &lora,
                      const TrainingFacts &facts);

// Everything --resume needs to continue bit for bit: the LoRA, the AdamW moments and step, the loss scaler, the
// display averages, the trace so far, and the settings that must match. Stored as one safetensors file
// (tensors "lora/<key>", "adam_m/<key>", "adam_v/<key>", "trace/loss|timesteps|indices"; the rest in metadata).
struct ResumeState
{
    int step = 0;           // optimizer steps done (= generator draws to replay)
    int64_t adamStep = 0;   // steps AdamW took (fewer than `step` when fp16 overflows skipped some)
    double lossEma = 0;     // smoothed-loss accumulator and its step count
    int64_t lossEmaSteps = 0;
    double lossScale = 65536.0;
    int64_t lossScaleCleanSteps = 0;
    std::vector<std::pair<std::string, at::Tensor>> lora, expAvg, expAvgSq; // by DiffSynth key, sorted
    std::vector<float> traceLoss;
    std::vector<int64_t> traceTimesteps, traceIndices;
    // Settings that must be equal to continue: seed, rank, alpha, lr, resolution, data digest, model, precision.
    std::map<std::string, std::string> settings;

    void write(const std::string &path) const;
    static ResumeState read(const std::string &path); // throws EngineError::BadFile for anything malformed
};

// "<dir>/<stem>-step000120<ext>" for output "<dir>/<stem><ext>".
std::string checkpointLoraPath(const std::string &outputPath, int step);
// "<dir>/<stem>.resume.safetensors".
std::string resumeStatePath(const std::string &outputPath);

} // namespace studio::engine
