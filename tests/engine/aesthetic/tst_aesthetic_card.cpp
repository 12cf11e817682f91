// The aesthetic scores on the LoRA card and the export warning for a mean below the threshold (core/story's card
// and exporter take the scores as an optional input; the studio passes what AestheticScorer computed).
#include "story/LoraCard.h"
#include "story/Project.h"
#include "story/StoryExporter.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

namespace {

// A story whose 8 panels each have a small image in the project folder.
Project storyWithImages(const QString &projectDir)
{
    Project project;
    project.title = QStringLiteral("scores");
    QDir(projectDir).mkpath(QStringLiteral("images"));
    for (int i = 0; i < kPanelCount; ++i) {
        Panel &panel = project.panels[size_t(i)];
        panel.prompt = QStringLiteral("panel %1").arg(i + 1);
        QImage image(64, 64, QImage::Format_RGB32);
        image.fill(QColor(20 * i, 100, 200));
        const QString relative = QStringLiteral("images/%1.png").arg(i + 1);
        image.save(projectDir + QLatin1Char('/') + relative);
        PanelVariant variant;
        variant.path = relative;
        panel.variants.append(variant);
        panel.chosenVariant = 0;
    }
    return project;
}

LoraCard::AestheticScores scores(double base)
{
    LoraCard::AestheticScores s;
    for (int i = 0; i < kPanelCount; ++i)
        s.panels[size_t(i)] = base + 0.01 * i;
    s.model = QStringLiteral("aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE");
    return s;
}

} // namespace

class TestAestheticCard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cardRecordsScoresAndMean()
    {
        Project project;
        project.title = QStringLiteral("t");
        QVERIFY(!LoraCard::markdown(project, std::nullopt).contains(QStringLiteral("Aesthetic score")));

        LoraCard::AestheticScores s = scores(6.2);
        s.panels[3].reset();
        const QString card = LoraCard::markdown(project, std::nullopt, QStringLiteral("grid.png"), s);
        QVERIFY(card.contains(QStringLiteral("## 美学评分 / Aesthetic score")));
        QVERIFY(card.contains(QStringLiteral("| 1 | 6.200 |")));
        QVERIFY(card.contains(QStringLiteral("| 4 | — (not scored")));
        QVERIFY(card.contains(QStringLiteral("| 8 | 6.270 |")));
        QCOMPARE(s.count(), kPanelCount - 1);
        QVERIFY(
            card.contains(QStringLiteral("| **Mean** | **%1** (7 of 8 panels) — passes").arg(*s.mean(), 0, 'f', 3)));
        QVERIFY(card.contains(QStringLiteral("aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE")));

        const QString low = LoraCard::markdown(project, std::nullopt, QStringLiteral("grid.png"), scores(5.5));
        QVERIFY(low.contains(QStringLiteral("below the threshold")));
    }

    void exportWarnsBelowTheThreshold()
    {
        QTemporaryDir dir;
        const QString projectDir = dir.filePath(QStringLiteral("project"));
        const Project project = storyWithImages(projectDir);
        for (const double base : {5.5, 6.5}) {
            ExportOptions options;
            options.aestheticScores = scores(base);
            ExportReport report;
            QString error;
            const QString out = dir.filePath(QStringLiteral("out-%1").arg(base));
            QVERIFY2(StoryExporter::exportStory(project, projectDir, out, options, &report, &error), qPrintable(error));
            const bool warned = report.warnings.join(QLatin1Char('\n')).contains(QStringLiteral("aesthetic"));
            QCOMPARE(warned, base < 6.0);
            QFile card(out + QStringLiteral("/README.md"));
            QVERIFY(card.open(QIODevice::ReadOnly));
            QVERIFY(QString::fromUtf8(card.readAll()).contains(QStringLiteral("Aesthetic score")));
        }
    }
};

QTEST_GUILESS_MAIN(TestAestheticCard)
#include "tst_aesthetic_card.moc"
