#include "ImageIo.h"

#include <QCoreApplication>
#include <QFile>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace studio::story {

ImageIo::Format ImageIo::sniff(const QByteArray &head)
{
    if (head.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)))
        return Format::Png;
    if (head.startsWith(QByteArray("\xff\xd8\xff", 3)))
        return Format::Jpeg;
    return Format::Other;
}

QString ImageIo::formatName(Format format)
{
    switch (format) {
    case Format::Png:
        return QStringLiteral("PNG");
    case Format::Jpeg:
        return QStringLiteral("JPEG");
    case Format::Other:
        break;
    }
    return QStringLiteral("unknown");
}

std::optional<cv::Mat> ImageIo::toBgr8(const cv::Mat &decoded, QString *error)
{
    auto refuse = [error](const QString &message) -> std::optional<cv::Mat> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (decoded.empty())
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "the image is empty"));
    if (decoded.dims != 2 || decoded.cols > kMaxDimension || decoded.rows > kMaxDimension)
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "the image is too large (%1x%2)")
                          .arg(decoded.cols)
                          .arg(decoded.rows));

    // Depth first: bring every sample to 8 bits (16-bit PNGs divide by 257, which maps 65535 to 255).
    cv::Mat eight;
    switch (decoded.depth()) {
    case CV_8U:
        eight = decoded;
        break;
    case CV_16U:
        decoded.convertTo(eight, CV_8U, 1.0 / 257.0);
        break;
    case CV_32F:
    case CV_64F:
        decoded.convertTo(eight, CV_8U, 255.0);
        break;
    default:
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "unsupported sample type"));
    }

    if (eight.channels() == 2) {
        // Grey + alpha: expand the grey and composite like BGRA below.
        std::vector<cv::Mat> planes;
        cv::split(eight, planes);
        cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, eight);
    }

    cv::Mat bgr;
    switch (eight.channels()) {
    case 1:
        cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
        break;
    case 4: {
        cv::Mat colour;
        cv::Mat alpha;
        cv::cvtColor(eight, colour, cv::COLOR_BGRA2BGR);
        cv::extractChannel(eight, alpha, 3);
        cv::Mat colourF;
        cv::Mat alphaF;
        colour.convertTo(colourF, CV_32FC3);
        alpha.convertTo(alphaF, CV_32F, 1.0 / 255.0);
        cv::Mat alpha3;
        cv::cvtColor(alphaF, alpha3, cv::COLOR_GRAY2BGR);
        cv::Mat white(colourF.size(), CV_32FC3, cv::Scalar(255, 255, 255));
        cv::Mat blended = colourF.mul(alpha3) + white.mul(cv::Scalar(1, 1, 1) - alpha3);
        blended.convertTo(bgr, CV_8UC3); // rounds to nearest
        break;
    }
    case 3:
        bgr = eight;
        break;
    default:
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "unsupported number of channels (%1)")
                          .arg(eight.channels()));
    }
    if (!bgr.isContinuous())
        bgr = bgr.clone();
    return bgr;
}

std::optional<cv::Mat> ImageIo::readBgr8(const QString &path, QString *error)
{
    auto refuse = [error, &path](const QString &message) -> std::optional<cv::Mat> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return std::nullopt;
    };
    QFile file(path);
    if (!file.exists())
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "file is missing"));
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "cannot read: %1").arg(file.errorString()));
    if (file.size() > kMaxFileSize)
        return refuse(
            QCoreApplication::translate("studio::story::ImageIo", "file is too large (%1 bytes)").arg(file.size()));
    const QByteArray bytes = file.readAll();
    const Format format = sniff(bytes.left(8));
    if (format == Format::Other)
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "not a PNG or JPEG image"));

    // Check the container first: OpenCV's decoders print libpng / libjpeg complaints about damaged files
    // on stderr, which would garble a command-line tool's one-line error report.
    if (format == Format::Png) {
        QString why;
        if (!PngMetadata::readTextChunks(bytes, &why))
            return refuse(why);
    } else if (bytes.lastIndexOf(QByteArray("\xff\xd9", 2)) < 2) {
        return refuse(QCoreApplication::translate("studio::story::ImageIo",
                                                  "damaged JPEG: the file is truncated (no end-of-image marker)"));
    }

    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
        // IMREAD_UNCHANGED keeps 16-bit samples and alpha so that toBgr8 can convert them properly.
        decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception &e) {
        return refuse(QCoreApplication::translate("studio::story::ImageIo", "cannot decode %1: %2")
                          .arg(formatName(format), QString::fromStdString(e.msg)));
    }
    if (decoded.empty())
        return refuse(QCoreApplication::translate("studio::story::ImageIo",
                                                  "cannot decode the %1 data (damaged or truncated file)")
                          .arg(formatName(format)));
    QString why;
    std::optional<cv::Mat> bgr = toBgr8(decoded, &why);
    if (!bgr)
        return refuse(why);
    return bgr;
}

bool ImageIo::writePng(const QString &path, const cv::Mat &bgr, const QVector<PngTextChunk> &chunks, QString *error)
{
    if (bgr.empty() || bgr.type() != CV_8UC3) {
        if (error)
            *error =
                QCoreApplication::translate("studio::story::ImageIo", "%1: internal error: expected an 8-bit BGR image")
                    .arg(path);
        return false;
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return PngMetadata::writeRgb8(path, rgb.data, rgb.cols, rgb.rows, qsizetype(rgb.step[0]), chunks, error);
}

} // namespace studio::story
