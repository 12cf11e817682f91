// The image reading of prepare-data and the Train LoRA page (core/dataset PngCheck/JpegCheck): every byte of a
// hostile PNG or JPEG must end in "readable" or "unreadable" with a reason, never a crash, a hang or a huge
// allocation (a header may claim 65535 x 65535; decoding runs row by row).
#include "dataset/JpegCheck.h"
#include "dataset/PngCheck.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::vector<unsigned char> bytes(data, data + size);
    studio::dataset::ImageProbe probe;
    if (studio::dataset::looksLikePng(bytes))
        studio::dataset::checkPng(bytes, &probe);
    else if (studio::dataset::looksLikeJpeg(bytes))
        studio::dataset::checkJpeg(bytes, &probe);
    // A verdict either way: readable with a size, or unreadable with a reason.
    if (probe.ok ? (probe.width <= 0 || probe.height <= 0) : false)
        __builtin_trap();
    return 0;
}
