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

bool readWholeFile(const std::string &path, std::vector<unsigned char> *bytes, ImageProbe *probe)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT)
            probe->fail(ImageProblem::NotFound, "not found");
        else
            probe->fail(ImageProblem::ReadError, std::strerror(errno));
        return false;
    }
    bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        probe->fail(ImageProblem::ReadError, "read error");
        return false;
    }
    return true;
}

} // namespace

ImageProbe probeImage(const std::string &path)
{
    ImageProbe probe;
    std::vector<unsigned char> bytes;
    if (!readWholeFile(path, &bytes, &probe))
        return probe;
    if (bytes.empty()) {
        probe.fail(ImageProblem::NotAnImage, "empty file, not an image");
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
            probe.fail(ImageProblem::NotAnImage, "not a recognised image");
            return probe;
        }
        probe.format = "other";
        probe.width = image.cols;
        probe.height = image.rows;
        probe.ok = probe.width * probe.height <= kDecompressionBombPixels;
        if (!probe.ok)
            probe.fail(ImageProblem::TooManyPixels, "decompression bomb");
    }
    return probe;
}

} // namespace studio::dataset
