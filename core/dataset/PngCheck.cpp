#include "PngCheck.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace studio::dataset {

namespace {

const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

uint32_t be32(const unsigned char *p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Pillow's is_cid: four "word" characters.
bool isChunkType(const unsigned char *p)
{
    for (int i = 0; i < 4; ++i)
        if (!(std::isalnum(p[i]) || p[i] == '_'))
            return false;
    return true;
}

// Samples per pixel of the (bit depth, colour type) pairs Pillow knows; 0 for the others.
int channelsOf(int bitDepth, int colourType)
{
    switch (colourType) {
    case 0: return (bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16) ? 1 : 0;
    case 2: return (bitDepth == 8 || bitDepth == 16) ? 3 : 0;
    case 3: return (bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8) ? 1 : 0;
    case 4: return (bitDepth == 8 || bitDepth == 16) ? 2 : 0;
    case 6: return (bitDepth == 8 || bitDepth == 16) ? 4 : 0;
    default: return 0;
    }
}

struct Rows
{
    uint64_t count = 0, bytesPerRow = 0; // bytesPerRow includes the filter-type byte
};

// The rows of each Adam7 pass (one pass when not interlaced); empty passes have no rows at all.
std::vector<Rows> passRows(uint64_t width, uint64_t height, int bitsPerPixel, bool interlaced)
{
    auto rowBytes = [bitsPerPixel](uint64_t w) { return (w * bitsPerPixel + 7) / 8 + 1; };
    if (!interlaced)
        return {{height, rowBytes(width)}};
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    static const int y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    std::vector<Rows> passes;
    for (int p = 0; p < 7; ++p) {
        const uint64_t w = width > uint64_t(x0[p]) ? (width - x0[p] + dx[p] - 1) / dx[p] : 0;
        const uint64_t h = height > uint64_t(y0[p]) ? (height - y0[p] + dy[p] - 1) / dy[p] : 0;
        if (w && h)
            passes.push_back({h, rowBytes(w)});
    }
    return passes;
}

} // namespace

bool looksLikePng(const std::vector<unsigned char> &bytes)
{
    return bytes.size() >= 8 && std::memcmp(bytes.data(), kSignature, 8) == 0;
}

void checkPng(const std::vector<unsigned char> &bytes, ImageProbe *probe)
{
    const size_t size = bytes.size();
    const unsigned char *data = bytes.data();
    size_t pos = 8;
    bool haveHeader = false;
    int bitsPerPixel = 0;
    bool interlaced = false;

    // Pillow's open: every chunk before the first IDAT is read whole and its CRC checked.
    while (true) {
        if (pos + 8 > size) {
            probe->fail(ImageProblem::Truncated, "no image data (file ends before IDAT)");
            return;
        }
        const uint32_t length = be32(data + pos);
        const unsigned char *type = data + pos + 4;
        if (!isChunkType(type)) {
            probe->fail(ImageProblem::Corrupt, "broken PNG chunk");
            return;
        }
        if (std::memcmp(type, "IDAT", 4) == 0)
            break;
        if (uint64_t(pos) + 12 + length > size) {
            probe->fail(ImageProblem::Truncated, "truncated PNG chunk");
            return;
        }
        const uint32_t crc = uint32_t(crc32(crc32(0L, type, 4), data + pos + 8, length));
        if (crc != be32(data + pos + 8 + length)) {
            probe->fail(ImageProblem::Corrupt, "broken PNG chunk (bad CRC)");
            return;
        }
        if (std::memcmp(type, "IHDR", 4) == 0) {
            if (length < 13) {
                probe->fail(ImageProblem::Truncated, "truncated IHDR chunk");
                return;
            }
            const unsigned char *h = data + pos + 8;
            probe->width = be32(h);
            probe->height = be32(h + 4);
            const int channels = channelsOf(h[8], h[9]);
            if (channels == 0) {
                probe->fail(ImageProblem::Unsupported, "unknown PNG mode");
                return;
            }
            if (h[11] != 0) {
                probe->fail(ImageProblem::Unsupported, "unknown PNG filter category");
                return;
            }
            bitsPerPixel = h[8] * channels;
            interlaced = h[12] != 0;
            haveHeader = true;
        }
        pos += 12 + length;
    }
    if (!haveHeader) {
        probe->fail(ImageProblem::Corrupt, "no IHDR chunk before the image data");
        return;
    }
    if (probe->width <= 0 || probe->height <= 0) {
        probe->fail(ImageProblem::Corrupt, "empty image size");
        return;
    }
    if (probe->width * probe->height > kDecompressionBombPixels) {
        probe->fail(ImageProblem::TooManyPixels,
                    "decompression bomb (" + std::to_string(probe->width * probe->height) + " pixels)");
        return;
    }

    // Pillow's load: inflate the consecutive IDAT chunks until every row is there, checking each filter byte.
    const std::vector<Rows> passes = passRows(uint64_t(probe->width), uint64_t(probe->height), bitsPerPixel,
                                              interlaced);
    z_stream z{};
    if (inflateInit(&z) != Z_OK) {
        probe->fail(ImageProblem::ReadError, "zlib init failed");
        return;
    }
    std::vector<unsigned char> scratch(1 << 16);
    size_t passIndex = 0;
    uint64_t rowsLeft = passes.empty() ? 0 : passes[0].count;
    uint64_t rowOffset = 0; // bytes of the current row already produced
    size_t chunkEnd = 0;    // end of the current IDAT chunk's data
    std::string error;
    ImageProblem problem = ImageProblem::Truncated;
    bool done = passes.empty();
    while (!done) {
        if (z.avail_in == 0) {
            if (chunkEnd != 0) {
                // the next chunk must be IDAT too
                pos = chunkEnd + 4;
                if (pos + 8 > size || std::memcmp(data + pos + 4, "IDAT", 4) != 0) {
                    error = "truncated image data";
                    break;
                }
            }
            const uint32_t length = be32(data + pos);
            const size_t start = pos + 8;
            chunkEnd = start + std::min<uint64_t>(length, size - std::min(size, start));
            if (uint64_t(start) + length > size)
                chunkEnd = size;
            z.next_in = const_cast<unsigned char *>(data + start);
            z.avail_in = static_cast<uInt>(chunkEnd - start);
            if (chunkEnd == size && uint64_t(start) + length > size && z.avail_in == 0) {
                error = "truncated image data";
                break;
            }
            if (z.avail_in == 0)
                continue; // an empty IDAT chunk
        }
        // Never ask for more than the rest of the current row, so nothing past the last row is decoded.
        const uint64_t want = std::min<uint64_t>(scratch.size(), passes[passIndex].bytesPerRow - rowOffset);
        z.next_out = scratch.data();
        z.avail_out = static_cast<uInt>(want);
        const int rc = inflate(&z, Z_NO_FLUSH);
        const uint64_t produced = want - z.avail_out;
        if (produced > 0 && rowOffset == 0 && scratch[0] > 4) {
            error = "unknown PNG row filter";
            problem = ImageProblem::Corrupt;
            break;
        }
        rowOffset += produced;
        if (rowOffset == passes[passIndex].bytesPerRow) {
            rowOffset = 0;
            if (--rowsLeft == 0) {
                if (++passIndex == passes.size()) {
                    done = true;
                    break;
                }
                rowsLeft = passes[passIndex].count;
            }
        }
        if (rc == Z_STREAM_END) {
            error = "image data ends early";
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            error = "corrupt image data";
            problem = ImageProblem::Corrupt;
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_in != 0 && produced == 0) {
            error = "corrupt image data";
            problem = ImageProblem::Corrupt;
            break;
        }
        if (chunkEnd == size && z.avail_in == 0 && produced == 0 && rc == Z_BUF_ERROR) {
            error = "truncated image data";
            break;
        }
    }
    inflateEnd(&z);
    if (!done) {
        probe->fail(problem, error.empty() ? "truncated image data" : error);
        return;
    }

    // Pillow's load_end: the remaining chunks up to IEND are read (a chunk cut short fails; CRCs are not checked;
    // a missing or unreadable chunk header ends the walk).
    pos = chunkEnd;
    while (true) {
        pos += 4; // CRC
        if (pos + 8 > size || !isChunkType(data + pos + 4) || std::memcmp(data + pos + 4, "IEND", 4) == 0)
            break;
        const uint32_t length = be32(data + pos);
        if (uint64_t(pos) + 8 + length > size) {
            probe->fail(ImageProblem::Truncated, "truncated chunk after the image data");
            return;
        }
        pos += 8 + length;
    }
    probe->ok = true;
}

} // namespace studio::dataset
