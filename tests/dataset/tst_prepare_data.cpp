// `storyboard prepare-data` over every case of the golden set (tests/data/golden/data-prep), run as the checker
// runs it: inputs copied to an empty folder, the tool started there, outputs compared byte for byte. Plus hostile
// data sets: every problem gets a message naming the file, nothing crashes, nothing is written on a refusal.
#include "StoryboardProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using studio_test::storyboard;
using Run = studio_test::CliRun;

namespace {

const QString kGolden = QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/data-prep");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing " + path.toUtf8() + ">");
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// The inputs of the golden set (configs, data) copied into `to`, as the checker does.
bool copyInputs(const QString &to)
{
    return studio_test::copyTree(kGolden + QStringLiteral("/configs"), to + QStringLiteral("/configs")) &&
           studio_test::copyTree(kGolden + QStringLiteral("/data"), to + QStringLiteral("/data"));
}

// pandas' escaping of the dataset folder, as it appears in result.jsonl.
QByteArray escapedFolder(const QString &folder)
{
    return folder.toUtf8().replace("\\", "\\\\").replace("/", "\\/");
}

QStringList filesIn(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::Files);
    names.sort();
    return names;
}

} // namespace

class TestPrepareData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenCase_data()
    {
        QTest::addColumn<QJsonObject>("spec");
        const QJsonObject cases = QJsonDocument::fromJson(readAll(kGolden + QStringLiteral("/cases.json"))).object();
        const QJsonArray list = cases.value(QStringLiteral("cases")).toArray();
        QVERIFY(!list.isEmpty());
        for (const auto &c : list)
            QTest::newRow(qPrintable(c.toObject().value(QStringLiteral("id")).toString())) << c.toObject();
    }

    void goldenCase()
    {
        QFETCH(QJsonObject, spec);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString t = QDir(tmp.path()).canonicalPath();
        QVERIFY(copyInputs(t));
        QStringList args{QStringLiteral("prepare-data"), QStringLiteral("--config"), spec[QStringLiteral("config")].toString()};
        const QString diffsynth = spec[QStringLiteral("diffsynth_out")].toString();
        if (!diffsynth.isEmpty())
            args << QStringLiteral("--diffsynth-out") << diffsynth;
        const Run run = storyboard(args, t);
        const QString said = run.out + run.err;
        const QString exportPath = t + QLatin1Char('/') + spec[QStringLiteral("export_path")].toString();

        if (spec[QStringLiteral("refused")].toBool()) {
            QVERIFY2(run.exitCode >= 1 && run.exitCode <= 127, qPrintable(said));
            for (const auto &group : spec[QStringLiteral("must_mention")].toArray()) {
                bool found = false;
                for (const auto &word : group.toArray())
                    found = found || said.contains(word.toString());
                QVERIFY2(found, qPrintable(said));
            }
            QVERIFY(!QFile::exists(exportPath));
            if (!diffsynth.isEmpty())
                QVERIFY(!QFile::exists(t + QLatin1Char('/') + diffsynth + QStringLiteral("/train/metadata.csv")));
            return;
        }

        QVERIFY2(run.exitCode == 0, qPrintable(said));
        QByteArray expected = readAll(kGolden + QLatin1Char('/') + spec[QStringLiteral("expected_result")].toString());
        expected.replace("@DATASET_DIR@", escapedFolder(t + QLatin1Char('/') + spec[QStringLiteral("dataset_dir")].toString()));
        QCOMPARE(readAll(exportPath), expected);
        for (const auto &name : spec[QStringLiteral("reported")].toArray())
            QVERIFY2(said.contains(name.toString()), qPrintable(name.toString() + QStringLiteral(" not named in: ") + said));
        // Every dropped line is printed with its reason; the kept ones are not.
        const QJsonArray kept = spec[QStringLiteral("kept_lines")].toArray();
        const int lines = spec[QStringLiteral("input_lines")].toInt();
        QCOMPARE(run.out.count(QStringLiteral(" dropped by ")), lines - kept.size());

        if (diffsynth.isEmpty())
            return;
        const QString train = t + QLatin1Char('/') + diffsynth + QStringLiteral("/train");
        QCOMPARE(readAll(train + QStringLiteral("/metadata.csv")),
                 readAll(kGolden + QLatin1Char('/') + spec[QStringLiteral("expected_metadata_csv")].toString()));
        QStringList expectedFiles{QStringLiteral("metadata.csv")};
        for (const auto &f : spec[QStringLiteral("diffsynth_files")].toArray()) {
            const QJsonObject file = f.toObject();
            const QString name = file[QStringLiteral("file_name")].toString();
            expectedFiles << name;
            QCOMPARE(readAll(train + QLatin1Char('/') + name),
                     readAll(t + QLatin1Char('/') + file[QStringLiteral("source")].toString()));
        }
        expectedFiles.sort();
        QCOMPARE(filesIn(train), expectedFiles);
    }

    // A second run over existing outputs replaces export_path (no stale lines) and reproduces the same bytes.
    void rerunReplacesExport()
    {
        QTemporaryDir tmp;
        const QString t = QDir(tmp.path()).canonicalPath();
        QVERIFY(copyInputs(t));
        writeFile(t + QStringLiteral("/out/alt/nested/result.jsonl"), QByteArray(100000, 'x'));
        const QStringList args{QStringLiteral("prepare-data"), QStringLiteral("--config"), QStringLiteral("configs/alt.yaml")};
        QCOMPARE(storyboard(args, t).exitCode, 0);
        const QByteArray first = readAll(t + QStringLiteral("/out/alt/nested/result.jsonl"));
        QVERIFY(!first.contains("xxxxxxxx"));
        QCOMPARE(storyboard(args, t).exitCode, 0);
        QCOMPARE(readAll(t + QStringLiteral("/out/alt/nested/result.jsonl")), first);
    }

    // Hostile inputs: each is refused with a message naming the problem, or its image is named and dropped.
    void hostileDataSets_data()
    {
        QTest::addColumn<QByteArray>("jsonl");
        QTest::addColumn<QByteArray>("process");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentioned");
        const QByteArray shape = "  - image_shape_filter: {min_width: 1}\n";
        QTest::newRow("missing image") << QByteArray(R"({"text":"a","images":["gone.png"]})" "\n") << shape << 0
                                       << QStringLiteral("gone.png");
        QTest::newRow("zero-byte image") << QByteArray(R"({"text":"a","images":["zero.png"]})" "\n") << shape << 0
                                         << QStringLiteral("zero.png");
        QTest::newRow("huge dimensions") << QByteArray(R"({"text":"a","images":["huge.png"]})" "\n") << shape << 0
                                         << QStringLiteral("huge.png");
        QTest::newRow("header only, 150 Mpx") << QByteArray(R"({"text":"a","images":["big.png"]})" "\n") << shape << 0
                                              << QStringLiteral("big.png");
        QTest::newRow("broken json") << QByteArray("{\"text\": \"a\", \"images\": [\n") << shape << 1
                                     << QStringLiteral("line 1");
        QTest::newRow("not an object") << QByteArray("[1,2]\n") << shape << 1 << QStringLiteral("line 1");
        QTest::newRow("images not a list") << QByteArray(R"({"text":"a","images":"x.png"})" "\n") << shape << 1
                                           << QStringLiteral("images");
        QTest::newRow("no text key") << QByteArray(R"({"caption":"a","images":[]})" "\n") << shape << 1
                                     << QStringLiteral("text");
        QTest::newRow("bad any_or_all") << QByteArray(R"({"text":"a"})" "\n")
                                        << QByteArray("  - image_aspect_ratio_filter: {any_or_all: some}\n") << 1
                                        << QStringLiteral("any_or_all");
        QTest::newRow("bare size number") << QByteArray(R"({"text":"a"})" "\n")
                                          << QByteArray("  - image_size_filter: {max_size: 1024}\n") << 1
                                          << QStringLiteral("max_size");
        QTest::newRow("unknown unit") << QByteArray(R"({"text":"a"})" "\n")
                                      << QByteArray("  - image_size_filter: {max_size: '3B'}\n") << 1
                                      << QStringLiteral("max_size");
        QTest::newRow("float width") << QByteArray(R"({"text":"a"})" "\n")
                                     << QByteArray("  - image_shape_filter: {max_width: 10.0}\n") << 1
                                     << QStringLiteral("max_width");
        QTest::newRow("boolean width") << QByteArray(R"({"text":"a"})" "\n")
                                       << QByteArray("  - image_shape_filter: {max_width: yes}\n") << 1
                                       << QStringLiteral("max_width");
        QTest::newRow("text operator") << QByteArray(R"({"text":"a"})" "\n")
                                       << QByteArray("  - text_length_filter: {min_len: 3}\n") << 1
                                       << QStringLiteral("text_length_filter");
        QTest::newRow("aesthetics operator") << QByteArray(R"({"text":"a"})" "\n")
                                             << QByteArray("  - image_aesthetics_filter:\n") << 1
                                             << QStringLiteral("image_aesthetics_filter");
    }

    void hostileDataSets()
    {
        QFETCH(QByteArray, jsonl);
        QFETCH(QByteArray, process);
        QFETCH(int, exitCode);
        QFETCH(QString, mentioned);
        QTemporaryDir tmp;
        const QString t = tmp.path();
        writeFile(t + QStringLiteral("/in/data.jsonl"), jsonl);
        writeFile(t + QStringLiteral("/in/zero.png"), QByteArray());
        // PNG headers claiming 60000 x 60000 (a decompression bomb) and 15000 x 10000 (allowed, but no pixel data
        // follows): neither may be decoded into memory, both are unreadable.
        writeFile(t + QStringLiteral("/in/huge.png"), pngHeaderOnly(60000, 60000));
        writeFile(t + QStringLiteral("/in/big.png"), pngHeaderOnly(15000, 10000));
        writeFile(t + QStringLiteral("/dj.yaml"),
                  "dataset_path: in/data.jsonl\nexport_path: out/result.jsonl\nprocess:\n" + process);
        const Run run = storyboard({QStringLiteral("prepare-data"), QStringLiteral("--config"), QStringLiteral("dj.yaml"),
                                    QStringLiteral("--diffsynth-out"), QStringLiteral("ds")},
                                   t);
        QVERIFY2(run.exitCode == exitCode, qPrintable(run.out + run.err));
        QVERIFY2((run.out + run.err).contains(mentioned), qPrintable(run.out + run.err));
        if (exitCode != 0) {
            QVERIFY(!QFile::exists(t + QStringLiteral("/out/result.jsonl")));
            QVERIFY(!QFile::exists(t + QStringLiteral("/ds/train/metadata.csv")));
            QCOMPARE(run.errLines().size(), 1);
        } else {
            // the unreadable image's sample is dropped: an empty result, a header-only metadata.csv
            QCOMPARE(readAll(t + QStringLiteral("/out/result.jsonl")), QByteArray());
            QCOMPARE(readAll(t + QStringLiteral("/ds/train/metadata.csv")), QByteArray("\xEF\xBB\xBF" "file_name,text\n"));
        }
    }

    void refusedArguments()
    {
        QTemporaryDir tmp;
        const Run none = storyboard({QStringLiteral("prepare-data")}, tmp.path());
        QVERIFY(none.exitCode > 0);
        QVERIFY(none.err.contains(QStringLiteral("--config")));
        const Run missing = storyboard({QStringLiteral("prepare-data"), QStringLiteral("--config"), QStringLiteral("nope.yaml")},
                                       tmp.path());
        QVERIFY(missing.exitCode > 0);
        QVERIFY(missing.err.contains(QStringLiteral("nope.yaml")));
        writeFile(tmp.path() + QStringLiteral("/dir.yaml"), "dataset_path: .\n");
        const Run folder = storyboard({QStringLiteral("prepare-data"), QStringLiteral("--config"), QStringLiteral("dir.yaml")},
                                      tmp.path());
        QVERIFY(folder.exitCode > 0);
        QVERIFY(folder.err.contains(QStringLiteral("dataset_path")));
    }

private:
    // A PNG signature, an IHDR with the given size (8-bit RGB), a 2-byte IDAT and IEND.
    static QByteArray pngHeaderOnly(quint32 width, quint32 height);
};

QByteArray TestPrepareData::pngHeaderOnly(quint32 width, quint32 height)
{
    auto be = [](quint32 v) {
        QByteArray b(4, 0);
        for (int i = 0; i < 4; ++i)
            b[i] = char((v >> (24 - 8 * i)) & 0xff);
        return b;
    };
    auto chunk = [&be](const QByteArray &type, const QByteArray &data) {
        const QByteArray body = type + data;
        quint32 crc = 0xffffffffu;
        for (unsigned char c : body) {
            crc ^= c;
            for (int k = 0; k < 8; ++k)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        return be(quint32(data.size())) + body + be(crc ^ 0xffffffffu);
    };
    QByteArray ihdr = be(width) + be(height);
    ihdr += QByteArray("\x08\x02\x00\x00\x00", 5);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", QByteArray("\x78\x9c", 2)) +
           chunk("IEND", QByteArray());
}

QTEST_GUILESS_MAIN(TestPrepareData)
#include "tst_prepare_data.moc"
