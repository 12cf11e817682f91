#include "engine/training/LoraTrainer.h"

#include "engine/common/EngineError.h"
#include "engine/io/ModelFolder.h"
#include "engine/training/TrainingRun.h"

#include <torch/cuda.h>

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {

void checkTrainingOptions(const TrainingOptions &o)
{
    auto bad = [](const std::string &why) { throw EngineError(EngineError::Code::BadArgument, why); };
    if (o.modelDir.empty())
        bad("no model folder given (--model)");
    if (o.dataDir.empty())
        bad("no data folder given (--data)");
    if (o.outputPath.empty())
        bad("no output file given (--out)");
    if (o.rank <= 0 || o.rank > 1024)
        bad("--rank must be between 1 and 1024");
    if (!std::isfinite(o.alpha) || o.alpha <= 0)
        bad("--alpha must be a positive number");
    if (!std::isfinite(o.learningRate) || o.learningRate <= 0 || o.learningRate > 1)
        bad("--lr must be a positive number no larger than 1");
    if (o.steps <= 0 || o.steps > 10000000)
        bad("--steps must be between 1 and 10000000");
    if (o.resolution <= 0 || o.resolution % 8 != 0 || o.resolution > 4096)
        bad("--resolution must be a positive multiple of 8, at most 4096 (got " + std::to_string(o.resolution) + ")");
    if (o.saveEvery < 0 || o.sampleEvery < 0)
        bad("--save-every and --sample-every must not be negative");
    if (o.sampleEvery > 0 && o.samplePrompt.empty())
        bad("--sample-every needs --sample-prompt");
    if (o.sampleEvery > 0 && (o.sampleSteps <= 0 || o.sampleSteps > 1000))
        bad("--sample-steps must be between 1 and 1000");
    if (o.sampleSize < 0 || o.sampleSize % 8 != 0 || o.sampleSize > 4096)
        bad("--sample-size must be a multiple of 8, at most 4096");
    const bool cpu = o.device == ComputeDevice::Cpu || (o.device == ComputeDevice::Auto && !torch::cuda::is_available());
    if (cpu && (o.precision == TrainingPrecision::Float16 || o.precision == TrainingPrecision::BFloat16))
        bad(std::string("--precision ") + trainingPrecisionName(o.precision) +
            " trains on CUDA only; use --precision fp32 on the CPU");
    if (o.device == ComputeDevice::Cuda && !torch::cuda::is_available())
        throw EngineError(EngineError::Code::Unsupported,
                          "CUDA was requested but is not available (no CUDA-enabled LibTorch or no visible GPU); "
                          "use --device cpu");
    std::error_code ec;
    if (!o.initLora.empty() && !fs::is_regular_file(o.initLora, ec))
        throw EngineError(EngineError::Code::MissingFile, "no such --init file: " + o.initLora);
    if (!o.resumeFrom.empty() && !fs::is_regular_file(o.resumeFrom, ec))
        throw EngineError(EngineError::Code::MissingFile, "no such --resume file: " + o.resumeFrom);
    if (!o.initLora.empty() && !o.resumeFrom.empty())
        bad("--init and --resume exclude each other (the resume state carries the LoRA)");
    const fs::path parent = fs::path(o.outputPath).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw EngineError(EngineError::Code::MissingFile, "the output folder does not exist: " + parent.string());
    if (fs::is_directory(o.outputPath, ec))
        bad("--out must be a file, not a folder: " + o.outputPath);
    locateKolorsModel(o.modelDir); // names the missing file
}

TrainingResult runLoraTraining(const TrainingOptions &options, const TrainingCallbacks &callbacks)
{
    checkTrainingOptions(options);
    TrainingRun run(options, callbacks);
    return run.execute();
}

} // namespace studio::engine
