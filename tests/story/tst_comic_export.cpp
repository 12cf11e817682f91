// The comic outputs and the AI-content labels: the strip, the PDF (text back through pdftotext, XMP through
// pdfinfo), the CBZ (entries through unzip, ComicInfo.xml against its pages), the implicit label of every PNG
// (one XMP packet, TC260 JSON, IPTC source type, unique ProduceIDs) and the explicit label's size and corner.
#include "ComicTestSupport.h"
#include "StoryboardProcess.h"

#include "story/PngMetadata.h"
#include "story/ProjectFile.h"
#include "story/StoryExporter.h"
#include "story/comic/ComicExporter.h"
#include "story/comic/ComicLayout.h"
#include "story/labels/AigcLabel.h"
#include "story/labels/VisibleLabel.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace studio::story;
using namespace comic_test;

namespace {

const QString kGenerated = QStringLiteral("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
const QString kComposite =
    QStringLiteral("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString noSpace(QString text)
{
    return text.remove(QRegularExpression(QStringLiteral("\\s")));
}

// Rows of the image, inside `box`, that hold light pixels: the label's ink height.
int inkHeight(const QImage &image, const QRect &box)
{
    int top = -1;
    int bottom = -1;
    for (int y = box.top(); y <= box.bottom(); ++y) {
        for (int x = box.left(); x <= box.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.red() > 128 && c.green() > 128 && c.blue() > 128) { // at least half covered by the white text
                if (top < 0)
                    top = y;
                bottom = y;
                break;
            }
        }
    }
    return top < 0 ? 0 : bottom - top + 1;
}

bool isDark(const QImage &image, int x, int y)
{
    const QColor c = image.pixelColor(x, y);
    return c.red() < 70 && c.green() < 70 && c.blue() < 70;
}

// The explicit label's backdrop in the bottom-right corner, found from a probe just inside the rule's corner
// margin (2 % of the shorter side) and its padding, then followed up and left while it stays dark; empty when the
// probe is not dark (no label).
QRect cornerBackdrop(const QImage &image)
{
    const int shorter = std::min(image.width(), image.height());
    const int inset = int(shorter * 0.02) + int(shorter * 0.015) + 1;
    const int x = image.width() - 1 - inset;
    const int y = image.height() - 1 - inset;
    if (!isDark(image, x, y))
        return {};
    int top = y;
    while (top > 0 && isDark(image, x, top - 1))
        --top;
    int left = x;
    while (left > 0 && isDark(image, left - 1, y))
        --left;
    return QRect(QPoint(left, top), QPoint(x, y));
}

struct ExampleStory
{
    QTemporaryDir dir;
    QString storyPath;
    Project project;
    bool ok = false;

    ExampleStory()
    {
        const QString folder = dir.filePath(QStringLiteral("story"));
        if (!studio_test::copyTree(QStringLiteral(STUDIO_SOURCE_DIR "/examples/lantern-festival"), folder))
            return;
        storyPath = folder + QStringLiteral("/story.json");
        QString error;
        const std::optional<Project> loaded = ProjectFile::load(storyPath, &error);
        if (!loaded)
            return;
        project = *loaded;
        ok = true;
    }
};

} // namespace

class TestComicExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void xmpLabelParsesAndIdsAreUnique()
    {
        const AigcLabel a = AigcLabel::generated();
        const AigcLabel b = AigcLabel::generated();
        QVERIFY(a.produceId != b.produceId);
        for (const AigcLabel &label : {a, AigcLabel::composite(QStringLiteral("标题 <&>"))}) {
            const QString packet = label.xmpPacket();
            QVERIFY(packet.startsWith(QStringLiteral("<?xpacket begin=\"") + QChar(0xFEFF)));
            const std::optional<ParsedLabel> parsed = parseXmp(packet);
            QVERIFY(parsed);
            QCOMPARE(parsed->sourceType, label.source == AigcLabel::Source::Generated ? kGenerated : kComposite);
            const QJsonObject json = QJsonDocument::fromJson(parsed->tc260.toUtf8()).object();
            QCOMPARE(json.value(QStringLiteral("Label")).toString(), QStringLiteral("1"));
            QVERIFY(json.value(QStringLiteral("ContentProducer")).toString().startsWith(QStringLiteral("Storyboard")));
            QCOMPARE(json.value(QStringLiteral("ProduceID")).toString(), label.produceId);
            for (const char *key : {"ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"})
                QVERIFY2(json.value(QLatin1String(key)).isString(), key);
            // Our own reader agrees.
            const std::optional<AigcLabel> back = AigcLabel::fromXmp(packet);
            QVERIFY(back);
            QCOMPARE(back->produceId, label.produceId);
            QCOMPARE(back->source, label.source);
        }
    }

    void visibleLabelIsTallEnoughInTheCorner_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("landscape") << QSize(640, 400);
        QTest::newRow("portrait") << QSize(300, 900);
        QTest::newRow("tiny") << QSize(64, 64);
        QTest::newRow("strip") << QSize(1080, 9000);
    }
    void visibleLabelIsTallEnoughInTheCorner()
    {
        QFETCH(QSize, size);
        QImage image(size, QImage::Format_RGB32);
        image.fill(QColor(128, 140, 150));
        const QRect backdrop = VisibleLabel::draw(&image, QString());
        const int shorter = std::min(size.width(), size.height());
        QVERIFY(image.rect().contains(backdrop));
        // In the bottom-right corner: closer to those edges than to the others.
        QVERIFY(backdrop.right() > size.width() * 3 / 4 && backdrop.bottom() > size.height() * 3 / 4);
        QVERIFY(size.width() - 1 - backdrop.right() <= shorter * 0.05 + 1);
        QVERIFY(size.height() - 1 - backdrop.bottom() <= shorter * 0.05 + 1);
        const int ink = inkHeight(image, backdrop);
        QVERIFY2(ink >= shorter * 0.05, qPrintable(QStringLiteral("ink %1 px, shorter side %2").arg(ink).arg(shorter)));
        // The backdrop contrasts: its corner pixel is dark on the mid-grey picture.
        const QColor corner = image.pixelColor(backdrop.left() + 2, backdrop.bottom() - backdrop.height() / 2);
        QVERIFY(corner.lightness() < 60);
    }

    // The full export: submission and every comic output, with and without the explicit label.
    void exportWritesComicWithLabels_data()
    {
        QTest::addColumn<bool>("visible");
        QTest::addColumn<int>("layout");
        QTest::newRow("labelled, grid page") << true << int(ComicOptions::PdfLayout::Grid);
        QTest::newRow("plain, a page per panel") << false << int(ComicOptions::PdfLayout::PanelPerPage);
    }
    void exportWritesComicWithLabels()
    {
        QFETCH(bool, visible);
        QFETCH(int, layout);
        ExampleStory story;
        QVERIFY(story.ok);
        story.project.panels[2].caption = QStringLiteral("Ah-Yue: \"Grandpa?\" 爷爷？"); // mixed scripts
        QTemporaryDir outRoot;
        const QString out = outRoot.filePath(QStringLiteral("out"));
        ExportOptions options;
        options.visibleLabel = visible;
        QString error;
        std::optional<ComicOptions> comic = ComicOptions::fromFormatList(QStringLiteral("pdf, CBZ,strip"), &error);
        QVERIFY2(comic, qPrintable(error));
        options.comic = *comic;
        options.comic.pdfLayout = ComicOptions::PdfLayout(layout);
        options.comic.visibleLabel = visible;
        ExportReport report;
        QVERIFY2(StoryExporter::exportStory(story.project, QFileInfo(story.storyPath).absolutePath(), out, options,
                                            &report, &error),
                 qPrintable(error));
        for (const QString &name : {ComicExporter::stripFileName(), ComicExporter::pdfFileName(),
                                    ComicExporter::cbzFileName()})
            QVERIFY2(report.files.contains(name), qPrintable(name));

        // Every PNG: exactly one XMP packet; panels generated, the rest composite; ProduceIDs all different.
        QSet<QString> ids;
        auto checkPng = [&](const QByteArray &png, const QString &what, const QString &expectedSource) {
            const QStringList packets = xmpPackets(png);
            QVERIFY2(packets.size() == 1, qPrintable(what));
            const std::optional<ParsedLabel> label = parseXmp(packets.first());
            QVERIFY2(label, qPrintable(what));
            QCOMPARE(label->sourceType, expectedSource);
            const QJsonObject json = QJsonDocument::fromJson(label->tc260.toUtf8()).object();
            QCOMPARE(json.value(QStringLiteral("Label")).toString(), QStringLiteral("1"));
            const QString id = json.value(QStringLiteral("ProduceID")).toString();
            QVERIFY2(!id.isEmpty() && !ids.contains(id), qPrintable(what + QStringLiteral(": ") + id));
            ids.insert(id);
        };
        checkPng(readAll(out + QStringLiteral("/grid.png")), QStringLiteral("grid"), kComposite);
        for (int i = 1; i <= kPanelCount; ++i)
            checkPng(readAll(out + QStringLiteral("/panels/%1.png").arg(i, 2, 10, QLatin1Char('0'))),
                     QStringLiteral("panel %1").arg(i), kGenerated);
        const QByteArray stripPng = readAll(out + QLatin1Char('/') + ComicExporter::stripFileName());
        checkPng(stripPng, QStringLiteral("strip"), kComposite);

        // The strip: phone width, panels stacked (far taller than wide), small enough to load on a phone.
        const QImage strip = QImage::fromData(stripPng);
        QCOMPARE(strip.width(), 1080);
        QVERIFY(strip.height() > strip.width() * kPanelCount * 3 / 4);
        QVERIFY(stripPng.size() <= ComicExporter::kStripBudgetBytes);
        const QImage grid(out + QStringLiteral("/grid.png"));
        QCOMPARE(cornerBackdrop(strip).isEmpty(), !visible); // the strip's corner is paper without the label
        for (const QImage &image : {strip, grid}) {
            if (!visible)
                continue;
            const QRect backdrop = cornerBackdrop(image);
            QVERIFY(!backdrop.isEmpty());
            const int shorter = std::min(image.width(), image.height());
            QVERIFY2(inkHeight(image, backdrop) >= shorter * 0.05,
                     qPrintable(QStringLiteral("ink %1, shorter side %2").arg(inkHeight(image, backdrop)).arg(shorter)));
        }

        // The PDF: its page count, every caption as extractable text, the label in its XMP.
        const QString pdf = out + QLatin1Char('/') + ComicExporter::pdfFileName();
        const Tool info = run(QStringLiteral("pdfinfo"), {pdf});
        QVERIFY2(info.exitCode == 0, info.out.constData());
        const QRegularExpressionMatch pages =
            QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(QString::fromUtf8(info.out));
        QVERIFY(pages.hasMatch());
        QCOMPARE(pages.captured(1).toInt(), layout == int(ComicOptions::PdfLayout::Grid) ? 1 : kPanelCount);
        const Tool text = run(QStringLiteral("pdftotext"), {QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf,
                                                            QStringLiteral("-")});
        QVERIFY2(text.exitCode == 0, text.out.constData());
        const QString extracted = noSpace(QString::fromUtf8(text.out));
        QVERIFY2(extracted.contains(noSpace(story.project.title)), qPrintable(extracted.left(200)));
        for (const Panel &panel : story.project.panels)
            QVERIFY2(extracted.contains(noSpace(panel.caption)), qPrintable(panel.caption));
        const Tool meta = run(QStringLiteral("pdfinfo"), {QStringLiteral("-meta"), pdf});
        QVERIFY2(meta.exitCode == 0, meta.out.constData());
        const std::optional<ParsedLabel> pdfLabel = parseXmp(QString::fromUtf8(meta.out));
        QVERIFY2(pdfLabel, meta.out.constData());
        QCOMPARE(pdfLabel->sourceType, kComposite);
        const QString pdfId =
            QJsonDocument::fromJson(pdfLabel->tc260.toUtf8()).object().value(QStringLiteral("ProduceID")).toString();
        QVERIFY(!pdfId.isEmpty() && !ids.contains(pdfId));
        ids.insert(pdfId);

        // The CBZ: pages in reading order, each labelled; ComicInfo.xml agrees with them.
        const QString cbz = out + QLatin1Char('/') + ComicExporter::cbzFileName();
        const Tool test = run(QStringLiteral("unzip"), {QStringLiteral("-tq"), cbz});
        QVERIFY2(test.exitCode == 0, test.out.constData());
        const Tool list = run(QStringLiteral("unzip"), {QStringLiteral("-Z1"), cbz});
        QStringList entries = QString::fromUtf8(list.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(entries.removeOne(QStringLiteral("ComicInfo.xml")));
        QStringList sorted = entries;
        sorted.sort();
        QCOMPARE(entries, sorted); // the archive order is the reading order
        QCOMPARE(entries.size(), kPanelCount + 1); // the cover, then a page per panel
        QVector<QSize> pageSizes;
        for (const QString &entry : entries) {
            const QByteArray png = run(QStringLiteral("unzip"), {QStringLiteral("-p"), cbz, entry}).out;
            checkPng(png, entry, kComposite);
            pageSizes.append(QImage::fromData(png).size());
            QCOMPARE(cornerBackdrop(QImage::fromData(png)).isEmpty(), !visible);
        }
        const QByteArray comicInfo =
            run(QStringLiteral("unzip"), {QStringLiteral("-p"), cbz, QStringLiteral("ComicInfo.xml")}).out;
        QXmlStreamReader xml(comicInfo);
        QHash<QString, QString> fields;
        QVector<QSize> described;
        int pageIndex = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("Page")) {
                const auto a = xml.attributes();
                QCOMPARE(a.value(QStringLiteral("Image")).toInt(), pageIndex++);
                described.append(QSize(a.value(QStringLiteral("ImageWidth")).toInt(),
                                       a.value(QStringLiteral("ImageHeight")).toInt()));
            } else if (xml.name() != QLatin1String("ComicInfo") && xml.name() != QLatin1String("Pages")) {
                const QString name = xml.name().toString();
                fields.insert(name, xml.readElementText());
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(fields.value(QStringLiteral("Title")), story.project.title);
        QCOMPARE(fields.value(QStringLiteral("Writer")), story.project.teamName);
        QCOMPARE(fields.value(QStringLiteral("PageCount")).toInt(), entries.size());
        QCOMPARE(fields.value(QStringLiteral("LanguageISO")), QStringLiteral("zh"));
        QCOMPARE(fields.value(QStringLiteral("Manga")), QStringLiteral("No"));
        QVERIFY(fields.value(QStringLiteral("Summary")).contains(story.project.panels[0].caption));
        QVERIFY(fields.value(QStringLiteral("Notes")).contains(QStringLiteral("Kolors")));
        QVERIFY(fields.value(QStringLiteral("Notes")).contains(QStringLiteral("LoRA")));
        QCOMPARE(described, pageSizes);
    }

    void refusesUnknownFormats()
    {
        QString error;
        QVERIFY(!ComicOptions::fromFormatList(QStringLiteral("pdf,epub"), &error));
        QVERIFY(error.contains(QStringLiteral("epub")));
        QVERIFY(!ComicOptions::fromFormatList(QStringLiteral(" , "), &error));
        QVERIFY(ComicOptions::pdfLayoutFromName(QStringLiteral("pages")) == ComicOptions::PdfLayout::PanelPerPage);
        QVERIFY(!ComicOptions::pdfLayoutFromName(QStringLiteral("spread")));
    }
};

QTEST_MAIN(TestComicExport)
#include "tst_comic_export.moc"
