#pragma once

#include "engine/imaging/RgbImage.h"

namespace studio::engine {

// The Pillow resampling filters we reproduce. All three are the same convolution machinery with another kernel.
enum class PilFilter
{
    Bilinear, // triangle, support 1 (Image.BILINEAR)
    Bicubic,  // cubic convolution a = -0.5, support 2 (Image.BICUBIC): the CLIP image processor
    Lanczos,  // sinc(x)·sinc(x/3), support 3 (Image.LANCZOS): img2img init images ("Just resize")
};

// Pillow's `Image.resize((width, height), filter)` on an RGB image, reproduced bit for bit (Pillow 9.4,
// reducing_gap None, whole-image box). Exactness matters: the aesthetic score moves by more than its tolerance
// with any other resampler (aesthetic-tiny README), and img2img latents depend on every init pixel, so
// cv::resize is no substitute. The rules, learnt from Pillow's documented behaviour and verified on the golden
// fixtures:
//  * separable convolution with the filter's kernel;
//  * when shrinking, the kernel is widened by the scale (antialiasing); each output sample's taps are the input
//    samples in [center - support, center + support), rounded, with center = (i + 0.5) * in / out;
//  * the taps are normalised to sum 1 in double, then stored as 22-bit fixed point (rounded half away from zero);
//  * the horizontal pass runs first and is rounded (+2^21, >> 22) and clipped to 8 bits, then the vertical pass;
//  * a pass whose size is unchanged is skipped, and an unchanged size returns a copy.
// Both sizes must be positive; throws EngineError::BadArgument otherwise.
RgbImage resizeLikePil(const RgbImage &image, int width, int height, PilFilter filter);

} // namespace studio::engine
