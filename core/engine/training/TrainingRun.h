#pragma once

#include "engine/training/TrainingTypes.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/training/LoraOptimizer.h"
#include "engine/training/TrainableLora.h"
#include "engine/training/TrainingDataSet.h"
#include "engine/training/TrainingInputs.h"

#include <ATen/core/Generator.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

struct ResumeState;

// The state of one training run, from loading to the written LoRA (see runLoraTraining).
class TrainingRun
{
public:
    TrainingRun(const TrainingOptions &options, const TrainingCallbacks &callbacks);
    ~TrainingRun();
    TrainingResult execute();

private:
    void stage(const std::string &name);
    void throwIfCancelled();
    bool cancelRequested() const;
    void loadModels();
    void prepareInputs();
    void releaseEncoders();
    void setUpLora();
    void resume();
    void trainSteps();
    void writeCheckpoint(int step);
    void renderSample(int step);
    std::map<std::string, std::string> settings() const;
    TrainingFacts facts(int stepsDone) const;
    double smoothedLoss() const;

    TrainingOptions m_options;
    TrainingCallbacks m_callbacks;
    c10::Device m_device = c10::kCPU;
    c10::ScalarType m_unetDtype = c10::kFloat;
    std::string m_precisionName = "fp32";
    bool m_checkpointing = false;

    TrainingDataSet m_data;
    std::string m_dataDigest;
    KolorsPipeline::Components m_models;
    PipelineOptions m_pipelineOptions;
    std::string m_baseModelHash;
    at::Tensor m_alphasCumprod;
    int64_t m_numTimesteps = 0;
    TrainingInputs m_inputs;

    std::unique_ptr<TrainableLora> m_lora;
    std::unique_ptr<LoraAdamW> m_optimizer;
    std::unique_ptr<LossScaler> m_scaler;
    at::Generator m_generator;
    std::unique_ptr<KolorsPipeline> m_samplePipeline;

    int m_step = 0;      // steps done over the whole run
    int m_firstStep = 0; // steps done before this session (resume)
    double m_lossEma = 0;
    int64_t m_lossEmaSteps = 0;
    std::vector<float> m_traceLoss;
    std::vector<int64_t> m_traceTimesteps, m_traceIndices;
    std::chrono::steady_clock::time_point m_stepsStarted;
    TrainingResult m_result;
};

} // namespace studio::engine
