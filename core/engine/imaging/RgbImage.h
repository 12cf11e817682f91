#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace studio::engine {

// An 8-bit RGB image, rows top to bottom, 3 bytes per pixel (R, G, B), no row padding.
// Torch-free so the decoder and the resampler can be used and tested without LibTorch.
struct RgbImage
{
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // width * height * 3

    RgbImage() = default;
    RgbImage(int w, int h) : width(w), height(h), pixels(size_t(w) * size_t(h) * 3) {}

    bool isNull() const { return width <= 0 || height <= 0; }
    uint8_t *row(int y) { return pixels.data() + size_t(y) * size_t(width) * 3; }
    const uint8_t *row(int y) const { return pixels.data() + size_t(y) * size_t(width) * 3; }
};

} // namespace studio::engine
