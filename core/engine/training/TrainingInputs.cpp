#include "engine/training/TrainingInputs.h"

#include "engine/diffusion/AutoencoderKL.h"
#include "engine/diffusion/PromptEncoder.h"

#include <ATen/ATen.h>

#include <map>

namespace studio::engine {

TrainingInputs encodeTrainingInputs(const TrainingDataSet &data, int resolution, PromptEncoder &text,
                                    const AutoencoderKL &vae, const std::string &samplePrompt,
                                    const EncodeCallbacks &callbacks)
{
    at::NoGradGuard noGrad;
    TrainingInputs inputs;
    if (callbacks.stage)
        callbacks.stage("encoding captions");
    std::map<std::string, size_t> captionIndex;
    for (const TrainingRow &row : data.rows) {
        auto it = captionIndex.find(row.text);
        if (it == captionIndex.end()) {
            if (callbacks.checkCancelled)
                callbacks.checkCancelled();
            const PromptEmbeddings e = text.encode(row.text);
            inputs.promptEmbeds.push_back(e.promptEmbeds.cpu());
            inputs.pooled.push_back(e.pooled.cpu());
            it = captionIndex.emplace(row.text, inputs.promptEmbeds.size() - 1).first;
        }
        inputs.captionOfRow.push_back(it->second);
    }
    if (!samplePrompt.empty()) {
        const PromptEmbeddings negative = text.encode("");
        const PromptEmbeddings positive = text.encode(samplePrompt);
        inputs.sampleEmbeds = at::cat({negative.promptEmbeds.cpu(), positive.promptEmbeds.cpu()}, 0);
        inputs.samplePooled = at::cat({negative.pooled.cpu(), positive.pooled.cpu()}, 0);
    }

    if (callbacks.stage)
        callbacks.stage("encoding images");
    const double scaling = vae.config().scalingFactor;
    for (const TrainingRow &row : data.rows) {
        if (callbacks.checkCancelled)
            callbacks.checkCancelled();
        const at::Tensor pixels = imageToPixels(loadTrainingImage(row.path, resolution));
        const at::Tensor mean = vae.encode(pixels).mean;
        inputs.latents.push_back((mean.to(at::kFloat) * scaling).contiguous());
    }
    return inputs;
}

} // namespace studio::engine
