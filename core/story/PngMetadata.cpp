#include "PngMetadata.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

namespace studio::story {

namespace {

// libpng reports errors through a callback that must not return; we record the message and jump back
// to the setjmp point. Everything with a destructor lives outside the setjmp/longjmp region.
struct PngErrorState
{
    char message[256] = {0};
};

void onPngError(png_structp png, png_const_charp message)
{
    auto *state = static_cast<PngErrorState *>(png_get_error_ptr(png));
    if (state)
        std::snprintf(state->message, sizeof state->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp)
{
    // Warnings (e.g. a damaged ancillary chunk that libpng skips) are not fatal for us.
}

void appendToBuffer(png_structp png, png_bytep data, size_t length)
{
    auto *buffer = static_cast<QByteArray *>(png_get_io_ptr(png));
    buffer->append(reinterpret_cast<const char *>(data), qsizetype(length));
}

void flushNothing(png_structp) {}

struct ReadCursor
{
    const uchar *data = nullptr;
    size_t size = 0;
    size_t offset = 0;
};

void readFromCursor(png_structp png, png_bytep out, size_t length)
{
    auto *cursor = static_cast<ReadCursor *>(png_get_io_ptr(png));
    if (length > cursor->size - cursor->offset)
        png_error(png, "unexpected end of file");
    std::memcpy(out, cursor->data + cursor->offset, length);
    cursor->offset += length;
}

bool validKeyword(const QString &keyword)
{
    if (keyword.isEmpty() || keyword.size() > 79 || !PngTextChunk::isLatin1(keyword))
        return false;
    if (keyword.startsWith(QLatin1Char(' ')) || keyword.endsWith(QLatin1Char(' ')) ||
        keyword.contains(QLatin1String("  ")))
        return false;
    for (const QChar c : keyword) {
        const ushort u = c.unicode();
        if (u < 0x20 || (u > 0x7e && u < 0xa1))
            return false;
    }
    return true;
}

// The parts of one chunk as the bytes libpng wants (kept alive while libpng writes).
struct EncodedChunk
{
    QByteArray keyword;
    QByteArray text;
    QByteArray language;
    QByteArray translatedKeyword;
    int compression = PNG_TEXT_COMPRESSION_NONE;
};

// The setjmp region: only plain data and pointers from here on. Returns false with state.message set.
bool encodeWithLibpng(QByteArray *out, const uchar *pixels, int width, int height, qsizetype bytesPerLine,
                      png_text *texts, int textCount, PngErrorState *state)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, state, onPngError, onPngWarning);
    if (!png) {
        std::snprintf(state->message, sizeof state->message, "cannot initialise libpng");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        std::snprintf(state->message, sizeof state->message, "cannot initialise libpng");
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_set_write_fn(png, out, appendToBuffer, flushNothing);
    png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (textCount > 0)
        png_set_text(png, info, texts, textCount);
    png_write_info(png, info);
    for (int y = 0; y < height; ++y)
        png_write_row(png, const_cast<png_bytep>(pixels + qsizetype(y) * bytesPerLine));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return true;
}

bool decodeTextsWithLibpng(ReadCursor *cursor, png_bytep row, size_t rowCapacity, PngErrorState *state,
                           void (*collect)(png_textp, int, void *), void *collectContext, size_t *neededRowBytes)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, state, onPngError, onPngWarning);
    if (!png) {
        std::snprintf(state->message, sizeof state->message, "cannot initialise libpng");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        std::snprintf(state->message, sizeof state->message, "cannot initialise libpng");
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        return false;
    }
    png_set_read_fn(png, cursor, readFromCursor);
    png_set_user_limits(png, PngMetadata::kMaxDimension, PngMetadata::kMaxDimension);
    png_set_chunk_malloc_max(png, 64 * 1024 * 1024); // bounds inflated zTXt / iTXt text
    png_read_info(png, info);
    const size_t rowBytes = png_get_rowbytes(png, info);
    if (rowBytes > rowCapacity) {
        // The caller allocates the row buffer (outside this region) and calls again.
        *neededRowBytes = rowBytes;
        png_destroy_read_struct(&png, &info, nullptr);
        return true;
    }
    *neededRowBytes = 0;
    // Text chunks may follow the image data, so the rows must be read (one at a time, into one buffer).
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const png_uint_32 height = png_get_image_height(png, info);
    for (int pass = 0; pass < passes; ++pass) {
        for (png_uint_32 y = 0; y < height; ++y)
            png_read_row(png, row, nullptr);
    }
    png_read_end(png, info);
    png_textp texts = nullptr;
    int count = 0;
    png_get_text(png, info, &texts, &count);
    collect(texts, count, collectContext);
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
}

void collectChunks(png_textp texts, int count, void *context)
{
    auto *chunks = static_cast<QVector<PngTextChunk> *>(context);
    for (int i = 0; i < count; ++i) {
        const png_text &t = texts[i];
        PngTextChunk chunk;
        chunk.keyword = QString::fromLatin1(t.key ? t.key : "");
        switch (t.compression) {
        case PNG_TEXT_COMPRESSION_zTXt:
            chunk.kind = PngTextChunk::Kind::CompressedText;
            break;
        case PNG_ITXT_COMPRESSION_NONE:
            chunk.kind = PngTextChunk::Kind::InternationalText;
            break;
        case PNG_ITXT_COMPRESSION_zTXt:
            chunk.kind = PngTextChunk::Kind::CompressedInternationalText;
            break;
        default:
            chunk.kind = PngTextChunk::Kind::Text;
            break;
        }
        const bool international = chunk.kind == PngTextChunk::Kind::InternationalText ||
                                   chunk.kind == PngTextChunk::Kind::CompressedInternationalText;
        if (international) {
            chunk.text = QString::fromUtf8(t.text ? t.text : "", t.text ? qsizetype(t.itxt_length) : 0);
            chunk.language = QString::fromLatin1(t.lang ? t.lang : "");
            chunk.translatedKeyword = QString::fromUtf8(t.lang_key ? t.lang_key : "");
        } else {
            chunk.text = QString::fromLatin1(t.text ? t.text : "", t.text ? qsizetype(t.text_length) : 0);
        }
        chunks->append(chunk);
    }
}

} // namespace

bool PngTextChunk::isLatin1(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() > 0xff)
            return false;
    }
    return true;
}

PngTextChunk PngTextChunk::forValue(const QString &keyword, const QString &text)
{
    PngTextChunk chunk;
    chunk.keyword = keyword;
    chunk.text = text;
    chunk.kind = isLatin1(text) ? Kind::Text : Kind::InternationalText;
    return chunk;
}

std::optional<QByteArray> PngMetadata::encodeRgb8(const uchar *pixels, int width, int height, qsizetype bytesPerLine,
                                                  const QVector<PngTextChunk> &chunks, QString *error)
{
    auto refuse = [error](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!pixels || width <= 0 || height <= 0 || width > kMaxDimension || height > kMaxDimension ||
        bytesPerLine < qsizetype(width) * 3)
        return refuse(QCoreApplication::translate("studio::story::PngMetadata", "cannot write a PNG of %1x%2 pixels")
                          .arg(width)
                          .arg(height));

    std::vector<EncodedChunk> encoded;
    encoded.reserve(size_t(chunks.size()));
    for (const PngTextChunk &c : chunks) {
        if (!validKeyword(c.keyword))
            return refuse(QCoreApplication::translate("studio::story::PngMetadata", "invalid PNG text keyword \"%1\"")
                              .arg(c.keyword));
        if (c.text.contains(QChar(0)))
            return refuse(
                QCoreApplication::translate("studio::story::PngMetadata", "PNG text \"%1\" contains a NUL character")
                    .arg(c.keyword));
        EncodedChunk e;
        e.keyword = c.keyword.toLatin1();
        switch (c.kind) {
        case PngTextChunk::Kind::Text:
        case PngTextChunk::Kind::CompressedText:
            if (!PngTextChunk::isLatin1(c.text))
                return refuse(QCoreApplication::translate("studio::story::PngMetadata",
                                                          "PNG text \"%1\" is not Latin-1; it needs an iTXt chunk")
                                  .arg(c.keyword));
            e.text = c.text.toLatin1();
            e.compression = c.kind == PngTextChunk::Kind::Text ? PNG_TEXT_COMPRESSION_NONE : PNG_TEXT_COMPRESSION_zTXt;
            break;
        case PngTextChunk::Kind::InternationalText:
        case PngTextChunk::Kind::CompressedInternationalText:
            e.text = c.text.toUtf8();
            e.language = c.language.toLatin1();
            e.translatedKeyword = c.translatedKeyword.toUtf8();
            e.compression =
                c.kind == PngTextChunk::Kind::InternationalText ? PNG_ITXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_zTXt;
            break;
        }
        encoded.push_back(e);
    }
    std::vector<png_text> texts(encoded.size());
    for (size_t i = 0; i < encoded.size(); ++i) {
        EncodedChunk &e = encoded[i];
        png_text &t = texts[i];
        std::memset(&t, 0, sizeof t);
        t.compression = e.compression;
        t.key = e.keyword.data();
        t.text = e.text.data();
        t.text_length = size_t(e.text.size());
        if (e.compression == PNG_ITXT_COMPRESSION_NONE || e.compression == PNG_ITXT_COMPRESSION_zTXt) {
            t.itxt_length = size_t(e.text.size());
            t.lang = e.language.data();
            t.lang_key = e.translatedKeyword.data();
        }
    }

    QByteArray out;
    out.reserve(qsizetype(width) * height + 4096);
    PngErrorState state;
    if (!encodeWithLibpng(&out, pixels, width, height, bytesPerLine, texts.data(), int(texts.size()), &state))
        return refuse(QCoreApplication::translate("studio::story::PngMetadata", "cannot encode PNG: %1")
                          .arg(QString::fromLocal8Bit(state.message)));
    return out;
}

bool PngMetadata::writeRgb8(const QString &path, const uchar *pixels, int width, int height, qsizetype bytesPerLine,
                            const QVector<PngTextChunk> &chunks, QString *error)
{
    const std::optional<QByteArray> png = encodeRgb8(pixels, width, height, bytesPerLine, chunks, error);
    if (!png)
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*png) != png->size() || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("studio::story::PngMetadata", "%1: cannot write: %2")
                         .arg(path, file.errorString());
        return false;
    }
    return true;
}

bool PngMetadata::writeImage(const QString &path, const QImage &image, const QVector<PngTextChunk> &chunks,
                             QString *error)
{
    if (image.isNull()) {
        if (error)
            *error = QCoreApplication::translate("studio::story::PngMetadata", "%1: no image to write").arg(path);
        return false;
    }
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    return writeRgb8(path, rgb.constBits(), rgb.width(), rgb.height(), rgb.bytesPerLine(), chunks, error);
}

std::optional<QVector<PngTextChunk>> PngMetadata::readTextChunks(const QByteArray &png, QString *error)
{
    auto refuse = [error](const QString &message) -> std::optional<QVector<PngTextChunk>> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (png.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(png.constData()), 0, 8) != 0)
        return refuse(QCoreApplication::translate("studio::story::PngMetadata", "not a PNG file"));

    QVector<PngTextChunk> chunks;
    std::vector<png_byte> row;
    for (int attempt = 0; attempt < 2; ++attempt) {
        ReadCursor cursor{reinterpret_cast<const uchar *>(png.constData()), size_t(png.size()), 0};
        PngErrorState state;
        size_t needed = 0;
        chunks.clear();
        if (!decodeTextsWithLibpng(&cursor, row.data(), row.size(), &state, collectChunks, &chunks, &needed))
            return refuse(QCoreApplication::translate("studio::story::PngMetadata", "damaged PNG: %1")
                              .arg(QString::fromLocal8Bit(state.message)));
        if (needed == 0)
            return chunks;
        row.resize(needed);
    }
    return refuse(QCoreApplication::translate("studio::story::PngMetadata", "damaged PNG: inconsistent row size"));
}

std::optional<QVector<PngTextChunk>> PngMetadata::readTextChunks(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("studio::story::PngMetadata", "%1: cannot read: %2")
                         .arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxFileSize) {
        if (error)
            *error = QCoreApplication::translate("studio::story::PngMetadata", "%1: file is too large (%2 bytes)")
                         .arg(path, QString::number(file.size()));
        return std::nullopt;
    }
    QString message;
    std::optional<QVector<PngTextChunk>> chunks = readTextChunks(file.readAll(), &message);
    if (!chunks && error)
        *error = QStringLiteral("%1: %2").arg(path, message);
    return chunks;
}

std::optional<QString> PngMetadata::find(const QVector<PngTextChunk> &chunks, const QString &keyword)
{
    for (const PngTextChunk &c : chunks) {
        if (c.keyword == keyword)
            return c.text;
    }
    return std::nullopt;
}

} // namespace studio::story
