// core/dataset piece by piece: YAML 1.1 typing as dj-process reads configs, Data-Juicer's size strings, operator
// merging, path handling, pandas' JSON escaping, the caption CSV reader on broken files, and image reading with
// Pillow's verdicts on the golden images.
#include "dataset/DatasetError.h"
#include "dataset/DatasetPaths.h"
#include "dataset/DiffSynthFolder.h"
#include "dataset/DjConfig.h"
#include "dataset/ImageProbe.h"
#include "dataset/JsonlDataset.h"
#include "dataset/YamlScalar.h"

#include <yaml-cpp/yaml.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace studio::dataset;

namespace {

const std::string kImages = STUDIO_TEST_DATA_DIR "/golden/data-prep/data/input/images/";

YamlScalar scalarOf(const std::string &yaml)
{
    return resolveYaml(YAML::Load("v: " + yaml)["v"]);
}

} // namespace

class TestDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlTyping()
    {
        QCOMPARE(int(scalarOf("1024").type), int(YamlScalar::Type::Int));
        QCOMPARE(scalarOf("0x10").integer, int64_t(16));
        QCOMPARE(scalarOf("010").integer, int64_t(8)); // YAML 1.1 octal
        QCOMPARE(scalarOf("1_000").integer, int64_t(1000));
        QCOMPARE(scalarOf("1:30").integer, int64_t(90)); // sexagesimal
        QCOMPARE(int(scalarOf("'1024'").type), int(YamlScalar::Type::String));
        QCOMPARE(int(scalarOf("1e-3").type), int(YamlScalar::Type::Float)); // jsonargparse's resolver
        QCOMPARE(scalarOf("1e-3").real, 1e-3);
        QCOMPARE(scalarOf("0.333").real, 0.333);
        QCOMPARE(int(scalarOf("yes").type), int(YamlScalar::Type::Bool));
        QVERIFY(!scalarOf("off").boolean);
        QCOMPARE(int(scalarOf("~").type), int(YamlScalar::Type::Null));
        QCOMPARE(int(scalarOf("2024-08-01").type), int(YamlScalar::Type::String)); // dates stay strings
        QVERIFY(std::isinf(scalarOf(".inf").real));
        QCOMPARE(int(scalarOf("4 KB").type), int(YamlScalar::Type::String));
    }

    void sizeStrings()
    {
        QCOMPARE(double(parseSizeString("1.5MB", "s")), 15.0 * 1048576);
        QCOMPARE(double(parseSizeString("14.5KB", "s")), 145.0 * 1024);
        QCOMPARE(double(parseSizeString("0.9KB", "s")), 9.0 * 1024);
        QCOMPARE(double(parseSizeString("4 KB", "s")), 4096.0);
        QCOMPARE(double(parseSizeString("2kb", "s")), 2048.0);
        QCOMPARE(double(parseSizeString("3GiB", "s")), 3.0 * 1073741824);
        QCOMPARE(double(parseSizeString("1024", "s")), 1024.0);
        QVERIFY_THROWS_EXCEPTION(DatasetError, parseSizeString("MB", "s"));
        QVERIFY_THROWS_EXCEPTION(DatasetError, parseSizeString("10B", "s"));
        QVERIFY_THROWS_EXCEPTION(DatasetError, parseSizeString("10 bytes", "s"));
    }

    void repeatedOperatorsInherit()
    {
        const DjConfig c = parseDjConfig("dataset_path: x.jsonl\n"
                                         "image_key: img\n"
                                         "process:\n"
                                         "  - image_shape_filter: {min_width: 10, any_or_all: all, image_key: other}\n"
                                         "  - image_aspect_ratio_filter: {min_ratio: 1}\n"
                                         "  - image_shape_filter: {max_height: 99}\n"
                                         "  - image_aspect_ratio_filter:\n",
                                         "test");
        QCOMPARE(c.process.size(), size_t(4));
        QCOMPARE(c.process[0].imageKey, std::string("other"));
        QCOMPARE(c.process[2].minWidth, int64_t(10));
        QCOMPARE(c.process[2].maxHeight, int64_t(99));
        QCOMPARE(int(c.process[2].anyOrAll), int(AnyOrAll::All));
        QCOMPARE(c.process[2].imageKey, std::string("img")); // image_key does not carry over
        QCOMPARE(c.process[3].minRatio, 1.0);
        QCOMPARE(c.process[3].maxRatio, 3.0);
        // How the card and the CLI name the operators: bounds as written, unbounded maxima left out.
        QCOMPARE(c.process[2].describe(),
                 std::string("image_shape_filter(min_width=10, min_height=1, max_height=99, any_or_all=all)"));
        QCOMPARE(parseDjConfig("dataset_path: x.jsonl\nprocess:\n  - image_aspect_ratio_filter:\n", "t").process[0].describe(),
                 std::string("image_aspect_ratio_filter(min_ratio=0.333, max_ratio=3, any_or_all=any)"));
        QCOMPARE(c.exportPath, std::string("./outputs/hello_world.jsonl"));
        QCOMPARE(c.textKeys, std::vector<std::string>{"text"});
    }

    void refusedConfigs_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown key") << "dataset_path: x.jsonl\nfoo: 1\n" << "foo";
        QTest::newRow("no dataset") << "process: []\n" << "dataset_path";
        QTest::newRow("export suffix") << "dataset_path: x.jsonl\nexport_path: r.json\n" << "export_path";
        QTest::newRow("shards") << "dataset_path: x.jsonl\nexport_shard_size: 5\n" << "export_shard_size";
        QTest::newRow("stats") << "dataset_path: x.jsonl\nkeep_stats_in_res_ds: true\n" << "keep_stats_in_res_ds";
        QTest::newRow("executor") << "dataset_path: x.jsonl\nexecutor_type: ray\n" << "executor_type";
        QTest::newRow("two ops in one item") << "dataset_path: x.jsonl\nprocess:\n  - {image_shape_filter: , image_size_filter: }\n"
                                             << "exactly one";
        QTest::newRow("negative ratio") << "dataset_path: x.jsonl\nprocess:\n  - image_aspect_ratio_filter: {max_ratio: -1}\n"
                                        << "max_ratio";
        QTest::newRow("not yaml") << "dataset_path: [x\n" << "YAML";
    }

    void refusedConfigs()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, named);
        try {
            parseDjConfig(yaml.toStdString(), "test");
            QFAIL("not refused");
        } catch (const DatasetError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(named), e.what());
        }
    }

    void paths()
    {
        QCOMPARE(normalizePath("/a/./b//c/../d"), std::string("/a/b/d"));
        QCOMPARE(normalizePath("/a/../../b"), std::string("/b"));
        QCOMPARE(normalizePath("a/../../b"), std::string("../b"));
        QCOMPARE(normalizePath("data/alt/../input/m.jsonl"), std::string("data/input/m.jsonl"));
        QCOMPARE(parentPath("/x/y/m.jsonl"), std::string("/x/y"));
        QCOMPARE(lowerExtension("pics/Photo.JPEG"), std::string(".jpeg"));
        QCOMPARE(lowerExtension("png_named.jpg"), std::string(".jpg"));
        QCOMPARE(lowerExtension(".hidden"), std::string(""));
        QCOMPARE(lowerExtension("dir.d/noext"), std::string(""));
        QCOMPARE(lowerExtension("a.tar.GZ"), std::string(".gz"));
    }

    void pandasEscaping()
    {
        QCOMPARE(pandasJsonString("a/b\"c\\d\n\t\x01\x7f"), std::string("\"a\\/b\\\"c\\\\d\\n\\t\\u0001\x7f\""));
        QCOMPARE(pandasJsonString("二次元 🎨"), std::string("\"二次元 🎨\""));
        const Json v = Json::parse(R"({"id":3,"images":["x"],"t":null,"b":true})");
        std::vector<std::string> cols;
        std::vector<Json> vals;
        for (auto it = v.begin(); it != v.end(); ++it) {
            cols.push_back(it.key());
            vals.push_back(it.value());
        }
        QCOMPARE(pandasJsonLine(cols, vals), std::string(R"({"id":3,"images":["x"],"t":null,"b":true})"));
    }

    void csvWritingAndReading()
    {
        QCOMPARE(csvField("plain text 二次元"), std::string("plain text 二次元"));
        QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(csvField("say \"hi\"\nok"), std::string("\"say \"\"hi\"\"\nok\""));
        QTemporaryDir tmp;
        const std::string good = tmp.filePath("good.csv").toStdString();
        writeFile(good, "\xEF\xBB\xBF" "file_name,text\n0.png,\"a, \"\"quoted\"\"\nline\"\n1.jpg,\n");
        const auto rows = readCaptionCsv(good);
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].text, std::string("a, \"quoted\"\nline"));
        QCOMPARE(rows[1].fileName, std::string("1.jpg"));
        QCOMPARE(rows[1].text, std::string(""));

        const std::string open = tmp.filePath("open.csv").toStdString();
        writeFile(open, "file_name,text\n0.png,\"never closed\n1.png,x\n");
        expectRefusal(open, "line 2");
        const std::string stray = tmp.filePath("stray.csv").toStdString();
        writeFile(stray, "file_name,text\n0.png,ab\"c\n");
        expectRefusal(stray, "line 2");
        const std::string header = tmp.filePath("header.csv").toStdString();
        writeFile(header, "name,caption\n0.png,x\n");
        expectRefusal(header, "file_name");
        const std::string shortRow = tmp.filePath("short.csv").toStdString();
        writeFile(shortRow, "file_name,text\n0.png\n");
        expectRefusal(shortRow, "field");
    }

    // Stored sizes and Pillow's verdicts on the golden images (README table of the data-prep set).
    void imageReading()
    {
        ImageProbe p = probeImage(kImages + "exif6.jpg");
        QVERIFY(p.ok);
        QCOMPARE(p.width, int64_t(1700)); // EXIF orientation 6 ignored
        QCOMPARE(p.height, int64_t(1024));
        p = probeImage(kImages + "png_named.jpg");
        QVERIFY(p.ok);
        QCOMPARE(p.format, std::string("PNG"));
        QCOMPARE(p.width, int64_t(1152));
        p = probeImage(kImages + "sq1280.jpg"); // progressive
        QVERIFY(p.ok);
        QCOMPARE(p.width, int64_t(1280));
        p = probeImage(kImages + "rgba.png");
        QVERIFY(p.ok);
        QCOMPARE(p.height, int64_t(2300));
        for (const char *bad : {"truncated.png", "cut_half.jpg", "corrupt.jpg", "empty.png", "bomb.png", "missing.png"}) {
            p = probeImage(kImages + bad);
            QVERIFY2(!p.ok, bad);
            QVERIFY2(!p.error.empty(), bad);
        }
        QVERIFY(probeImage(kImages + "bomb.png").error.find("bomb") != std::string::npos);
    }

private:
    static void writeFile(const std::string &path, const QByteArray &bytes)
    {
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    static void expectRefusal(const std::string &path, const std::string &word)
    {
        try {
            readCaptionCsv(path);
            QFAIL("not refused");
        } catch (const DatasetError &e) {
            QVERIFY2(std::string(e.what()).find(word) != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
