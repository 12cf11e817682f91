// ZipWriter: CRC-32 against zlib, archives against Info-ZIP's unzip (an independent reader), alignment and
// the names it refuses.
#include "zip/ZipWriter.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

using studio::zip::ZipWriter;

namespace {

QByteArray runUnzip(const QStringList &args, int *exitCode)
{
    const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
    if (unzip.isEmpty()) {
        *exitCode = -1;
        return "unzip is not installed (scripts/setup-debian.sh installs it)";
    }
    QProcess p;
    p.start(unzip, args);
    p.waitForFinished(60000);
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput() + p.readAllStandardError();
}

QString writeArchive(const QTemporaryDir &dir, const std::vector<uint8_t> &bytes)
{
    const QString path = dir.filePath(QStringLiteral("test.zip"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(reinterpret_cast<const char *>(bytes.data()), qint64(bytes.size()));
    return path;
}

uint16_t le16(const std::vector<uint8_t> &b, size_t at)
{
    return uint16_t(b[at] | (b[at + 1] << 8));
}

} // namespace

class TestZipWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crcMatchesZlib()
    {
        QRandomGenerator rng(7);
        for (int size : {0, 1, 3, 255, 4096, 100003}) {
            std::vector<uint8_t> data(static_cast<size_t>(size));
            for (auto &b : data)
                b = uint8_t(rng.bounded(256));
            const uLong expected = ::crc32(0L, data.data(), uInt(data.size()));
            QCOMPARE(studio::zip::crc32(data.data(), data.size()), uint32_t(expected));
            // A running CRC over two halves gives the same value.
            const size_t half = data.size() / 2;
            const uint32_t first = studio::zip::crc32(data.data(), half);
            QCOMPARE(studio::zip::crc32(data.data() + half, data.size() - half, first), uint32_t(expected));
        }
    }

    void unzipReadsEveryEntryInOrder()
    {
        QTemporaryDir dir;
        ZipWriter zip;
        const std::string xml = "<?xml version=\"1.0\"?><ComicInfo/>";
        std::vector<uint8_t> binary(70000);
        for (size_t i = 0; i < binary.size(); ++i)
            binary[i] = uint8_t(i * 31 + 7);
        QVERIFY(zip.add("ComicInfo.xml", xml));
        QVERIFY(zip.add("pages/001.png", binary));
        QVERIFY(zip.add("页/说明.txt", std::string("故事")));
        QVERIFY(zip.add("empty", std::string()));
        const std::vector<uint8_t> bytes = zip.finish();
        QVERIFY2(zip.error().empty(), zip.error().c_str());
        const QString path = writeArchive(dir, bytes);

        int code = 0;
        QByteArray output = runUnzip({QStringLiteral("-tq"), path}, &code);
        QVERIFY2(code == 0, output.constData());
        output = runUnzip({QStringLiteral("-Z1"), path}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(QString::fromUtf8(output).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 QStringList({QStringLiteral("ComicInfo.xml"), QStringLiteral("pages/001.png"),
                              QStringLiteral("页/说明.txt"), QStringLiteral("empty")}));
        output = runUnzip({QStringLiteral("-p"), path, QStringLiteral("pages/001.png")}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(output, QByteArray(reinterpret_cast<const char *>(binary.data()), int(binary.size())));
    }

    void alignedDataStartsAtMultiple()
    {
        QTemporaryDir dir;
        ZipWriter zip;
        QVERIFY(zip.add("archive/data.pkl", std::string("abc")));
        QVERIFY(zip.add("archive/data/0", std::string(100, 'x'), 64));
        QVERIFY(zip.add("archive/data/1", std::string(5, 'y'), 64));
        const std::vector<uint8_t> bytes = zip.finish();
        // Walk the local headers: each aligned entry's data offset is a multiple of 64.
        size_t at = 0;
        int aligned = 0;
        while (at + 30 <= bytes.size() && le16(bytes, at) == 0x4b50 && le16(bytes, at + 2) == 0x0403) {
            const size_t nameLength = le16(bytes, at + 26);
            const size_t extraLength = le16(bytes, at + 28);
            const size_t size = le16(bytes, at + 18) | (size_t(le16(bytes, at + 20)) << 16);
            const size_t data = at + 30 + nameLength + extraLength;
            const std::string name(reinterpret_cast<const char *>(&bytes[at + 30]), nameLength);
            if (name.rfind("archive/data/", 0) == 0) {
                QCOMPARE(data % 64, size_t(0));
                ++aligned;
            }
            at = data + size;
        }
        QCOMPARE(aligned, 2);
        int code = 0;
        const QByteArray output = runUnzip({QStringLiteral("-tq"), writeArchive(dir, bytes)}, &code);
        QVERIFY2(code == 0, output.constData());
    }

    void refusesUnsafeAndDuplicateNames()
    {
        for (const char *name : {"", "/etc/passwd", "../x", "a/../../x", "a\\b", "C:/x", "a//b"}) {
            ZipWriter zip;
            QVERIFY2(!zip.add(name, std::string("x")), name);
            QVERIFY(!zip.error().empty());
            QVERIFY(zip.finish().empty());
        }
        ZipWriter zip;
        QVERIFY(zip.add("a.txt", std::string("1")));
        QVERIFY(!zip.add("a.txt", std::string("2")));
        QVERIFY(zip.error().find("duplicate") != std::string::npos);
    }

    void sameInputGivesSameBytes()
    {
        auto build = [] {
            ZipWriter zip;
            zip.setTimestamp(2025, 9, 1, 12, 30, 10);
            zip.add("a", std::string("hello"));
            return zip.finish();
        };
        const auto first = build();
        QVERIFY(!first.empty());
        QCOMPARE(build(), first);
    }
};

QTEST_GUILESS_MAIN(TestZipWriter)
#include "tst_zip_writer.moc"
