#include "engine/aesthetic/ImagePreprocessor.h"

#include "engine/imaging/PilResample.h"
#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

namespace studio::engine {
namespace {

int64_t floorDiv2(int64_t v)
{
    return v >= 0 ? v / 2 : -((-v + 1) / 2);
} // Python's v // 2

std::string sizeText(int64_t w, int64_t h)
{
    return std::to_string(w) + "x" + std::to_string(h);
}

} // namespace

ImagePreprocessor::ImagePreprocessor(ImageProcessorConfig config) : m_config(std::move(config)) {}

std::pair<int, int> ImagePreprocessor::resizedSize(int width, int height) const
{
    if (width <= 0 || height <= 0)
        throw EngineError(EngineError::Code::BadArgument, "empty image (" + sizeText(width, height) + ")");
    if (!m_config.doResize)
        return {width, height};
    if (m_config.shortestEdge <= 0)
        return {m_config.resizeWidth, m_config.resizeHeight};
    const int64_t shortSide = std::min(width, height);
    const int64_t longSide = std::max(width, height);
    // transformers computes int(S * long / short) in floating point; for sides this small the exact integer
    // quotient is the same number.
    const int64_t newShort = m_config.shortestEdge;
    const int64_t newLong = newShort * longSide / shortSide;
    if (newShort * newLong > kMaxResizedPixels)
        throw EngineError(EngineError::Code::BadArgument, "a " + sizeText(width, height) +
                                                              " image is too elongated to score (it would be resized "
                                                              "to " +
                                                              sizeText(newShort, newLong) + ")");
    return width <= height ? std::pair<int, int>(int(newShort), int(newLong))
                           : std::pair<int, int>(int(newLong), int(newShort));
}

RgbImage ImagePreprocessor::resize(const RgbImage &image) const
{
    const auto [width, height] = resizedSize(image.width, image.height);
    return resizeLikePil(image, width, height, PilFilter::Bicubic);
}

at::Tensor ImagePreprocessor::toPixelValues(const RgbImage &resized) const
{
    if (resized.isNull() || resized.pixels.size() != size_t(resized.width) * size_t(resized.height) * 3)
        throw EngineError(EngineError::Code::BadArgument, "invalid RGB image buffer");
    const int outH = m_config.doCenterCrop ? m_config.cropHeight : resized.height;
    const int outW = m_config.doCenterCrop ? m_config.cropWidth : resized.width;
    // transformers' center_crop: top = (H - crop) // 2 (floored); where the crop is larger than the image it pads
    // with zeros so that the image sits centred, which amounts to reading zeros outside the image.
    const int64_t top = m_config.doCenterCrop ? floorDiv2(int64_t(resized.height) - outH) : 0;
    const int64_t left = m_config.doCenterCrop ? floorDiv2(int64_t(resized.width) - outW) : 0;

    float mean[3], stdev[3];
    for (int c = 0; c < 3; ++c) { // numpy casts mean and std to the image's float32 before normalising
        mean[c] = float(m_config.mean[size_t(c)]);
        stdev[c] = float(m_config.std[size_t(c)]);
    }
    at::Tensor out = at::empty({3, outH, outW}, at::kFloat);
    float *dst = out.data_ptr<float>();
    const size_t plane = size_t(outH) * size_t(outW);
    for (int y = 0; y < outH; ++y) {
        const int64_t sy = top + y;
        for (int x = 0; x < outW; ++x) {
            const int64_t sx = left + x;
            const bool inside = sy >= 0 && sy < resized.height && sx >= 0 && sx < resized.width;
            for (int c = 0; c < 3; ++c) {
                const uint8_t u = inside ? resized.row(int(sy))[size_t(sx) * 3 + size_t(c)] : 0;
                // rescale: uint8 * factor in float64, then cast to float32 (transformers' rescale)
                float v = m_config.doRescale ? float(double(u) * m_config.rescaleFactor) : float(u);
                if (m_config.doNormalize)
                    v = (v - mean[c]) / stdev[c];
                dst[size_t(c) * plane + size_t(y) * size_t(outW) + size_t(x)] = v;
            }
        }
    }
    return out;
}

at::Tensor ImagePreprocessor::preprocess(const std::vector<RgbImage> &images) const
{
    if (images.empty())
        throw EngineError(EngineError::Code::BadArgument, "no images to preprocess");
    std::vector<at::Tensor> planes;
    planes.reserve(images.size());
    for (const RgbImage &image : images) {
        planes.push_back(toPixelValues(resize(image)));
        if (planes.back().sizes() != planes.front().sizes())
            throw EngineError(EngineError::Code::BadArgument,
                              "images of one batch end at different sizes (no centre crop configured)");
    }
    return at::stack(planes);
}

} // namespace studio::engine
