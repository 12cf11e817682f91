#include "engine/imaging/ImageDecoder.h"

#include "engine/common/EngineError.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace studio::engine {
namespace {

enum class Format
{
    Png,
    Jpeg,
    Unknown
};

Format detectFormat(const std::vector<uint8_t> &bytes)
{
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), png, 8) == 0)
        return Format::Png;
    if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff)
        return Format::Jpeg;
    return Format::Unknown;
}

uint32_t bigEndian(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; ++i)
        v = (v << 8) | p[i];
    return v;
}

// Reads the image size from the header so that a decompression bomb is refused before anything is allocated.
// Returns false when the header is not where the format puts it.
bool peekSize(const std::vector<uint8_t> &bytes, Format format, uint32_t *width, uint32_t *height)
{
    if (format == Format::Png) {
        // Signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4).
        if (bytes.size() < 24 || std::memcmp(bytes.data() + 12, "IHDR", 4) != 0)
            return false;
        *width = bigEndian(bytes.data() + 16, 4);
        *height = bigEndian(bytes.data() + 20, 4);
        return true;
    }
    // JPEG: walk the marker segments up to the first start-of-frame (SOF0..SOF15 except DHT, JPG and DAC).
    size_t i = 2;
    while (i + 4 <= bytes.size()) {
        if (bytes[i] != 0xff)
            return false;
        const uint8_t marker = bytes[i + 1];
        if (marker == 0xff) { // fill byte
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { // segments without a length
            i += 2;
            continue;
        }
        const uint32_t length = bigEndian(bytes.data() + i + 2, 2);
        if (length < 2)
            return false;
        const bool isFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (isFrame) {
            if (i + 9 > bytes.size())
                return false;
            *height = bigEndian(bytes.data() + i + 5, 2);
            *width = bigEndian(bytes.data() + i + 7, 2);
            return true;
        }
        if (marker == 0xda) // start of scan before any frame header
            return false;
        i += 2 + length;
    }
    return false;
}

uint8_t highByte(uint16_t v)
{
    return uint8_t(v >> 8);
}
uint8_t clipTo8(uint16_t v)
{
    return uint8_t(std::min<uint16_t>(v, 255));
}

// OpenCV hands out 1 (gray), 3 (BGR) or 4 (BGRA) channels; PIL's convert("RGB") replicates gray and drops alpha.
template <typename T, typename ToByte> RgbImage toRgb(const cv::Mat &mat, ToByte grayToByte, ToByte colorToByte)
{
    RgbImage image(mat.cols, mat.rows);
    const int channels = mat.channels();
    for (int y = 0; y < mat.rows; ++y) {
        const T *src = mat.ptr<T>(y);
        uint8_t *dst = image.row(y);
        for (int x = 0; x < mat.cols; ++x, src += channels, dst += 3) {
            if (channels == 1) {
                dst[0] = dst[1] = dst[2] = grayToByte(src[0]);
            } else {
                dst[0] = colorToByte(src[2]);
                dst[1] = colorToByte(src[1]);
                dst[2] = colorToByte(src[0]);
            }
        }
    }
    return image;
}

} // namespace

RgbImage ImageDecoder::decodeFile(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw EngineError(EngineError::Code::MissingFile, "no such image file: " + path);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw EngineError(EngineError::Code::Io, "cannot read " + path + ": " + ec.message());
    if (int64_t(size) > kMaxFileBytes)
        throw EngineError(EngineError::Code::BadFile,
                          path + ": image file too large (" + std::to_string(size) + " bytes)");
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes(size);
    if (!in || !in.read(reinterpret_cast<char *>(bytes.data()), std::streamsize(size)))
        throw EngineError(EngineError::Code::Io, "cannot read " + path);
    return decode(bytes, path);
}

RgbImage ImageDecoder::decode(const std::vector<uint8_t> &bytes, const std::string &label)
{
    const Format format = detectFormat(bytes);
    if (format == Format::Unknown)
        throw EngineError(EngineError::Code::Unsupported, label + ": not a PNG or JPEG image");
    uint32_t width = 0, height = 0;
    if (!peekSize(bytes, format, &width, &height))
        throw EngineError(EngineError::Code::BadFile, label + ": damaged image header");
    if (width == 0 || height == 0 || int64_t(width) * int64_t(height) > kMaxPixels)
        throw EngineError(EngineError::Code::BadFile, label + ": image size " + std::to_string(width) + "x" +
                                                          std::to_string(height) + " is out of range");

    cv::Mat mat;
    try {
        // IMREAD_UNCHANGED keeps alpha and bit depth and, unlike the colour modes, never applies EXIF orientation.
        mat = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception &e) {
        throw EngineError(EngineError::Code::BadFile, label + ": cannot decode the image (" + e.msg + ")");
    }
    if (mat.empty())
        throw EngineError(EngineError::Code::BadFile, label + ": cannot decode the image (damaged or truncated)");
    const int channels = mat.channels();
    if (channels != 1 && channels != 3 && channels != 4)
        throw EngineError(EngineError::Code::Unsupported,
                          label + ": unsupported channel count " + std::to_string(channels));
    switch (mat.depth()) {
    case CV_8U: {
        const auto same = [](uint8_t v) { return v; };
        return toRgb<uint8_t>(mat, +same, +same);
    }
    case CV_16U:
        return toRgb<uint16_t>(mat, channels == 1 ? &clipTo8 : &highByte, &highByte);
    default:
        throw EngineError(EngineError::Code::Unsupported, label + ": unsupported sample format");
    }
}

} // namespace studio::engine
