#pragma once

#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <memory>
#include <string>

namespace torch::nn {
class Module;
}

namespace studio::engine {

class ClipImageEncoder;
class IpAdapterWeights;

// Every stage of turning a reference image into image tokens (consistency-tiny README B.1-3), CPU float32.
struct IpImageTokens
{
    at::Tensor pixelValues;         // [1, 3, S, S]
    at::Tensor imageEmbeds;         // [1, 1 + P, D]: hidden_states[-2] of the reference
    at::Tensor negativeImageEmbeds; // [1, 1 + P, D]: the same of all-zero pixel values (only with a negative)
    at::Tensor tokens;              // [1, Q, out]
    at::Tensor negativeTokens;      // [1, Q, out] (only with a negative)
};

// A loaded Kolors-IP-Adapter-Plus: the CLIP image encoder and the resampler (float32 on the CPU: they run once per
// reference image, and keeping them off the GPU keeps the low-VRAM budget; the tokens are cached per image) and the
// decoupled cross-attention projections (in the UNet's dtype, on its device). Not thread-safe.
class IpAdapter
{
public:
    // `unet` is the built UNet the adapter is for: its cross-attentions decide the expected `ip_adapter.*` tensors.
    // Throws EngineError naming the file and the tensor or field for anything that does not fit.
    static std::unique_ptr<IpAdapter> load(const std::string &adapterPath, const std::string &imageEncoderDir,
                                           const torch::nn::Module &unet, c10::Device unetDevice,
                                           c10::ScalarType unetDtype);
    ~IpAdapter();

    bool isFor(const std::string &adapterPath, const std::string &imageEncoderDir) const;
    const std::string &adapterPath() const { return m_adapterPath; }
    const std::string &imageEncoderDir() const { return m_imageEncoderDir; }
    const IpAdapterWeights &weights() const { return *m_weights; }
    ClipImageEncoder &encoder() { return *m_encoder; }
    std::string describe() const;

    // The image tokens of `reference` (decoded as PIL's convert("RGB")), with the negative ones of all-zero pixel
    // values when `withNegative` (classifier-free guidance). Cached: the same image again costs nothing.
    IpImageTokens imageTokens(const RgbImage &reference, bool withNegative);

private:
    IpAdapter() = default;

    std::string m_adapterPath, m_imageEncoderDir;
    std::unique_ptr<ClipImageEncoder> m_encoder;
    std::shared_ptr<IpAdapterWeights> m_weights;
    RgbImage m_cachedImage;
    IpImageTokens m_cached;
};

} // namespace studio::engine
