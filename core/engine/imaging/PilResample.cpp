#include "engine/imaging/PilResample.h"

#include "engine/common/EngineError.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace studio::engine {
namespace {

// Pillow keeps 8-bit resampling in 32-bit integers: 8 bits of pixel, 2 bits of headroom, 22 of fraction.
constexpr int kPrecisionBits = 32 - 8 - 2;

double cubicKernel(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0)
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

double triangleKernel(double x)
{
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    constexpr double kPi = 3.14159265358979323846; // M_PI, which Pillow uses (not standard C++)
    x *= kPi;
    return std::sin(x) / x;
}

double lanczosKernel(double x)
{
    return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
}

struct Kernel
{
    double (*weight)(double);
    double support;
};

Kernel kernelOf(PilFilter filter)
{
    switch (filter) {
    case PilFilter::Bilinear:
        return {triangleKernel, 1.0};
    case PilFilter::Bicubic:
        return {cubicKernel, 2.0};
    case PilFilter::Lanczos:
        return {lanczosKernel, 3.0};
    }
    return {cubicKernel, 2.0};
}

// For every output sample along one axis: the first input sample it reads, how many it reads, and their
// fixed-point weights (`stride` slots per output sample).
struct AxisTaps
{
    int stride = 0;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<int32_t> weights;
};

AxisTaps computeTaps(int inSize, int outSize, const Kernel &kernel)
{
    // Same evaluation order as Pillow so that every intermediate double is identical.
    const double scale = double(inSize) / outSize;
    const double filterScale = scale < 1.0 ? 1.0 : scale;
    const double support = kernel.support * filterScale;
    const double inverseFilterScale = 1.0 / filterScale;

    AxisTaps taps;
    taps.stride = int(std::ceil(support)) * 2 + 1;
    taps.first.resize(size_t(outSize));
    taps.count.resize(size_t(outSize));
    taps.weights.assign(size_t(outSize) * size_t(taps.stride), 0);
    std::vector<double> k(size_t(taps.stride));
    for (int i = 0; i < outSize; ++i) {
        const double center = (i + 0.5) * scale;
        int lo = int(center - support + 0.5); // truncation, as C's (int) cast
        if (lo < 0)
            lo = 0;
        int hi = int(center + support + 0.5);
        if (hi > inSize)
            hi = inSize;
        const int n = hi - lo;
        double sum = 0.0;
        for (int x = 0; x < n; ++x) {
            const double w = kernel.weight((x + lo - center + 0.5) * inverseFilterScale);
            k[size_t(x)] = w;
            sum += w;
        }
        int32_t *fixed = taps.weights.data() + size_t(i) * size_t(taps.stride);
        for (int x = 0; x < n; ++x) {
            const double w = sum != 0.0 ? k[size_t(x)] / sum : k[size_t(x)];
            const double scaled = w * double(1 << kPrecisionBits);
            fixed[x] = int32_t(w < 0 ? -0.5 + scaled : 0.5 + scaled);
        }
        taps.first[size_t(i)] = lo;
        taps.count[size_t(i)] = n;
    }
    return taps;
}

uint8_t roundAndClip(int64_t accumulator)
{
    if (accumulator <= 0)
        return 0;
    const int64_t value = accumulator >> kPrecisionBits;
    return uint8_t(value > 255 ? 255 : value);
}

RgbImage resampleHorizontally(const RgbImage &in, int outWidth, const Kernel &kernel)
{
    const AxisTaps taps = computeTaps(in.width, outWidth, kernel);
    RgbImage out(outWidth, in.height);
    for (int y = 0; y < in.height; ++y) {
        const uint8_t *src = in.row(y);
        uint8_t *dst = out.row(y);
        for (int x = 0; x < outWidth; ++x) {
            const int32_t *w = taps.weights.data() + size_t(x) * size_t(taps.stride);
            const uint8_t *p = src + size_t(taps.first[size_t(x)]) * 3;
            for (int c = 0; c < 3; ++c) {
                int64_t acc = int64_t(1) << (kPrecisionBits - 1);
                for (int t = 0; t < taps.count[size_t(x)]; ++t)
                    acc += int64_t(p[size_t(t) * 3 + size_t(c)]) * w[t];
                dst[size_t(x) * 3 + size_t(c)] = roundAndClip(acc);
            }
        }
    }
    return out;
}

RgbImage resampleVertically(const RgbImage &in, int outHeight, const Kernel &kernel)
{
    const AxisTaps taps = computeTaps(in.height, outHeight, kernel);
    RgbImage out(in.width, outHeight);
    const size_t rowBytes = size_t(in.width) * 3;
    std::vector<int64_t> acc(rowBytes);
    for (int y = 0; y < outHeight; ++y) {
        const int32_t *w = taps.weights.data() + size_t(y) * size_t(taps.stride);
        std::fill(acc.begin(), acc.end(), int64_t(1) << (kPrecisionBits - 1));
        for (int t = 0; t < taps.count[size_t(y)]; ++t) {
            const uint8_t *src = in.row(taps.first[size_t(y)] + t);
            for (size_t i = 0; i < rowBytes; ++i)
                acc[i] += int64_t(src[i]) * w[t];
        }
        uint8_t *dst = out.row(y);
        for (size_t i = 0; i < rowBytes; ++i)
            dst[i] = roundAndClip(acc[i]);
    }
    return out;
}

} // namespace

RgbImage resizeLikePil(const RgbImage &image, int width, int height, PilFilter filter)
{
    const Kernel kernel = kernelOf(filter);
    if (image.isNull() || width <= 0 || height <= 0)
        throw EngineError(EngineError::Code::BadArgument, "cannot resize a " + std::to_string(image.width) + "x" +
                                                              std::to_string(image.height) + " image to " +
                                                              std::to_string(width) + "x" + std::to_string(height));
    if (image.pixels.size() != size_t(image.width) * size_t(image.height) * 3)
        throw EngineError(EngineError::Code::BadArgument, "RGB image buffer does not match its size");
    if (width == image.width && height == image.height)
        return image;
    if (width == image.width)
        return resampleVertically(image, height, kernel);
    const RgbImage wide = resampleHorizontally(image, width, kernel);
    return height == image.height ? wide : resampleVertically(wide, height, kernel);
}

} // namespace studio::engine
