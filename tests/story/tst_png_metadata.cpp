// PNG text chunks: what we write (Pillow's choice of tEXt / uncompressed iTXt) and what we read back.
#include "story/PngMetadata.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageWriter>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <zlib.h>

using namespace studio::story;

namespace {

struct RawChunk
{
    QByteArray type;
    QByteArray data;
};

// An independent chunk walker, so the test does not trust the reader it checks.
QVector<RawChunk> rawChunks(const QByteArray &png)
{
    QVector<RawChunk> chunks;
    qsizetype pos = 8;
    while (pos + 12 <= png.size()) {
        const quint32 length = qFromBigEndian<quint32>(png.constData() + pos);
        chunks.append({png.mid(pos + 4, 4), png.mid(pos + 8, length)});
        pos += 12 + length;
    }
    return chunks;
}

QByteArray chunkBytes(const QByteArray &type, const QByteArray &data)
{
    QByteArray out(4, '\0');
    qToBigEndian<quint32>(quint32(data.size()), out.data());
    out += type + data;
    const QByteArray crcInput = type + data;
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef *>(crcInput.constData()), uInt(crcInput.size()));
    QByteArray crcBytes(4, '\0');
    qToBigEndian<quint32>(quint32(crc), crcBytes.data());
    return out + crcBytes;
}

QImage testImage()
{
    QImage image(37, 23, QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 11) % 256, (x * y) % 256));
    return image;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPngMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pillowChunkChoice()
    {
        QCOMPARE(PngTextChunk::forValue(QStringLiteral("k"), QStringLiteral("plain ascii")).kind,
                 PngTextChunk::Kind::Text);
        QCOMPARE(PngTextChunk::forValue(QStringLiteral("k"), QStringLiteral("café ÿ")).kind, PngTextChunk::Kind::Text);
        QCOMPARE(PngTextChunk::forValue(QStringLiteral("k"), QStringLiteral("灯笼")).kind,
                 PngTextChunk::Kind::InternationalText);
        QCOMPARE(PngTextChunk::forValue(QStringLiteral("k"), QStringLiteral("5 €")).kind,
                 PngTextChunk::Kind::InternationalText); // U+20AC is not Latin-1
    }

    void writesTextAndUncompressedItxtBeforeIdat()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.png"));
        const QString latin = QStringLiteral("a café at night\nSteps: 20, Sampler: Euler, Seed: 1");
        const QString chinese = QStringLiteral("国风水彩，小女孩提着兔子灯笼\nNegative prompt: 模糊");
        QString error;
        QVERIFY2(PngMetadata::writeImage(path, testImage(),
                                         {PngTextChunk::forValue(QStringLiteral("parameters"), latin),
                                          PngTextChunk::forValue(QStringLiteral("comment"), chinese)},
                                         &error),
                 qPrintable(error));

        // Raw bytes: tEXt is keyword NUL Latin-1; iTXt is keyword NUL, flag 0, method 0, "" NUL, "" NUL, UTF-8.
        const QVector<RawChunk> raw = rawChunks(readAll(path));
        int idat = -1, text = -1, itxt = -1;
        for (int i = 0; i < raw.size(); ++i) {
            if (raw[i].type == "IDAT" && idat < 0)
                idat = i;
            if (raw[i].type == "tEXt")
                text = i;
            if (raw[i].type == "iTXt")
                itxt = i;
            QVERIFY(raw[i].type != "zTXt");
        }
        QVERIFY(text >= 0 && itxt >= 0 && idat >= 0);
        QVERIFY(text < idat && itxt < idat);
        QCOMPARE(raw[text].data, QByteArray("parameters") + '\0' + latin.toLatin1());
        QCOMPARE(raw[itxt].data, QByteArray("comment") + QByteArray(5, '\0') + chinese.toUtf8());

        const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(path, &error);
        QVERIFY2(chunks, qPrintable(error));
        QCOMPARE(chunks->size(), 2);
        QCOMPARE(chunks->at(0), PngTextChunk::forValue(QStringLiteral("parameters"), latin));
        QCOMPARE(chunks->at(1), PngTextChunk::forValue(QStringLiteral("comment"), chinese));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("comment")), std::optional<QString>(chinese));
        QVERIFY(!PngMetadata::find(*chunks, QStringLiteral("missing")));

        // Pixels survive as RGB (no channel swap).
        const QImage back(path);
        QCOMPARE(back.convertToFormat(QImage::Format_RGB888), testImage());
    }

    void readsCompressedChunksAndLanguageTags()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("z.png"));
        const QString longText = QStringLiteral("zipped ").repeated(400);
        PngTextChunk ztxt{QStringLiteral("zkey"), longText, PngTextChunk::Kind::CompressedText, {}, {}};
        PngTextChunk citxt{QStringLiteral("ckey"), QStringLiteral("压缩的国际文本 ").repeated(100),
                           PngTextChunk::Kind::CompressedInternationalText, QStringLiteral("zh-CN"),
                           QStringLiteral("压缩键")};
        PngTextChunk itxt{QStringLiteral("ikey"), QStringLiteral("plain iTXt"), PngTextChunk::Kind::InternationalText,
                          QStringLiteral("en"), QStringLiteral("key")};
        QString error;
        QVERIFY2(PngMetadata::writeImage(path, testImage(), {ztxt, citxt, itxt}, &error), qPrintable(error));
        int compressedTypes = 0;
        for (const RawChunk &c : rawChunks(readAll(path))) {
            if (c.type == "zTXt")
                ++compressedTypes;
            if (c.type == "iTXt" && c.data.startsWith("ckey"))
                QCOMPARE(int(c.data.at(5)), 1); // compression flag set
        }
        QCOMPARE(compressedTypes, 1);
        const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(path, &error);
        QVERIFY2(chunks, qPrintable(error));
        QCOMPARE(chunks->size(), 3);
        QCOMPARE(chunks->at(0), ztxt);
        QCOMPARE(chunks->at(1), citxt);
        QCOMPARE(chunks->at(2), itxt);
    }

    void readsChunksWrittenByQt()
    {
        // Qt's writer compresses long values (zTXt / compressed iTXt with language "UTF-8").
        QImage image = testImage();
        const QString latin = QStringLiteral("a Latin-1 value long enough for Qt to compress it, 0123456789");
        const QString chinese =
            QStringLiteral("一个足够长的中文值，让 Qt 把它压缩成带压缩标志的 iTXt 文本块，一二三四五六七八九十");
        image.setText(QStringLiteral("latin"), latin);
        image.setText(QStringLiteral("chinese"), chinese);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("qt.png"));
        QVERIFY(image.save(path, "PNG"));
        QString error;
        const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(path, &error);
        QVERIFY2(chunks, qPrintable(error));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("latin")), std::optional<QString>(latin));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("chinese")), std::optional<QString>(chinese));
    }

    void readsTextAfterIdat()
    {
        QByteArray png;
        {
            QString error;
            const QImage image = testImage();
            const std::optional<QByteArray> encoded = PngMetadata::encodeRgb8(
                image.constBits(), image.width(), image.height(), image.bytesPerLine(),
                {PngTextChunk::forValue(QStringLiteral("before"), QStringLiteral("1"))}, &error);
            QVERIFY2(encoded, qPrintable(error));
            png = *encoded;
        }
        // Insert a tEXt chunk between the last IDAT and IEND (12 bytes from the end).
        png.insert(png.size() - 12, chunkBytes("tEXt", QByteArray("after") + '\0' + QByteArray("late text")));
        QString error;
        const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(png, &error);
        QVERIFY2(chunks, qPrintable(error));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("before")), std::optional<QString>(QStringLiteral("1")));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("after")),
                 std::optional<QString>(QStringLiteral("late text")));
    }

    void readsPalettePngs()
    {
        QImage image = testImage().convertToFormat(QImage::Format_Indexed8);
        image.setText(QStringLiteral("k"), QStringLiteral("v"));
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(image.save(&buffer, "PNG"));
        QString error;
        const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(bytes, &error);
        QVERIFY2(chunks, qPrintable(error));
        QCOMPARE(PngMetadata::find(*chunks, QStringLiteral("k")), std::optional<QString>(QStringLiteral("v")));
    }

    void refusesBadInput()
    {
        QString error;
        QVERIFY(!PngMetadata::readTextChunks(QByteArray("GIF89a......"), &error));
        QVERIFY(error.contains(QStringLiteral("not a PNG")));
        QVERIFY(!PngMetadata::readTextChunks(QByteArray(), &error));

        const QImage image = testImage();
        const std::optional<QByteArray> good =
            PngMetadata::encodeRgb8(image.constBits(), image.width(), image.height(), image.bytesPerLine(), {}, &error);
        QVERIFY(good);
        for (qsizetype cut : {qsizetype(9), qsizetype(40), good->size() / 2, good->size() - 5}) {
            QVERIFY(!PngMetadata::readTextChunks(good->left(cut), &error));
            QVERIFY2(error.contains(QStringLiteral("damaged")), qPrintable(error));
        }
        QByteArray flipped = *good;
        flipped[40] = char(flipped[40] ^ 0x5a); // inside IHDR or IDAT: CRC error in a critical chunk
        QVERIFY(!PngMetadata::readTextChunks(flipped, &error));
        QVERIFY(!PngMetadata::readTextChunks(QStringLiteral("/no/such/file.png"), &error));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.png"));
        QVERIFY(!PngMetadata::writeImage(
            path, image, {PngTextChunk{QString(), QStringLiteral("v"), PngTextChunk::Kind::Text, {}, {}}}, &error));
        QVERIFY(!PngMetadata::writeImage(
            path, image,
            {PngTextChunk{QString(80, QLatin1Char('k')), QStringLiteral("v"), PngTextChunk::Kind::Text, {}, {}}},
            &error));
        QVERIFY(!PngMetadata::writeImage(
            path, image, {PngTextChunk{QStringLiteral("k"), QStringLiteral("中"), PngTextChunk::Kind::Text, {}, {}}},
            &error));
        QVERIFY(error.contains(QStringLiteral("iTXt")));
        QVERIFY(!PngMetadata::writeImage(
            path, image,
            {PngTextChunk::forValue(QStringLiteral("k"), QStringLiteral("a") + QChar(0) + QStringLiteral("b"))},
            &error));
        QVERIFY(!PngMetadata::writeImage(path, QImage(), {}, &error));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!PngMetadata::encodeRgb8(image.constBits(), 0, 5, 100, {}, &error));
    }
};

QTEST_GUILESS_MAIN(TestPngMetadata)
#include "tst_png_metadata.moc"
