#pragma once

#include "engine/aesthetic/ClipVisionConfig.h"
#include "engine/aesthetic/ImagePreprocessor.h"
#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class ClipVisionTransformer;

// The files of an IP-Adapter image-encoder folder (Kwai-Kolors/Kolors-IP-Adapter-Plus `image_encoder/`):
// config.json (a CLIPVisionConfig, or a full CLIPConfig whose "vision_config" is read), preprocessor_config.json
// and the weights (model.safetensors, pytorch_model.bin or their sharded/fp16 forms; findWeightFile's order).
struct ClipImageEncoderFiles
{
    std::string folder;
    std::string config;
    std::string preprocessorConfig;
    std::string weights;
};

// Throws EngineError::MissingFile naming the missing file and where the encoder is published.
ClipImageEncoderFiles locateClipImageEncoder(const std::string &folder);

// The CLIP vision tower as the IP-Adapter-Plus uses it (consistency-tiny README B.1-2): CLIPImageProcessor's
// pixel values, then transformers' hidden_states[-2] — the output of encoder layer L-1 of L, every token including
// the class token, no post_layernorm, no projection. The network is the aesthetic predictor's ClipVisionTransformer;
// the weights load by name from `vision_model.*`, the text tower of a full CLIP checkpoint and the unused
// visual_projection are skipped. float32, on one device. Not thread-safe.
class ClipImageEncoder
{
public:
    // Reads and checks the configs against the weights, then loads; nothing in the files is executed (a .bin goes
    // through the restricted unpickler). Throws EngineError naming the file and field or tensor.
    static std::unique_ptr<ClipImageEncoder> load(const std::string &folder, c10::Device device = c10::kCPU);
    ~ClipImageEncoder();

    const ClipVisionConfig &config() const { return m_config; }
    const ImagePreprocessor &preprocessor() const { return m_preprocessor; }
    const ClipImageEncoderFiles &files() const { return m_files; }
    int64_t hiddenSize() const { return m_config.hiddenSize; }

    // CLIPImageProcessor on one decoded image (PIL convert("RGB") already applied): [1, 3, S, S] float32, CPU.
    at::Tensor pixelValues(const RgbImage &image) const;
    // hidden_states[-2] of the tower: [B, 1 + P, D] float32 on the CPU. The IP-Adapter's negative uses all-zero
    // pixel values (zeros after normalisation), not a black image.
    at::Tensor imageEmbeddings(const at::Tensor &pixelValues);
    // Every hidden state (L + 1 entries, entry 0 after pre_layrnorm), for the stage-by-stage tests.
    std::vector<at::Tensor> hiddenStates(const at::Tensor &pixelValues);

private:
    ClipImageEncoder(ClipImageEncoderFiles files, const ClipVisionConfig &config, ImagePreprocessor preprocessor,
                     c10::Device device);

    ClipImageEncoderFiles m_files;
    ClipVisionConfig m_config;
    ImagePreprocessor m_preprocessor;
    c10::Device m_device;
    std::shared_ptr<ClipVisionTransformer> m_tower;
};

// Where users get the encoder, for messages.
std::string ipAdapterDownloadHint();

} // namespace studio::engine
