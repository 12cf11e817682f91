#pragma once

#include "engine/aesthetic/ImageProcessorConfig.h"
#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>

#include <utility>
#include <vector>

namespace studio::engine {

// CLIPImageProcessor in C++ (transformers 4.43, aesthetic-tiny README "Preprocessing"): resize with PIL's bicubic,
// centre crop, rescale, normalise, CHW float32. Every step is bit-exact with the Python processor.
class ImagePreprocessor
{
public:
    // Images whose resized long side would exceed this are refused (a 1x100000 strip would become gigabytes).
    static constexpr int64_t kMaxResizedPixels = int64_t(64) << 20;

    explicit ImagePreprocessor(ImageProcessorConfig config);
    const ImageProcessorConfig &config() const { return m_config; }

    // The size step 2 resizes a width x height image to: the short side becomes shortest_edge and the long side
    // int(shortest_edge * long / short), truncated; or the configured fixed size. Unchanged when do_resize is off.
    std::pair<int, int> resizedSize(int width, int height) const;
    // Step 2 alone (the fixtures' `resized_uint8`). Throws EngineError::BadArgument for absurd sizes.
    RgbImage resize(const RgbImage &image) const;
    // Steps 3-5 on a resized image: [3, cropHeight, cropWidth] float32 (or the resized size without a crop).
    at::Tensor toPixelValues(const RgbImage &resized) const;
    // All steps for a batch: [B, 3, H, W] float32. Every image must end at the same size.
    at::Tensor preprocess(const std::vector<RgbImage> &images) const;

private:
    ImageProcessorConfig m_config;
};

} // namespace studio::engine
