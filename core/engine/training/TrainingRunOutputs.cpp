// TrainingRun's outputs: checkpoints with their resume state, preview renders, and the facts for the LoRA card.
#include "engine/training/TrainingRun.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/training/TrainingCheckpoint.h"

#include <ATen/ATen.h>

#include <cmath>
#include <ctime>
#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
#ifdef _WIN32
    gmtime_s(&parts, &now);
#else
    gmtime_r(&now, &parts);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

} // namespace

// Writes the resume state, and (for step > 0) the LoRA so far as a numbered checkpoint.
void TrainingRun::writeCheckpoint(int step)
{
    std::string loraPath;
    if (step > 0) {
        loraPath = checkpointLoraPath(m_options.outputPath, step);
        const TrainingFacts checkpointFacts = facts(step);
        writeTrainedLora(loraPath, m_options.format, *m_lora, checkpointFacts);
        m_result.filesWritten.push_back(loraPath);
        m_result.filesWritten.push_back(trainingFactsPath(loraPath));
        m_result.loraPath = loraPath;
        m_result.factsPath = trainingFactsPath(loraPath);
        m_result.facts = checkpointFacts;
    }
    ResumeState state;
    state.step = m_step;
    state.adamStep = m_optimizer->stepCount();
    state.lossEma = m_lossEma;
    state.lossEmaSteps = m_lossEmaSteps;
    state.lossScale = m_scaler->scale();
    state.lossScaleCleanSteps = m_scaler->cleanSteps();
    state.lora = m_lora->diffsynthTensors();
    const std::vector<at::Tensor> params = m_lora->parameters();
    size_t i = 0;
    for (const TrainableLora::Layer &layer : m_lora->layers())
        for (const char *suffix : {".lora_A.default.weight", ".lora_B.default.weight"}) {
            state.expAvg.emplace_back(layer.diffsynth + suffix, m_optimizer->expAvg()[i].cpu());
            state.expAvgSq.emplace_back(layer.diffsynth + suffix, m_optimizer->expAvgSq()[i].cpu());
            ++i;
        }
    state.traceLoss = m_traceLoss;
    state.traceTimesteps = m_traceTimesteps;
    state.traceIndices = m_traceIndices;
    state.settings = settings();
    const std::string statePath = resumeStatePath(m_options.outputPath);
    state.write(statePath);
    m_result.statePath = statePath;
    m_result.filesWritten.push_back(statePath);
    if (m_callbacks.onCheckpoint)
        m_callbacks.onCheckpoint(m_step, loraPath, statePath);
}

void TrainingRun::renderSample(int step)
{
    stage("sampling");
    if (!m_samplePipeline) {
        KolorsPipeline::Components parts;
        parts.unet = m_models.unet;
        parts.vae = m_models.vae;
        parts.schedulerConfig = m_models.schedulerConfig;
        parts.schedulerConfigFile = m_models.schedulerConfigFile;
        PipelineOptions options = m_pipelineOptions;
        options.releaseTextEncoder = false;
        m_samplePipeline = std::make_unique<KolorsPipeline>(std::move(parts), options);
    }
    SampleRequest request;
    request.prompt = m_options.samplePrompt;
    request.seed = m_options.sampleSeed;
    request.steps = m_options.sampleSteps;
    request.guidance = m_options.sampleCfg;
    const std::optional<SamplerKind> sampler = samplerFromName(m_options.sampler);
    if (!sampler)
        throw EngineError(EngineError::Code::BadArgument, "unknown sampler " + m_options.sampler);
    request.sampler = *sampler;
    request.width = request.height = m_options.sampleSize > 0 ? m_options.sampleSize : m_options.resolution;
    Conditioning conditioning;
    const bool cfg = request.guidance > 1.0;
    conditioning.encoderHiddenStates = cfg ? m_inputs.sampleEmbeds : m_inputs.sampleEmbeds.slice(0, 1, 2);
    conditioning.textEmbeds = cfg ? m_inputs.samplePooled : m_inputs.samplePooled.slice(0, 1, 2);
    PipelineResult image;
    translateOutOfMemory("rendering the preview", [&] { image = m_samplePipeline->generate(request, conditioning); });
    if (m_callbacks.onSample) {
        TrainingSample sample;
        sample.step = step;
        sample.prompt = request.prompt;
        sample.width = int(image.image.size(1));
        sample.height = int(image.image.size(0));
        const at::Tensor rgb = image.image.contiguous();
        sample.rgb.assign(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + rgb.numel());
        m_callbacks.onSample(sample);
    }
    stage("training");
}

TrainingFacts TrainingRun::facts(int stepsDone) const
{
    TrainingFacts f;
    f.tool = "storyboard train-lora";
    f.format = loraFileFormatName(m_options.format);
    f.imageCount = int(m_data.rows.size());
    f.dataPreparation = m_options.dataPreparation;
    f.rank = m_options.rank;
    f.alpha = m_options.alpha;
    f.learningRate = m_options.learningRate;
    f.steps = stepsDone;
    f.stepsPlanned = m_options.steps;
    f.resolution = m_options.resolution;
    f.centerCrop = true;
    f.seed = m_options.seed;
    f.precision = m_precisionName;
    f.device = m_device.is_cuda() ? "cuda:0" : "cpu";
    f.baseModel = fs::path(m_options.modelDir).filename().string();
    if (f.baseModel.empty() || f.baseModel == ".")
        f.baseModel = fs::absolute(m_options.modelDir).parent_path().filename().string();
    f.baseModelHash = m_baseModelHash;
    f.initLora = m_options.initLora.empty() ? std::string() : fs::path(m_options.initLora).filename().string();
    f.finalSmoothedLoss =
        smoothedLoss();
    f.finishedAtUtc = utcNow();
    return f;
}

} // namespace studio::engine
