#include "engine/training/TrainingRun.h"

#include "engine/common/EngineError.h"
#include "engine/common/SystemMemory.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"
#include "engine/lora/Sha256.h"
#include "engine/lora/UnetBlockLayout.h"
#include "engine/memory/CudaMemory.h"
#include "engine/training/TrainingCheckpoint.h"
#include "engine/training/TrainingStep.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>

#ifdef STUDIO_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

constexpr double kLossEmaBeta = 0.9;

// "sha256:<hex>" of the UNet's weights: the file itself, or for shards the hash of the shards' hashes in name order.
std::string hashWeights(const std::string &weights)
{
    std::vector<std::string> files = TensorStore::open(weights).files();
    std::sort(files.begin(), files.end());
    if (files.size() == 1)
        return "sha256:" + Sha256::fileHex(files.front());
    std::string joined;
    for (const std::string &file : files)
        joined += Sha256::fileHex(file);
    Sha256 outer;
    outer.update(joined.data(), joined.size());
    return "sha256:" + outer.finishHex();
}

std::string exact(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

void releaseCudaCache()
{
#ifdef STUDIO_WITH_CUDA
    if (torch::cuda::is_available())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

} // namespace

TrainingRun::TrainingRun(const TrainingOptions &options, const TrainingCallbacks &callbacks)
    : m_options(options), m_callbacks(callbacks)
{
    const bool cuda = options.device == ComputeDevice::Cuda ||
                      (options.device == ComputeDevice::Auto && torch::cuda::is_available());
    m_device = cuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    TrainingPrecision precision = options.precision;
    if (precision == TrainingPrecision::Auto)
        precision = cuda ? TrainingPrecision::Float16 : TrainingPrecision::Float32;
    m_precisionName = trainingPrecisionName(precision);
    m_unetDtype = precision == TrainingPrecision::Float16    ? c10::kHalf
                  : precision == TrainingPrecision::BFloat16 ? c10::kBFloat16
                                                             : c10::kFloat;
    m_checkpointing = options.gradientCheckpointing == Switch::On ||
                      (options.gradientCheckpointing == Switch::Auto && cuda);
    m_scaler = std::make_unique<LossScaler>(m_unetDtype == c10::kHalf);
    m_generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    if (options.threads > 0)
        at::set_num_threads(options.threads);
}

TrainingRun::~TrainingRun() = default;

// Exponential moving average of the loss, bias-corrected as Adam does, so the first steps are not pulled to 0.
double TrainingRun::smoothedLoss() const
{
    return m_lossEmaSteps > 0 ? m_lossEma / (1.0 - std::pow(kLossEmaBeta, double(m_lossEmaSteps))) : 0.0;
}

void TrainingRun::stage(const std::string &name)
{
    if (m_callbacks.onStage)
        m_callbacks.onStage(name);
}

bool TrainingRun::cancelRequested() const
{
    return m_callbacks.isCancelled && m_callbacks.isCancelled();
}

void TrainingRun::throwIfCancelled()
{
    if (cancelRequested()) // an EngineError passes through translateOutOfMemory unchanged
        throw EngineError(EngineError::Code::Cancelled, "training cancelled before the first step");
}

TrainingResult TrainingRun::execute()
{
    try {
        stage("reading data");
        m_data = TrainingDataSet::open(m_options.dataDir);
        m_dataDigest = "sha256:" + Sha256::fileHex(m_data.csvPath);
        throwIfCancelled();
        loadModels();
        throwIfCancelled();
        prepareInputs();
        releaseEncoders();
        setUpLora();
        if (!m_options.resumeFrom.empty())
            resume();
        throwIfCancelled();
    } catch (const EngineError &error) {
        if (error.code() != EngineError::Code::Cancelled)
            throw;
        m_result.cancelled = true;
        return m_result;
    }
    trainSteps();
    return m_result;
}

void TrainingRun::loadModels()
{
    stage("loading");
    m_pipelineOptions = KolorsPipeline::defaultOptions(m_device);
    m_pipelineOptions.unetDtype = m_unetDtype;
    m_pipelineOptions.vaeDtype = c10::kFloat; // latents are encoded once, in float32
    // On CUDA the UNet waits in host memory while ChatGLM encodes the captions, so the two never share the GPU.
    m_pipelineOptions.releaseTextEncoder = m_device.is_cuda();
    m_models = KolorsPipeline::loadComponents(m_options.modelDir, m_pipelineOptions);
    const KolorsModelPaths paths = locateKolorsModel(m_options.modelDir);
    m_baseModelHash = hashWeights(paths.unetWeights);
    const SchedulerConfig scheduler =
        SchedulerConfig::fromFolderConfig(SamplerKind::Euler, m_models.schedulerConfig, m_models.schedulerConfigFile);
    m_alphasCumprod = TrainSchedule::fromConfig(scheduler).alphasCumprod.to(at::kFloat).contiguous();
    m_numTimesteps = m_alphasCumprod.size(0);
    if (m_models.unetConfig.is_null())
        throw EngineError(EngineError::Code::BadConfig, "the UNet has no config to name its LoRA layers by");
}

void TrainingRun::prepareInputs()
{
    EncodeCallbacks callbacks;
    callbacks.stage = [this](const std::string &name) { stage(name); };
    callbacks.checkCancelled = [this] { throwIfCancelled(); };
    const std::string samplePrompt = m_options.sampleEvery > 0 ? m_options.samplePrompt : std::string();
    translateOutOfMemory("encoding the training data", [&] {
        m_inputs = encodeTrainingInputs(m_data, m_options.resolution, *m_models.promptEncoder, *m_models.vae,
                                        samplePrompt, callbacks);
    });
}

void TrainingRun::releaseEncoders()
{
    stage("releasing encoders");
    // ChatGLM (12 GB in fp16 for Kolors) must not sit in memory while training; the VAE encoder is no longer needed
    // either. The VAE stays only when previews need its decoder.
    m_models.promptEncoder->release();
    m_models.promptEncoder.reset();
    if (m_options.sampleEvery <= 0)
        m_models.vae.reset();
    if (m_device.is_cuda())
        m_models.unet->to(m_device);
    releaseCudaCache();
}

void TrainingRun::setUpLora()
{
    const UnetBlockLayout layout = UnetBlockLayout::fromConfig(m_models.unetConfig, m_models.unetConfigFile);
    m_lora = std::make_unique<TrainableLora>(*m_models.unet, layout, m_options.rank, m_options.alpha, m_device);
    if (!m_options.initLora.empty())
        m_lora->initFromFile(m_options.initLora);
    else
        m_lora->initGaussian(m_options.seed);
    m_models.unet->setGradientCheckpointing(m_checkpointing);
    m_optimizer = std::make_unique<LoraAdamW>(m_lora->parameters(), m_options.learningRate);
}

std::map<std::string, std::string> TrainingRun::settings() const
{
    return {{"setting.seed", std::to_string(m_options.seed)},
            {"setting.rank", std::to_string(m_options.rank)},
            {"setting.alpha", exact(m_options.alpha)},
            {"setting.lr", exact(m_options.learningRate)},
            {"setting.resolution", std::to_string(m_options.resolution)},
            {"setting.images", std::to_string(m_data.rows.size())},
            {"setting.data", m_dataDigest},
            {"setting.base_model", m_baseModelHash}};
}

void TrainingRun::resume()
{
    const ResumeState state = ResumeState::read(m_options.resumeFrom);
    std::string mismatches;
    const auto now = settings();
    for (const auto &[key, value] : now) {
        const auto it = state.settings.find(key);
        const std::string saved = it == state.settings.end() ? "(none)" : it->second;
        if (saved != value)
            mismatches += "\n  " + key.substr(8) + ": state " + saved + ", now " + value;
    }
    if (!mismatches.empty())
        throw EngineError(EngineError::Code::BadArgument,
                          m_options.resumeFrom + " was written by a run with other settings:" + mismatches);
    if (state.step >= m_options.steps)
        throw EngineError(EngineError::Code::BadArgument,
                          m_options.resumeFrom + " is at step " + std::to_string(state.step) +
                              "; --steps (the total) must be larger to continue");
    m_lora->assign(state.lora, m_options.resumeFrom);
    std::map<std::string, at::Tensor> m(state.expAvg.begin(), state.expAvg.end());
    std::map<std::string, at::Tensor> v(state.expAvgSq.begin(), state.expAvgSq.end());
    std::vector<at::Tensor> expAvg, expAvgSq;
    for (const TrainableLora::Layer &layer : m_lora->layers())
        for (const char *suffix : {".lora_A.default.weight", ".lora_B.default.weight"}) {
            const std::string key = layer.diffsynth + suffix;
            if (!m.count(key) || !v.count(key))
                throw EngineError(EngineError::Code::BadFile, m_options.resumeFrom + ": no optimizer state for " + key);
            expAvg.push_back(m[key].to(m_device));
            expAvgSq.push_back(v[key].to(m_device));
        }
    const std::vector<at::Tensor> params = m_lora->parameters();
    for (size_t i = 0; i < params.size(); ++i)
        if (expAvg[i].sizes() != params[i].sizes() || expAvgSq[i].sizes() != params[i].sizes())
            throw EngineError(EngineError::Code::BadFile, m_options.resumeFrom + ": optimizer state has wrong shapes");
    m_optimizer->restore(state.adamStep, expAvg, expAvgSq);
    m_scaler->restore(state.lossScale, state.lossScaleCleanSteps);
    m_lossEma = state.lossEma;
    m_lossEmaSteps = state.lossEmaSteps;
    m_traceLoss = state.traceLoss;
    m_traceTimesteps = state.traceTimesteps;
    m_traceIndices = state.traceIndices;
    // The generator is replayed rather than stored: the same seed and the same draws put it where the run stopped.
    const at::Tensor &x0 = m_inputs.latents.front();
    for (int k = 0; k < state.step; ++k)
        drawStep(m_generator, int64_t(m_data.rows.size()), x0.sizes(), m_numTimesteps);
    m_step = m_firstStep = state.step;
}

void TrainingRun::trainSteps()
{
    stage("training");
    const int64_t rows = int64_t(m_data.rows.size());
    const at::IntArrayRef latentShape = m_inputs.latents.front().sizes();
    const std::vector<at::Tensor> params = m_lora->parameters();
    m_stepsStarted = std::chrono::steady_clock::now();
    bool cancelled = false;
    while (m_step < m_options.steps) {
        if (cancelRequested()) {
            cancelled = true;
            break;
        }
        const StepDraw draw = drawStep(m_generator, rows, latentShape, m_numTimesteps);
        StepInputs inputs;
        inputs.x0 = m_inputs.latents[size_t(draw.index)];
        const size_t caption = m_inputs.captionOfRow[size_t(draw.index)];
        inputs.promptEmbeds = m_inputs.promptEmbeds[caption];
        inputs.pooled = m_inputs.pooled[caption];
        inputs.resolution = m_options.resolution;
        StepOutcome outcome;
        translateOutOfMemory("training step " + std::to_string(m_step + 1), [&] {
            outcome = runTrainingStep(*m_models.unet, inputs, draw, m_alphasCumprod, params, *m_optimizer, *m_scaler);
        });
        if (!std::isfinite(outcome.loss) && !m_scaler->enabled())
            throw EngineError(EngineError::Code::Internal,
                              "the loss became " + std::to_string(outcome.loss) + " at step " +
                                  std::to_string(m_step + 1) + "; lower --lr");
        ++m_step;
        m_traceLoss.push_back(outcome.loss);
        m_traceTimesteps.push_back(draw.timestep);
        m_traceIndices.push_back(draw.index);
        if (std::isfinite(outcome.loss)) {
            m_lossEma = kLossEmaBeta * m_lossEma + (1.0 - kLossEmaBeta) * outcome.loss;
            ++m_lossEmaSteps;
        }
        if (m_callbacks.onProgress) {
            TrainingProgress progress;
            progress.step = m_step;
            progress.totalSteps = m_options.steps;
            progress.loss = outcome.loss;
            progress.smoothedLoss =
                smoothedLoss();
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - m_stepsStarted).count();
            progress.itPerSec = seconds > 0 ? double(m_step - m_firstStep) / seconds : 0.0;
            progress.etaSeconds = progress.itPerSec > 0 ? double(m_options.steps - m_step) / progress.itPerSec : 0.0;
            progress.sampleIndex = draw.index;
            progress.timestep = draw.timestep;
            m_callbacks.onProgress(progress);
        }
        if (m_options.saveEvery > 0 && m_step % m_options.saveEvery == 0 && m_step < m_options.steps)
            writeCheckpoint(m_step);
        if (m_options.sampleEvery > 0 && m_step % m_options.sampleEvery == 0)
            renderSample(m_step);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_stepsStarted).count();
    m_result.stepsDone = m_step;
    m_result.cancelled = cancelled;
    m_result.secondsPerStep = m_step > m_firstStep ? seconds / double(m_step - m_firstStep) : 0.0;
    m_result.finalLoss = m_traceLoss.empty() ? 0.0 : m_traceLoss.back();
    m_result.finalSmoothedLoss =
        smoothedLoss();
    stage("saving");
    if (cancelled) {
        if (m_step > m_firstStep)
            writeCheckpoint(m_step);
    } else {
        m_result.facts = facts(m_step);
        writeTrainedLora(m_options.outputPath, m_options.format, *m_lora, m_result.facts);
        m_result.loraPath = m_options.outputPath;
        m_result.factsPath = trainingFactsPath(m_options.outputPath);
        m_result.filesWritten.push_back(m_result.loraPath);
        m_result.filesWritten.push_back(m_result.factsPath);
        if (m_options.saveEvery > 0) { // lets a later run extend this one with --resume and more --steps
            writeCheckpoint(0);
        }
    }
    if (!m_options.tracePath.empty()) {
        writeSafetensors(m_options.tracePath, {{"loss", at::tensor(m_traceLoss, at::kFloat)},
                                               {"timesteps", at::tensor(m_traceTimesteps, at::kLong)},
                                               {"indices", at::tensor(m_traceIndices, at::kLong)}});
        m_result.filesWritten.push_back(m_options.tracePath);
    }
    m_result.peakRssBytes = std::max<int64_t>(0, processMemory().peakResidentBytes);
    m_result.cudaPeakBytes = cudaPeakAllocatedBytes();
}

} // namespace studio::engine
