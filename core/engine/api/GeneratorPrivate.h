#pragma once

// Generator's state, shared by the facade's source files (Generation.cpp, StoryGeneration.cpp). Engine-internal:
// includes torch through KolorsPipeline.h, so neither the CLI nor the UI may include it.

#include "engine/api/Generation.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/ipadapter/IpAdapter.h"

#include <memory>
#include <string>

namespace studio::engine {

struct Generator::Private
{
    ModelSettings settings;
    std::unique_ptr<KolorsPipeline> pipeline;
    std::string modelLabel;
    // Loaded at the first request naming it; kept while later requests name the same files (and this UNet).
    std::shared_ptr<IpAdapter> ipAdapter;

    // Gives `sample` the loaded IP-Adapter `request` names (loading it, or reusing the one loaded for the same
    // files). Throws EngineError naming the file for adapter or encoder files that do not fit the loaded model.
    void attachIpAdapter(const GenerationRequest &request, SampleRequest *sample);
};

// The pipeline's request for a facade request (the sampler name already checked). An IP-Adapter request carries
// its reference image and scale but no adapter yet: Private::attachIpAdapter() loads it.
SampleRequest sampleRequestFor(const GenerationRequest &request);
// The facade's result for a pipeline result: everything but timings.totalMs. `denoisingSteps`: the steps that ran.
GenerationResult generationResult(const std::string &modelLabel, const PipelineOptions &options,
                                  const GenerationRequest &request, const PipelineResult &r, int denoisingSteps);

} // namespace studio::engine
