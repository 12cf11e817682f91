#pragma once

#include "engine/aesthetic/AestheticHeadLayout.h"
#include "engine/aesthetic/AestheticModelFolder.h"
#include "engine/aesthetic/ClipVisionConfig.h"
#include "engine/aesthetic/ImagePreprocessor.h"
#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class AestheticPredictor;

// Every intermediate of one forward pass, named as in the aesthetic-tiny fixtures.
struct AestheticTrace
{
    at::Tensor embeddings;                // [B, 1 + P, D]
    std::vector<at::Tensor> hiddenStates; // L + 1 x [B, 1 + P, D] (only when asked for)
    at::Tensor lastHiddenState;
    at::Tensor pooled;           // [B, D]
    at::Tensor imageEmbeds;      // [B, proj]
    at::Tensor normalizedEmbeds; // [B, proj]
    at::Tensor score;            // [B, 1]
};

// A loaded aesthetic predictor: image processor + CLIP vision tower + head, float32, on one device.
// Not thread-safe: use one instance from one thread at a time (the studio keeps it on its worker thread).
class AestheticModel
{
public:
    static constexpr int kBatchSize = 4;

    // Reads the configs, checks them against the weight names and shapes (all problems named with file and
    // tensor), then loads; nothing is executed and a failed load leaves nothing behind. Throws EngineError.
    // `cancelled` is polled between the tensors (EngineError::Cancelled).
    static std::unique_ptr<AestheticModel> load(const AestheticModelFiles &files, c10::Device device = c10::kCPU,
                                                const std::function<bool()> &cancelled = {});
    ~AestheticModel();

    const ClipVisionConfig &visionConfig() const { return m_vision; }
    const AestheticHeadLayout &headLayout() const { return m_head; }
    const ImagePreprocessor &preprocessor() const { return m_preprocessor; }
    std::string describe() const; // for logs and the CLI: sizes, head, files

    // The network on given pixel values [B, 3, S, S]; results on the CPU.
    AestheticTrace run(const at::Tensor &pixelValues, bool keepHiddenStates = false);
    // Preprocess + network, in batches of kBatchSize. One score per image.
    std::vector<double> score(const std::vector<RgbImage> &images);

private:
    AestheticModel(const ClipVisionConfig &vision, const AestheticHeadLayout &head, ImagePreprocessor preprocessor,
                   c10::Device device);

    ClipVisionConfig m_vision;
    AestheticHeadLayout m_head;
    ImagePreprocessor m_preprocessor;
    c10::Device m_device;
    std::shared_ptr<AestheticPredictor> m_network;
    std::string m_description;
};

} // namespace studio::engine
