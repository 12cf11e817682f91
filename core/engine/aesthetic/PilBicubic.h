#pragma once

#include "engine/aesthetic/RgbImage.h"

namespace studio::engine {

// Pillow's `Image.resize((width, height), Image.BICUBIC)` on an RGB image, reproduced bit for bit (Pillow 9.4,
// reducing_gap None, whole-image box). The CLIP image processor resizes with it, and the aesthetic score moves by
// more than its tolerance when any other resampler is used (see the aesthetic-tiny README), so cv::resize is no
// substitute. The rules, learnt from Pillow's documented behaviour and verified on the golden fixtures:
//  * separable cubic convolution with a = -0.5, support 2;
//  * when shrinking, the kernel is widened by the scale (antialiasing); each output sample's taps are the input
//    samples in [center - support, center + support), rounded, with center = (i + 0.5) * in / out;
//  * the taps are normalised to sum 1 in double, then stored as 22-bit fixed point (rounded half away from zero);
//  * the horizontal pass runs first and is rounded (+2^21, >> 22) and clipped to 8 bits, then the vertical pass;
//  * a pass whose size is unchanged is skipped, and an unchanged size returns a copy.
// Both sizes must be positive; throws EngineError::BadArgument otherwise.
RgbImage resizeBicubicLikePil(const RgbImage &image, int width, int height);

} // namespace studio::engine
