#pragma once

// Generator's state, shared by the facade's source files (Generation.cpp, StoryGeneration.cpp). Engine-internal:
// includes torch through KolorsPipeline.h, so neither the CLI nor the UI may include it.

#include "engine/api/Generation.h"
#include "engine/diffusion/KolorsPipeline.h"

#include <memory>
#include <string>

namespace studio::engine {

struct Generator::Private
{
    ModelSettings settings;
    std::unique_ptr<KolorsPipeline> pipeline;
    std::string modelLabel;
};

// The pipeline's request for a facade request (the sampler name already checked).
SampleRequest sampleRequestFor(const GenerationRequest &request);
// The facade's result for a pipeline result: everything but timings.totalMs. `denoisingSteps`: the steps that ran.
GenerationResult generationResult(const std::string &modelLabel, const PipelineOptions &options,
                                  const GenerationRequest &request, const PipelineResult &r, int denoisingSteps);

} // namespace studio::engine
