#pragma once

#include "engine/training/TrainingDataSet.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <functional>
#include <string>
#include <vector>

namespace studio::engine {

class AutoencoderKL;
class PromptEncoder;

// What the training steps read, computed once before the first step so the text encoder and the VAE encoder can be
// released (README "Captions" and "Latents": neither has randomness nor gradients).
struct TrainingInputs
{
    std::vector<at::Tensor> latents;       // per row: [1, C, N/8, N/8] float32 = posterior mean x scaling factor
    std::vector<size_t> captionOfRow;      // per row: index into the caption embeddings
    std::vector<at::Tensor> promptEmbeds;  // per distinct caption: [1, L, H] (CPU, the encoder's dtype)
    std::vector<at::Tensor> pooled;        // per distinct caption: [1, H]
    // The sample prompt's CFG conditioning: row 0 the empty negative prompt, row 1 the prompt (empty without one).
    at::Tensor sampleEmbeds, samplePooled;
};

struct EncodeCallbacks
{
    std::function<void(const std::string &stage)> stage;
    std::function<void()> checkCancelled; // throws to stop
};

TrainingInputs encodeTrainingInputs(const TrainingDataSet &data, int resolution, PromptEncoder &text,
                                    const AutoencoderKL &vae, const std::string &samplePrompt,
                                    const EncodeCallbacks &callbacks);

} // namespace studio::engine
