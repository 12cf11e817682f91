#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QVector>

#include <optional>

namespace studio::story {

// One PNG text chunk.
struct PngTextChunk
{
    enum class Kind
    {
        Text,                        // tEXt: Latin-1, uncompressed
        CompressedText,              // zTXt: Latin-1, zlib
        InternationalText,           // iTXt: UTF-8, uncompressed
        CompressedInternationalText, // iTXt: UTF-8, zlib
    };

    QString keyword; // 1–79 Latin-1 characters
    QString text;
    Kind kind = Kind::Text;
    QString language;          // iTXt only (e.g. "zh-CN"); empty is allowed
    QString translatedKeyword; // iTXt only

    // The chunk Pillow's PngInfo.add_text writes for a value, which the whole ecosystem reads:
    // tEXt when the text is Latin-1, otherwise uncompressed iTXt with empty language and translated keyword.
    static PngTextChunk forValue(const QString &keyword, const QString &text);
    static bool isLatin1(const QString &text);

    bool operator==(const PngTextChunk &o) const
    {
        return keyword == o.keyword && text == o.text && kind == o.kind && language == o.language &&
               translatedKeyword == o.translatedKeyword;
    }
};

// Writes 8-bit RGB PNGs with exactly the text chunks we ask for (libpng; Qt and OpenCV cannot, see
// REFERENCE B §2.4) and reads every text chunk back (tEXt, zTXt and iTXt, compressed or not, before
// or after the image data).
class PngMetadata
{
public:
    static constexpr qint64 kMaxFileSize = 512LL * 1024 * 1024; // refuse to read anything larger
    static constexpr int kMaxDimension = 65535;

    // Encodes rows of packed RGB (3 bytes per pixel, `bytesPerLine` apart). The text chunks go before IDAT.
    static std::optional<QByteArray> encodeRgb8(const uchar *pixels, int width, int height, qsizetype bytesPerLine,
                                                const QVector<PngTextChunk> &chunks, QString *error);
    // Encodes and writes atomically (QSaveFile).
    static bool writeRgb8(const QString &path, const uchar *pixels, int width, int height, qsizetype bytesPerLine,
                          const QVector<PngTextChunk> &chunks, QString *error);
    // Same, for any QImage (converted to RGB888; alpha is dropped, so flatten it first if it matters).
    static bool writeImage(const QString &path, const QImage &image, const QVector<PngTextChunk> &chunks,
                           QString *error);

    static std::optional<QVector<PngTextChunk>> readTextChunks(const QByteArray &png, QString *error);
    static std::optional<QVector<PngTextChunk>> readTextChunks(const QString &path, QString *error);

    // The text of the first chunk with this keyword, if any.
    static std::optional<QString> find(const QVector<PngTextChunk> &chunks, const QString &keyword);
};

} // namespace studio::story
