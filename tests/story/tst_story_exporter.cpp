// Export: grid geometry pixel by pixel, panel files with metadata, the LoRA card, and refusals.
#include "story/A1111Parameters.h"
#include "story/ImageIo.h"
#include "story/LoraCard.h"
#include "story/LoraFacts.h"
#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/ProjectFile.h"
#include "story/StoryExporter.h"
#include "story/StoryValidator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace studio::story;

namespace {

// Non-square and odd sizes, some smaller than a tile (upscaled), some larger.
const QSize kSizes[kPanelCount] = {QSize(640, 480), QSize(333, 517),  QSize(1024, 1024), QSize(512, 768),
                                   QSize(100, 100), QSize(1031, 513), QSize(768, 1344),  QSize(257, 255)};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A tiny valid safetensors file: 8-byte little-endian header length, JSON header, tensor bytes.
QByteArray tinySafetensors()
{
    const QByteArray header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    QByteArray length(8, '\0');
    qToLittleEndian<quint64>(quint64(header.size()), length.data());
    return length + header + QByteArray("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
}

struct Fixture
{
    QTemporaryDir root;
    QString projectDir;
    QString outDir;
    Project project;

    Fixture()
    {
        projectDir = root.filePath(QStringLiteral("project"));
        outDir = root.filePath(QStringLiteral("out"));
        QDir().mkpath(projectDir);
        project.id = QStringLiteral("test-project");
        project.title = QStringLiteral("灯笼 | *test* story");
        project.teamName = QStringLiteral("Team <A>");
        project.modelName = QStringLiteral("水彩/风格");
        project.style.prefix = QStringLiteral("国风水彩，");
        project.style.negativePrompt = QStringLiteral("模糊");
        project.lora.triggerWords = QStringLiteral("shuicai_style");
        project.lora.scale = 0.8;
        cv::RNG rng(12345);
        for (int i = 0; i < kPanelCount; ++i) {
            Panel &panel = project.panels[size_t(i)];
            panel.prompt = i == 0 ? QStringLiteral("plain latin prompt 100%5 | pipe")
                                  : QStringLiteral("第%1格：阿月提着灯笼").arg(i + 1);
            panel.negativePrompt = i % 2 ? QStringLiteral("丑陋") : QString();
            panel.seed = 1000 + i;
            panel.steps = 20 + i;
            panel.cfgScale = 4.5;
            panel.sampler = samplerNames().at(i % samplerNames().size());
            panel.width = 1024;
            panel.height = 1024;
            // Distinct content: random blocks of 3x3 pixels per panel (a shifted or swapped tile would not
            // match; blocks rather than single-pixel noise keep the PNGs small and the test fast).
            cv::Mat blocks((kSizes[i].height() + 2) / 3, (kSizes[i].width() + 2) / 3, CV_8UC3);
            rng.fill(blocks, cv::RNG::UNIFORM, 0, 256);
            cv::Mat image;
            cv::resize(blocks, image, cv::Size(blocks.cols * 3, blocks.rows * 3), 0, 0, cv::INTER_NEAREST);
            image = image(cv::Rect(0, 0, kSizes[i].width(), kSizes[i].height())).clone();
            const QString rel =
                QStringLiteral("images/panel-%1/%2.png").arg(i + 1, 2, 10, QLatin1Char('0')).arg(panel.seed);
            QDir().mkpath(QFileInfo(projectDir + QLatin1Char('/') + rel).path());
            cv::imwrite((projectDir + QLatin1Char('/') + rel).toStdString(), image);
            PanelVariant variant;
            variant.path = rel;
            variant.seed = panel.seed;
            variant.createdAt = QStringLiteral("2025-02-12T19:00:00Z");
            panel.variants.append(variant);
            panel.chosenVariant = 0;
        }
    }

    QString panelPath(int i) const { return projectDir + QLatin1Char('/') + project.panels[size_t(i)].chosen()->path; }
};

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(dir).relativeFilePath(it.next()));
    files.sort();
    return files;
}

} // namespace

class TestStoryExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gridTilesEqualResizedPanels()
    {
        Fixture f;
        QString error;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error), qPrintable(error));
        const cv::Mat grid = cv::imread((f.outDir + QStringLiteral("/grid.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(grid.cols, 1024);
        QCOMPARE(grid.rows, 2048);
        QCOMPARE(grid.type(), CV_8UC3);
        for (int i = 0; i < kPanelCount; ++i) {
            const cv::Mat panel = cv::imread(f.panelPath(i).toStdString(), cv::IMREAD_COLOR);
            QCOMPARE(QSize(panel.cols, panel.rows), kSizes[i]);
            cv::Mat expected;
            cv::resize(panel, expected, cv::Size(512, 512), 0, 0, cv::INTER_AREA);
            const int row = i / 2;
            const int column = i % 2;
            const cv::Mat tile = grid(cv::Rect(column * 512, row * 512, 512, 512));
            QVERIFY2(
                cv::norm(tile, expected, cv::NORM_INF) == 0,
                qPrintable(QStringLiteral("tile at row %1 column %2 is not panel %3").arg(row).arg(column).arg(i + 1)));
        }
    }

    void gridKeepsColoursInRgbOrder()
    {
        Fixture f;
        // Panel 1 pure red, panel 2 pure blue, written by Qt (RGB), checked through Qt: no BGR swap anywhere.
        for (int i = 0; i < 2; ++i) {
            QImage image(300, 200, QImage::Format_RGB32);
            image.fill(i == 0 ? QColor(255, 0, 0) : QColor(0, 0, 255));
            QVERIFY(image.save(f.panelPath(i), "PNG"));
        }
        QString error;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error), qPrintable(error));
        const QImage grid(f.outDir + QStringLiteral("/grid.png"));
        QCOMPARE(grid.pixelColor(256, 256), QColor(255, 0, 0));
        QCOMPARE(grid.pixelColor(512 + 256, 256), QColor(0, 0, 255));
        const QImage panel1(f.outDir + QStringLiteral("/panels/01.png"));
        QCOMPARE(panel1.size(), QSize(300, 200));
        QCOMPARE(panel1.pixelColor(10, 10), QColor(255, 0, 0));
    }

    void panelsAtFullSizeWithMetadata()
    {
        Fixture f;
        f.project.style.prefix = QStringLiteral("watercolor, ");
        f.project.style.negativePrompt = QStringLiteral("blurry");
        QString error;
        ExportReport report;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, ExportOptions(), &report, &error),
                 qPrintable(error));
        for (int i = 0; i < kPanelCount; ++i) {
            const QString out = f.outDir + QStringLiteral("/panels/%1.png").arg(i + 1, 2, 10, QLatin1Char('0'));
            QVERIFY(report.files.contains(QStringLiteral("panels/%1.png").arg(i + 1, 2, 10, QLatin1Char('0'))));
            const cv::Mat written = cv::imread(out.toStdString(), cv::IMREAD_UNCHANGED);
            const cv::Mat source = cv::imread(f.panelPath(i).toStdString(), cv::IMREAD_UNCHANGED);
            QCOMPARE(written.type(), CV_8UC3);
            QVERIFY(cv::norm(written, source, cv::NORM_INF) == 0);

            const std::optional<QVector<PngTextChunk>> chunks = PngMetadata::readTextChunks(out, &error);
            QVERIFY2(chunks, qPrintable(error));
            const PngTextChunk *parameters = nullptr;
            const PngTextChunk *ours = nullptr;
            const PngTextChunk *xmp = nullptr;
            for (const PngTextChunk &c : *chunks) {
                if (c.keyword == QLatin1String("parameters"))
                    parameters = &c;
                if (c.keyword == QLatin1String("storyboard_studio"))
                    ours = &c;
                if (c.keyword == QLatin1String("XML:com.adobe.xmp"))
                    xmp = &c;
            }
            QVERIFY(parameters && ours && xmp);
            // Latin-1 prompt → tEXt; Chinese prompt → uncompressed iTXt with empty tags (Pillow's rule).
            const Panel &panel = f.project.panels[size_t(i)];
            QCOMPARE(parameters->kind, i == 0 ? PngTextChunk::Kind::Text : PngTextChunk::Kind::InternationalText);
            QVERIFY(parameters->language.isEmpty() && parameters->translatedKeyword.isEmpty());
            QCOMPARE(ours->kind, PngTextChunk::Kind::Text); // ASCII-escaped JSON
            QCOMPARE(xmp->kind, PngTextChunk::Kind::InternationalText);
            QVERIFY(xmp->text.contains(QStringLiteral("http://www.tc260.org.cn/ns/AIGC/1.0/")));

            const A1111Parameters a = A1111Parameters::parse(parameters->text);
            QCOMPARE(a.prompt, f.project.effectivePrompt(i));
            QCOMPARE(a.negativePrompt, f.project.effectiveNegativePrompt(i));
            QCOMPARE(a.seed(), std::optional<qint64>(panel.seed));
            QCOMPARE(a.steps(), std::optional<int>(panel.steps));
            QCOMPARE(a.cfgScale(), std::optional<double>(panel.cfgScale));
            QCOMPARE(a.sampler(), std::optional<QString>(panel.sampler));
            QCOMPARE(a.size(), std::optional<QSize>(QSize(panel.width, panel.height)));

            const QJsonObject json = QJsonDocument::fromJson(ours->text.toLatin1()).object();
            QCOMPARE(json.value(QStringLiteral("schema")).toInt(), PanelMetadata::kSchemaVersion);
            QCOMPARE(json.value(QStringLiteral("panel")).toInt(), i + 1);
            QCOMPARE(json.value(QStringLiteral("prompt")).toString(), panel.prompt);
            QCOMPARE(json.value(QStringLiteral("seed")).toInteger(), panel.seed);
            QCOMPARE(json.value(QStringLiteral("sampler")).toString(), panel.sampler);
            QCOMPARE(json.value(QStringLiteral("story")).toObject().value(QStringLiteral("title")).toString(),
                     f.project.title);
            for (const QChar c : ours->text)
                QVERIFY(c.unicode() < 0x80);

            // Our own chunk restores the panel's settings exactly.
            Panel blank;
            const std::optional<PanelMetadata::Restored> restored = PanelMetadata::restore(*chunks, blank, &error);
            QVERIFY2(restored, qPrintable(error));
            QCOMPARE(restored->source, QStringLiteral("storyboard_studio"));
            QCOMPARE(restored->panel.prompt, panel.prompt);
            QCOMPARE(restored->panel.negativePrompt, panel.negativePrompt);
            QCOMPARE(restored->panel.seed, panel.seed);
            QCOMPARE(restored->panel.steps, panel.steps);
            QCOMPARE(restored->panel.sampler, panel.sampler);
        }
        QVERIFY(report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("no LoRA")));

        // The exported folder re-opens as a valid story.
        const std::optional<Project> reopened = ProjectFile::load(f.outDir + QStringLiteral("/story.json"), &error);
        QVERIFY2(reopened, qPrintable(error));
        QVERIFY(!StoryValidator::hasErrors(StoryValidator::check(*reopened, f.outDir)));
        QCOMPARE(reopened->panels[3].chosen()->path, QStringLiteral("panels/04.png"));
        QCOMPARE(reopened->panels[3].prompt, f.project.panels[3].prompt);
        QCOMPARE(readAll(f.outDir + QStringLiteral("/configuration.json")),
                 QByteArray("{\"framework\":\"Pytorch\",\"task\":\"text-to-image-synthesis\"}"));
    }

    void restoresFromForeignParameters()
    {
        const QVector<PngTextChunk> chunks = {PngTextChunk::forValue(
            QStringLiteral("parameters"),
            QStringLiteral("a lantern\nNegative prompt: fog\nSteps: 31, Sampler: DPM++ 2M SDE, CFG scale: 99, "
                           "Seed: 77, Size: 832x1216"))};
        Panel current;
        current.sampler = QStringLiteral("ddim");
        QString error;
        const std::optional<PanelMetadata::Restored> r = PanelMetadata::restore(chunks, current, &error);
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->source, QStringLiteral("parameters"));
        QCOMPARE(r->panel.prompt, QStringLiteral("a lantern"));
        QCOMPARE(r->panel.negativePrompt, QStringLiteral("fog"));
        QCOMPARE(r->panel.seed, 77);
        QCOMPARE(r->panel.steps, 31);
        QCOMPARE(r->panel.cfgScale, current.cfgScale);      // 99 is out of range: kept
        QCOMPARE(r->panel.sampler, QStringLiteral("ddim")); // unknown sampler: kept
        QCOMPARE(r->panel.width, 832);
        QCOMPARE(r->panel.height, 1216);
        QCOMPARE(r->notes.size(), 2);
        QVERIFY(!PanelMetadata::restore({}, current, &error));
        QVERIFY(error.contains(QStringLiteral("no generation parameters")));
    }

    void oddInputFormatsAreConverted()
    {
        Fixture f;
        // Panel 1: 16-bit RGB; panel 2: grey; panel 3: RGBA with a transparent half; panel 4: JPEG.
        cv::Mat rgb16(64, 48, CV_16UC3, cv::Scalar(65535, 0, 32896));
        QVERIFY(cv::imwrite(f.panelPath(0).toStdString(), rgb16));
        cv::Mat grey(50, 70, CV_8UC1, cv::Scalar(77));
        QVERIFY(cv::imwrite(f.panelPath(1).toStdString(), grey));
        cv::Mat bgra(40, 40, CV_8UC4, cv::Scalar(0, 0, 255, 255));
        bgra(cv::Rect(0, 0, 20, 40)).setTo(cv::Scalar(0, 0, 0, 0));
        QVERIFY(cv::imwrite(f.panelPath(2).toStdString(), bgra));
        const QString jpegRel = QStringLiteral("images/panel-04/photo.jpg");
        cv::Mat jpeg(96, 128, CV_8UC3, cv::Scalar(10, 200, 30));
        QVERIFY(cv::imwrite((f.projectDir + QLatin1Char('/') + jpegRel).toStdString(), jpeg));
        f.project.panels[3].variants[0].path = jpegRel;

        QString error;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error), qPrintable(error));
        const cv::Mat p1 =
            cv::imread((f.outDir + QStringLiteral("/panels/01.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(p1.type(), CV_8UC3);
        QCOMPARE(p1.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 0, 128));
        const cv::Mat p2 =
            cv::imread((f.outDir + QStringLiteral("/panels/02.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(p2.at<cv::Vec3b>(5, 5), cv::Vec3b(77, 77, 77));
        const cv::Mat p3 =
            cv::imread((f.outDir + QStringLiteral("/panels/03.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(p3.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 255, 255)); // transparent → white
        QCOMPARE(p3.at<cv::Vec3b>(5, 30), cv::Vec3b(0, 0, 255));    // opaque red stays red
        const cv::Mat p4 =
            cv::imread((f.outDir + QStringLiteral("/panels/04.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(QSize(p4.cols, p4.rows), QSize(128, 96));
        // The grey tile is the resized grey panel.
        const cv::Mat grid = cv::imread((f.outDir + QStringLiteral("/grid.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(grid.at<cv::Vec3b>(100, 512 + 100), cv::Vec3b(77, 77, 77));
    }

    void damagedFilesAreRefusedQuietly()
    {
        QTemporaryDir dir;
        std::vector<uchar> jpeg;
        QVERIFY(cv::imencode(".jpg", cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), jpeg));
        const QString path = dir.filePath(QStringLiteral("cut.jpg"));
        writeBytes(path, QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size() / 2)));
        QString error;
        QVERIFY(!ImageIo::readBgr8(path, &error));
        QVERIFY2(error.contains(QStringLiteral("truncated")), qPrintable(error));
        writeBytes(path, QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size())));
        const std::optional<cv::Mat> whole = ImageIo::readBgr8(path, &error);
        QVERIFY2(whole, qPrintable(error));
        QCOMPARE(whole->type(), CV_8UC3);
        QVERIFY(!ImageIo::readBgr8(dir.filePath(QStringLiteral("none.png")), &error));
        QVERIFY(error.contains(QStringLiteral("missing")));
    }

    void cardContents()
    {
        Fixture f;
        const QByteArray loraBytes = tinySafetensors();
        writeBytes(f.projectDir + QStringLiteral("/lora/灯笼 style.safetensors"), loraBytes);
        f.project.lora.path = QStringLiteral("lora/灯笼 style.safetensors");
        QString error;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error), qPrintable(error));

        // The LoRA is copied byte for byte.
        QCOMPARE(readAll(f.outDir + QStringLiteral("/灯笼 style.safetensors")), loraBytes);

        const QString card = QString::fromUtf8(readAll(f.outDir + QStringLiteral("/README.md")));
        const QStringList lines = card.split(QLatin1Char('\n'));
        QCOMPARE(lines.first(), QStringLiteral("---"));
        const int frontEnd = lines.indexOf(QStringLiteral("---"), 1);
        QVERIFY(frontEnd > 0);
        const QStringList front = lines.mid(1, frontEnd - 1);
        QVERIFY(front.contains(QStringLiteral("base_model:")));
        QVERIFY(front.contains(QStringLiteral("- Kwai-Kolors/Kolors")));
        QVERIFY(front.contains(QStringLiteral("- text-to-image-synthesis")));
        QVERIFY(front.contains(QStringLiteral("license: apache-2.0")));
        QVERIFY(front.contains(QStringLiteral("- Pytorch")));

        // Model name in the challenge pattern (slash in the name made safe, markup escaped).
        QCOMPARE(LoraCard::modelName(f.project), QStringLiteral("Team <A>-可图Kolors训练-水彩 风格"));
        QVERIFY(card.contains(QStringLiteral("# Team &lt;A&gt;-可图Kolors训练-水彩 风格")));

        // LoRA facts: SHA-256 computed independently over the whole file, size, format, addnet hash.
        const QString sha =
            QString::fromLatin1(QCryptographicHash::hash(loraBytes, QCryptographicHash::Sha256).toHex());
        QVERIFY(card.contains(QStringLiteral("| SHA-256 | `%1` |").arg(sha)));
        QVERIFY(card.contains(QStringLiteral("| File | `灯笼 style.safetensors` |")));
        QVERIFY(card.contains(QStringLiteral("| Size | %1 bytes |").arg(loraBytes.size())));
        QVERIFY(card.contains(QStringLiteral("| Format | safetensors |")));
        const QString addnet = QString::fromLatin1(
            QCryptographicHash::hash(loraBytes.mid(8 + qFromLittleEndian<quint64>(loraBytes.constData())),
                                     QCryptographicHash::Sha256)
                .toHex());
        QVERIFY(card.contains(addnet));
        QVERIFY(card.contains(QStringLiteral("| Rank | *not yet determined*")));
        QVERIFY(card.contains(QStringLiteral("| Effective scale | *not yet determined*")));
        QVERIFY(card.contains(QStringLiteral("shuicai\\_style"))); // trigger words, Markdown-escaped
        QVERIFY(card.contains(QStringLiteral("![8 格故事拼图 / 8-panel story grid](grid.png)")));
        QVERIFY(card.contains(QStringLiteral("How to reproduce")));

        // One table row per panel, with its seed, steps, sampler and size; user text cannot break the table.
        int rows = 0;
        for (const QString &line : lines) {
            if (!line.startsWith(QStringLiteral("| ")) || !line.contains(QStringLiteral("](panels/")))
                continue;
            const Panel &panel = f.project.panels[size_t(rows)];
            const QStringList cells = line.split(QStringLiteral(" | "));
            QCOMPARE(cells.size(), 9);
            QCOMPARE(cells[4], QString::number(panel.seed));
            QCOMPARE(cells[5], QString::number(panel.steps));
            QCOMPARE(cells[6], QStringLiteral("4.5"));
            QVERIFY(cells[7].startsWith(A1111Parameters::samplerDisplayName(panel.sampler)));
            QCOMPARE(cells[8], QStringLiteral("1024x1024 |"));
            ++rows;
        }
        QCOMPARE(rows, kPanelCount);
        QVERIFY(card.contains(QStringLiteral("plain latin prompt 100%5 \\| pipe")));

        // The facts the LoRA tools will add later show up once known.
        std::optional<LoraFacts> facts =
            LoraFacts::inspect(f.projectDir + QStringLiteral("/lora/灯笼 style.safetensors"), &error);
        QVERIFY2(facts, qPrintable(error));
        QCOMPARE(facts->sha256, sha);
        QCOMPARE(facts->shortHash(), addnet.left(10));
        facts->rank = 16;
        facts->alpha = 2.0;
        facts->effectiveScale = 0.125;
        facts->convention = QStringLiteral("peft");
        const QString filled = LoraCard::markdown(f.project, facts);
        QVERIFY(filled.contains(QStringLiteral("| Rank | 16 |")));
        QVERIFY(filled.contains(QStringLiteral("| Alpha | 2 |")));
        QVERIFY(filled.contains(QStringLiteral("| Effective scale | 0.125 |")));
    }

    // The engine's facts come in through ExportOptions::completeLoraFacts, called with the resolved file and the
    // story's multiplier; a refusal is a warning and leaves those facts undetermined.
    void engineFactsHook()
    {
        Fixture f;
        writeBytes(f.projectDir + QStringLiteral("/lora/style.safetensors"), tinySafetensors());
        f.project.lora.path = QStringLiteral("lora/style.safetensors");
        QString seenPath;
        double seenScale = 0;
        ExportOptions options;
        options.completeLoraFacts = [&](const QString &path, double scale, LoraFacts *facts, QString *) {
            seenPath = path;
            seenScale = scale;
            facts->rank = 8;
            facts->effectiveScale = scale / 2;
            facts->convention = QStringLiteral("kohya");
            return true;
        };
        ExportReport report;
        QString error;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, options, &report, &error),
                 qPrintable(error));
        QCOMPARE(QFileInfo(seenPath).canonicalFilePath(),
                 QFileInfo(f.projectDir + QStringLiteral("/lora/style.safetensors")).canonicalFilePath());
        QCOMPARE(seenScale, f.project.lora.scale);
        QString card = QString::fromUtf8(readAll(f.outDir + QStringLiteral("/README.md")));
        QVERIFY(card.contains(QStringLiteral("| Rank | 8 |")));
        QVERIFY(card.contains(QStringLiteral("| Effective scale | 0.4 |")));
        QVERIFY(!report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("undetermined")));

        options.completeLoraFacts = [](const QString &, double, LoraFacts *, QString *why) {
            *why = QStringLiteral("foreign keys: te_xyz");
            return false;
        };
        QDir(f.outDir).removeRecursively();
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, options, &report, &error),
                 qPrintable(error));
        QVERIFY(report.warnings.join(QLatin1Char(' ')).contains(QStringLiteral("foreign keys: te_xyz")));
        card = QString::fromUtf8(readAll(f.outDir + QStringLiteral("/README.md")));
        QVERIFY(card.contains(QStringLiteral("| Effective scale | *not yet determined*")));
    }

    void loraFactsOfOtherFormats()
    {
        QTemporaryDir dir;
        const QString zip = dir.filePath(QStringLiteral("a.ckpt"));
        writeBytes(zip, QByteArray("PK\x03\x04", 4) + QByteArray(5000, 'x'));
        QString error;
        std::optional<LoraFacts> facts = LoraFacts::inspect(zip, &error);
        QVERIFY2(facts, qPrintable(error));
        QCOMPARE(facts->format, QStringLiteral("PyTorch zip checkpoint"));
        QVERIFY(!facts->addnetHash);
        QCOMPARE(facts->sizeBytes, 5004);
        QVERIFY(!LoraFacts::inspect(dir.filePath(QStringLiteral("missing.safetensors")), &error));
        QVERIFY(error.contains(QStringLiteral("missing")));
        // A lying safetensors header length is not taken for safetensors.
        QByteArray liar = tinySafetensors();
        qToLittleEndian<quint64>(quint64(1) << 40, liar.data());
        writeBytes(dir.filePath(QStringLiteral("liar.safetensors")), liar);
        facts = LoraFacts::inspect(dir.filePath(QStringLiteral("liar.safetensors")), &error);
        QVERIFY(facts);
        QCOMPARE(facts->format, QStringLiteral("unknown"));
        // Cancelling the hash.
        QVERIFY(!LoraFacts::inspect(zip, &error, [](qint64, qint64) { return false; }));
    }

    void refusesPanelsWithoutImagesNamingThem()
    {
        Fixture f;
        f.project.panels[2].chosenVariant = -1;
        f.project.panels[5].variants.clear();
        f.project.panels[5].chosenVariant = -1;
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error));
        QVERIFY2(error.contains(QStringLiteral("panels 3, 6")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(f.outDir)); // nothing written
    }

    void refusesMissingOrBrokenFilesNamingThem()
    {
        Fixture f;
        QVERIFY(QFile::remove(f.panelPath(1)));
        writeBytes(f.panelPath(6), QByteArray("this is not an image"));
        const QByteArray png = readAll(f.panelPath(4));
        writeBytes(f.panelPath(4), png.left(png.size() / 3)); // truncated PNG
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error));
        QVERIFY2(error.contains(QStringLiteral("panel 2: ") + f.project.panels[1].chosen()->path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("missing")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("panel 7: ")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("not a PNG or JPEG")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("panel 5: ")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(f.outDir));

        const QVector<StoryIssue> issues = StoryValidator::check(f.project, f.projectDir);
        QVERIFY(StoryValidator::hasErrors(issues));
        QStringList text;
        for (const StoryIssue &i : issues)
            text.append(i.toString());
        const QString all = text.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("error: panel 2: ")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("error: panel 5: ")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("error: panel 7: ")), qPrintable(all));
        // Sizes differ from the panel's 1024x1024: warnings, not errors.
        QVERIFY2(all.contains(QStringLiteral("warning: panel 1: ") + f.project.panels[0].chosen()->path +
                              QStringLiteral(": image is 640x480, the panel is set to 1024x1024")),
                 qPrintable(all));
    }

    void refusesMissingLora()
    {
        Fixture f;
        f.project.lora.path = QStringLiteral("lora/none.safetensors");
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error));
        QVERIFY2(error.contains(QStringLiteral("missing")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(f.outDir));
    }

    void neverWritesOutsideTheFolder()
    {
#ifdef Q_OS_WIN
        QSKIP("symbolic links need privileges on Windows");
#endif
        Fixture f;
        const QString outside = f.root.filePath(QStringLiteral("outside"));
        QVERIFY(QDir().mkpath(outside));
        writeBytes(outside + QStringLiteral("/victim.md"), "keep me");
        QVERIFY(QDir().mkpath(f.outDir));

        // A link for panels/ pointing outside.
        QVERIFY(QFile::link(outside, f.outDir + QStringLiteral("/panels")));
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error));
        QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
        QVERIFY(QFile::remove(f.outDir + QStringLiteral("/panels")));

        // A link for README.md pointing at a file outside.
        QVERIFY(QFile::link(outside + QStringLiteral("/victim.md"), f.outDir + QStringLiteral("/README.md")));
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error));
        QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
        QCOMPARE(readAll(outside + QStringLiteral("/victim.md")), QByteArray("keep me"));
        QCOMPARE(filesUnder(outside), QStringList{QStringLiteral("victim.md")});
        QVERIFY(QFile::remove(f.outDir + QStringLiteral("/README.md")));

        // A LoRA whose name tries to climb out: only its sanitised last component is used.
        writeBytes(f.projectDir + QStringLiteral("/lora/..evil.safetensors"), tinySafetensors());
        f.project.lora.path = QStringLiteral("lora/..evil.safetensors");
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, &error), qPrintable(error));
        QCOMPARE(filesUnder(outside), QStringList{QStringLiteral("victim.md")});
        QStringList expected = {QStringLiteral("README.md"), QStringLiteral("configuration.json"),
                                QStringLiteral("evil.safetensors"), QStringLiteral("grid.png"),
                                QStringLiteral("story.json")};
        for (int i = 1; i <= kPanelCount; ++i)
            expected.append(QStringLiteral("panels/%1.png").arg(i, 2, 10, QLatin1Char('0')));
        expected.sort();
        QCOMPARE(filesUnder(f.outDir), expected);
    }

    void loraFileNamesAreSanitised_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "/x/style.safetensors"
                               << "style.safetensors";
        QTest::newRow("windows path") << "C:\\loras\\..\\style.ckpt"
                                      << "style.ckpt";
        QTest::newRow("dot dot") << "../.."
                                 << "lora.safetensors";
        QTest::newRow("hidden") << "/x/.hidden.safetensors"
                                << "hidden.safetensors";
        QTest::newRow("reserved") << "/x/README.md"
                                  << "lora-README.md";
        QTest::newRow("device") << "/x/CON.safetensors"
                                << "lora-CON.safetensors";
        QTest::newRow("colon") << "/x/a:b?.ckpt"
                               << "a_b_.ckpt";
        QTest::newRow("chinese") << "/x/灯笼.safetensors"
                                 << "灯笼.safetensors";
    }
    void loraFileNamesAreSanitised()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        QCOMPARE(StoryExporter::loraFileName(path), expected);
    }

    void refusesExportIntoTheProjectFolder()
    {
        Fixture f;
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.projectDir, &error));
        QVERIFY(error.contains(QStringLiteral("project folder")));
        writeBytes(f.root.filePath(QStringLiteral("afile")), "x");
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.root.filePath(QStringLiteral("afile")), &error));
        QVERIFY(error.contains(QStringLiteral("not a folder")));
    }

    void progressAndCancel()
    {
        Fixture f;
        ExportOptions options;
        int calls = 0;
        int lastSteps = 0;
        options.progress = [&](int step, int steps, const QString &) {
            ++calls;
            lastSteps = steps;
            return step < 10;
        };
        ExportReport report;
        QString error;
        QVERIFY(!StoryExporter::exportStory(f.project, f.projectDir, f.outDir, options, &report, &error));
        QCOMPARE(error, QStringLiteral("cancelled"));
        QCOMPARE(calls, 11);
        QVERIFY(lastSteps > 10);
        options.progress = {};
        options.aigcLabel = false;
        QVERIFY2(StoryExporter::exportStory(f.project, f.projectDir, f.outDir, options, &report, &error),
                 qPrintable(error));
        const std::optional<QVector<PngTextChunk>> chunks =
            PngMetadata::readTextChunks(f.outDir + QStringLiteral("/panels/01.png"), &error);
        QVERIFY(chunks);
        QVERIFY(!PngMetadata::find(*chunks, PanelMetadata::xmpKeyword()));
    }
};

QTEST_GUILESS_MAIN(TestStoryExporter)
#include "tst_story_exporter.moc"
