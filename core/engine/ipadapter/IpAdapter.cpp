#include "engine/ipadapter/IpAdapter.h"

#include "engine/ipadapter/ClipImageEncoder.h"
#include "engine/ipadapter/IpAdapterWeights.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

namespace studio::engine {

IpAdapter::~IpAdapter() = default;

std::unique_ptr<IpAdapter> IpAdapter::load(const std::string &adapterPath, const std::string &imageEncoderDir,
                                           const torch::nn::Module &unet, c10::Device unetDevice,
                                           c10::ScalarType unetDtype)
{
    std::unique_ptr<IpAdapter> adapter(new IpAdapter());
    adapter->m_adapterPath = adapterPath;
    adapter->m_imageEncoderDir = imageEncoderDir;
    adapter->m_encoder = ClipImageEncoder::load(imageEncoderDir, c10::kCPU);
    adapter->m_weights = IpAdapterWeights::load(adapterPath, crossAttentionSites(unet),
                                                adapter->m_encoder->hiddenSize(), unetDevice, unetDtype);
    return adapter;
}

bool IpAdapter::isFor(const std::string &adapterPath, const std::string &imageEncoderDir) const
{
    return m_adapterPath == adapterPath && m_imageEncoderDir == imageEncoderDir;
}

std::string IpAdapter::describe() const
{
    const auto &v = m_encoder->config();
    return "IP-Adapter-Plus " + m_adapterPath + " (" + m_weights->resampler().layout().describe() + ", " +
           std::to_string(m_weights->sites().size()) + " cross-attentions); image encoder " + m_imageEncoderDir +
           " (CLIP " + std::to_string(v.hiddenSize) + " wide, " + std::to_string(v.numHiddenLayers) + " layers, image " +
           std::to_string(v.imageSize) + ", patch " + std::to_string(v.patchSize) + ")";
}

IpImageTokens IpAdapter::imageTokens(const RgbImage &reference, bool withNegative)
{
    const bool cached = m_cached.tokens.defined() && m_cachedImage.width == reference.width &&
                        m_cachedImage.height == reference.height && m_cachedImage.pixels == reference.pixels;
    if (!cached) {
        m_cached = IpImageTokens{};
        m_cachedImage = RgbImage{};
        torch::NoGradGuard noGrad;
        m_cached.pixelValues = m_encoder->pixelValues(reference);
        m_cached.imageEmbeds = m_encoder->imageEmbeddings(m_cached.pixelValues);
        m_cached.tokens = m_weights->resampler().forward(m_cached.imageEmbeds);
        m_cachedImage = reference;
    }
    if (withNegative && !m_cached.negativeTokens.defined()) {
        torch::NoGradGuard noGrad;
        // "zeros after normalisation", not a black image (diffusers' uncond image embeds).
        m_cached.negativeImageEmbeds = m_encoder->imageEmbeddings(at::zeros_like(m_cached.pixelValues));
        m_cached.negativeTokens = m_weights->resampler().forward(m_cached.negativeImageEmbeds);
    }
    IpImageTokens result = m_cached;
    if (!withNegative) {
        result.negativeImageEmbeds = at::Tensor();
        result.negativeTokens = at::Tensor();
    }
    return result;
}

} // namespace studio::engine
