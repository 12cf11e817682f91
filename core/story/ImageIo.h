#pragma once

#include "PngMetadata.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <opencv2/core.hpp>

#include <optional>

namespace studio::story {

// Pixel input/output for export (OpenCV). Internal to studio_story and its tests: it exposes cv::Mat.
// Every image inside the exporter is 8-bit, 3-channel, in OpenCV's BGR order; the only place that
// swaps to RGB is writePng(), right before libpng.
class ImageIo
{
public:
    enum class Format
    {
        Png,
        Jpeg,
        Other
    };

    static constexpr qint64 kMaxFileSize = 256LL * 1024 * 1024;
    static constexpr int kMaxDimension = 16384;

    // Recognises a file by its first bytes (the extension does not count).
    static Format sniff(const QByteArray &head);
    static QString formatName(Format format);

    // Decodes a PNG or JPEG into 8-bit BGR: 16-bit samples are scaled to 8 bits, grey is expanded,
    // and an alpha channel is composited over white (what a viewer shows on a white page).
    static std::optional<cv::Mat> readBgr8(const QString &path, QString *error);
    // The same conversion for an already decoded image of any depth and 1, 2, 3 or 4 channels.
    static std::optional<cv::Mat> toBgr8(const cv::Mat &decoded, QString *error);

    // Writes an 8-bit BGR image as an RGB PNG with the given text chunks (atomically).
    static bool writePng(const QString &path, const cv::Mat &bgr, const QVector<PngTextChunk> &chunks, QString *error);
};

} // namespace studio::story
