#pragma once

// Torch-free facade of Kolors LoRA training (`storyboard train-lora` and the studio's Train LoRA page), std types
// only. Errors are thrown as studio::engine::EngineError (engine/common/EngineError.h, also torch-free).
//
// The numbers follow tests/data/training-tiny/README.md (the DiffSynth-Studio challenge baseline restated as a
// deterministic contract): one seeded CPU generator drawing index -> noise -> timestep per step, epsilon-MSE,
// peft-style LoRA y = Wx + b + s*B(Ax) with s = alpha/rank on to_q/to_k/to_v/to_out.0, AdamW (torch defaults,
// weight decay 0.01). On the CPU in fp32 the result is golden-equal to that reference.
//
// Intended use (the UI worker): build TrainingOptions, call validateTraining() to refuse bad settings before
// anything loads, then trainLora() on the worker thread. Callbacks run on that thread; isCancelled is polled
// before every step and between stages. Cancelling is not an error: trainLora() returns with `cancelled` set,
// after writing a checkpoint of the steps done so that --resume can continue from it.

#include "engine/api/Generation.h"
#include "engine/training/TrainingTypes.h" // the options, progress, results and facts of a run

namespace studio::engine {

// What a data folder holds (TrainingDataSummary), read the way training reads it, without decoding pixels.
TrainingDataSummary inspectTrainingData(const std::string &dataDir);

// Refuses impossible settings (rank <= 0, resolution not a positive multiple of 8, non-finite lr, fp16 on the CPU,
// missing folders or files, a resume state that does not match) with EngineError::BadArgument / MissingFile,
// without loading a network.
void validateTraining(const TrainingOptions &options);

// Runs the whole training. Throws EngineError on failure (the output is never left half-written).
TrainingResult trainLora(const TrainingOptions &options, const TrainingCallbacks &callbacks = {});

// `storyboard bench --train`.
TrainingBenchResult benchmarkTraining(const TrainingBenchRequest &request);

} // namespace studio::engine
