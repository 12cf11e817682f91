#include "engine/diffusion/RefinePasses.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/imaging/PilResample.h"
#include "refine/RefineMath.h" // hiresSize: the arithmetic the facade shares, not the facade

#include <ATen/ATen.h>

#include <cmath>
#include <string>

namespace studio::engine {
namespace {

[[noreturn]] void refuse(const std::string &what)
{
    throw EngineError(EngineError::Code::BadArgument, what);
}

std::string number(double value)
{
    std::string text = std::to_string(value);
    while (text.size() > 1 && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

} // namespace

at::Tensor initImageTensor(const RgbImage &image, int width, int height)
{
    if (image.isNull() || image.pixels.size() != size_t(image.width) * size_t(image.height) * 3)
        refuse("the init image is empty or does not match its size");
    const RgbImage sized = image.width == width && image.height == height
                               ? image
                               : resizeLikePil(image, width, height, PilFilter::Lanczos);
    const at::Tensor u8 =
        at::from_blob(const_cast<uint8_t *>(sized.pixels.data()), {height, width, 3}, at::kByte).clone();
    const at::Tensor unit = u8.to(at::kFloat) / 255.0f;
    return (2.0f * unit - 1.0f).permute({2, 0, 1}).unsqueeze(0).contiguous();
}

int img2imgStartStep(int steps, double strength)
{
    return steps - denoisingSteps(steps, strength);
}

at::Tensor upscaleLatents(const at::Tensor &latents, int64_t height, int64_t width)
{
    return at::upsample_bilinear2d(latents.to(at::kFloat), {height, width}, /*align_corners=*/false);
}

void validateRefine(const SampleRequest &r, int factor, int maxSide, int maxSteps)
{
    if (r.initImage) {
        if (!(r.strength >= 0.0 && r.strength <= 1.0))
            refuse("strength must be between 0 and 1, got " + number(r.strength));
        if (denoisingSteps(r.steps, r.strength) < 1)
            refuse("strength " + number(r.strength) + " of " + std::to_string(r.steps) +
                   " steps leaves no denoising step (int(steps x strength) must be at least 1)");
        if (r.initImage->isNull())
            refuse("the init image is empty");
    }
    if (!r.hires)
        return;
    const HiresOptions &h = *r.hires;
    if (r.initImage)
        refuse("the hires fix and an init image cannot be used together");
    if (!std::isfinite(h.scale) || h.scale <= 0.0)
        refuse("hires scale must be a positive number, got " + number(h.scale));
    if (!(h.strength >= 0.0 && h.strength <= 1.0))
        refuse("hires strength must be between 0 and 1, got " + number(h.strength));
    const int steps = h.steps > 0 ? h.steps : r.steps;
    if (h.steps < 0 || steps > maxSteps)
        refuse("hires steps must be between 1 and " + std::to_string(maxSteps) + ", got " + std::to_string(h.steps));
    if (denoisingSteps(steps, h.strength) < 1)
        refuse("hires strength " + number(h.strength) + " of " + std::to_string(steps) +
               " steps leaves no denoising step (int(steps x strength) must be at least 1)");
    const HiresSize size = hiresSize(r.width, r.height, h.scale, factor);
    if (size.width < factor || size.height < factor)
        refuse("hires scale " + number(h.scale) + " makes the image smaller than " + std::to_string(factor) +
               " pixels");
    if (size.width > maxSide || size.height > maxSide)
        refuse("hires scale " + number(h.scale) + " gives " + std::to_string(size.width) + "x" +
               std::to_string(size.height) + ", beyond " + std::to_string(maxSide) +
               " (more than the memory of one machine allows)");
}

} // namespace studio::engine
