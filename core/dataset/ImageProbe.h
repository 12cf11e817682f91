#pragma once

#include <cstdint>
#include <string>

// Reads an image the way PIL.Image.open(path).load() does, for the shape and aspect-ratio filters: the stored
// width and height (PNG IHDR, JPEG SOF; EXIF orientation ignored), after decoding every byte of pixel data. An
// image whose data ends early or is corrupt, a file that is no image, a missing file and a decompression bomb
// (more than 2 × 89478485 pixels, refused before decoding as Pillow does) are unreadable. Decoding runs row by row,
// so a huge image needs no more memory than one row.
namespace studio::dataset {

// Why an image is unreadable, for messages in the user's language (the text in `error` is English detail).
enum class ImageProblem { None, NotFound, ReadError, NotAnImage, Truncated, Corrupt, TooManyPixels, Unsupported };

struct ImageProbe
{
    bool ok = false;
    int64_t width = 0, height = 0;
    std::string format; // "PNG", "JPEG", or the fallback decoder's
    std::string error;  // why it is unreadable: "not found", "truncated pixel data", …
    ImageProblem problem = ImageProblem::None;

    void fail(ImageProblem why, const std::string &detail)
    {
        ok = false;
        problem = why;
        error = detail;
    }
};

// Pillow's Image.MAX_IMAGE_PIXELS * 2: DecompressionBombError above this.
constexpr int64_t kDecompressionBombPixels = 178956970;

ImageProbe probeImage(const std::string &path);

} // namespace studio::dataset
