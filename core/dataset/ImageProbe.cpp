#include "ImageProbe.h"

#include "PngCheck.h"
#include "JpegCheck.h"

#include <opencv2/imgcodecs.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace studio::dataset {

namespace {

bool readWholeFile(const std::string &path, std::vector<unsigned char> *bytes, std::string *error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = errno == ENOENT ? "not found" : std::strerror(errno);
        return false;
    }
    bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        *error = "read error";
        return false;
    }
    return true;
}

} // namespace

ImageProbe probeImage(const std::string &path)
{
    ImageProbe probe;
    std::vector<unsigned char> bytes;
    if (!readWholeFile(path, &bytes, &probe.error))
        return probe;
    if (bytes.empty()) {
        probe.error = "empty file, not an image";
        return probe;
    }
    if (looksLikePng(bytes)) {
        probe.format = "PNG";
        checkPng(bytes, &probe);
    } else if (looksLikeJpeg(bytes)) {
        probe.format = "JPEG";
        checkJpeg(bytes, &probe);
    } else {
        // Formats other than PNG and JPEG (WebP, BMP, TIFF, …): OpenCV decodes them; sizes as stored.
        cv::Mat data(1, static_cast<int>(bytes.size()), CV_8UC1, bytes.data());
        cv::Mat image;
        try {
            image = cv::imdecode(data, cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
        } catch (const cv::Exception &) {
            image = cv::Mat();
        }
        if (image.empty()) {
            probe.error = "not a recognised image";
            return probe;
        }
        probe.format = "other";
        probe.width = image.cols;
        probe.height = image.rows;
        probe.ok = probe.width * probe.height <= kDecompressionBombPixels;
        if (!probe.ok)
            probe.error = "decompression bomb";
    }
    return probe;
}

} // namespace studio::dataset
