#include "engine/api/Refine.h"

#include "engine/imaging/ImageDecoder.h"

namespace studio::engine {

RgbImage loadInitImage(const std::string &path)
{
    return ImageDecoder::decodeFile(path);
}

RgbImage decodeInitImage(const std::vector<uint8_t> &bytes, const std::string &label)
{
    return ImageDecoder::decode(bytes, label);
}

} // namespace studio::engine
