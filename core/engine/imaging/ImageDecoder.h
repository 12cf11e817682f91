#pragma once

#include "engine/imaging/RgbImage.h"

#include <cstdint>
#include <string>
#include <vector>

namespace studio::engine {

// Decodes PNG and JPEG files to 8-bit RGB the way PIL's `Image.open(path).convert("RGB")` does, which is what the
// challenge's scorer feeds CLIPImageProcessor (aesthetic-tiny README, preprocessing step 1):
//  * gray is replicated to three channels; palette images are expanded through their palette;
//  * an alpha channel (RGBA, gray+alpha, palette transparency) is dropped: nothing is composited;
//  * EXIF orientation is ignored (PIL does not apply it either);
//  * 16-bit RGB(A) and gray+alpha keep the high byte (PIL's "RGB;16B" unpacking); 16-bit gray is clipped to 255
//    (PIL opens it as mode "I", whose conversion to RGB clips). The 16-bit rules follow Pillow's converters and
//    are not covered by the fixtures.
// Decoding uses OpenCV's imgcodecs (system libpng and libjpeg-turbo), which decode exactly for PNG. Baseline JPEGs
// decode with the same libjpeg defaults as Pillow (islow DCT, fancy upsampling); CMYK JPEGs may differ from PIL.
// Other formats are refused. Throws EngineError (MissingFile, Io, BadFile, Unsupported) naming the file.
class ImageDecoder
{
public:
    static constexpr int64_t kMaxFileBytes = int64_t(512) << 20;
    static constexpr int64_t kMaxPixels = int64_t(1) << 28; // 16384 x 16384

    static RgbImage decodeFile(const std::string &path);
    static RgbImage decode(const std::vector<uint8_t> &bytes, const std::string &label);
};

} // namespace studio::engine
