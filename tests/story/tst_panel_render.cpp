// The one render flow of `storyboard render` and the studio (story::PanelRender): the request a panel makes,
// where its image goes, that an earlier image is never replaced, and that the image's metadata describes the
// panel with that image chosen.
#include "story/PanelMetadata.h"
#include "story/PanelRender.h"
#include "story/PngMetadata.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

class TestPanelRender : public QObject
{
    Q_OBJECT

private:
    static Project storyWithPanelThree()
    {
        Project project;
        project.style.prefix = QStringLiteral("ink wash");
        project.style.negativePrompt = QStringLiteral("blurry");
        Panel &panel = project.panels[2];
        panel.prompt = QStringLiteral("a fox under the moon");
        panel.negativePrompt = QStringLiteral("text");
        panel.seed = 4242;
        panel.steps = 7;
        panel.cfgScale = 3.5;
        panel.sampler = QStringLiteral("dpmpp_2m");
        panel.width = 128;
        panel.height = 192;
        panel.hires.enabled = true;
        panel.hires.scale = 1.5;
        panel.hires.strength = 0.4;
        panel.hires.steps = 3;
        return project;
    }

private Q_SLOTS:
    void theRequestIsThePanelsWithTheStyleApplied()
    {
        const Project project = storyWithPanelThree();
        const PanelRenderSettings s = PanelRender::settingsFor(project, 2);
        QCOMPARE(s.prompt, project.effectivePrompt(2));
        QVERIFY(s.prompt.contains(QStringLiteral("ink wash")));
        QCOMPARE(s.negativePrompt, project.effectiveNegativePrompt(2));
        const Panel &panel = project.panels[2];
        QCOMPARE(s.seed, panel.seed);
        QCOMPARE(s.steps, panel.steps);
        QCOMPARE(s.cfgScale, panel.cfgScale);
        QCOMPARE(s.sampler, panel.sampler);
        QCOMPARE(s.width, panel.width);
        QCOMPARE(s.height, panel.height);
        QVERIFY(s.hires == panel.hires);
    }

    void imagesArePerPanelSeedAndTime()
    {
        const QDateTime when(QDate(2026, 3, 4), QTime(5, 6, 7, 89), Qt::UTC);
        QCOMPARE(PanelRender::relativePathFor(2, 4242, when),
                 QStringLiteral("images/panel-03/4242-20260304T050607089Z.png"));
    }

    void writingNeverReplacesAnEarlierImageAndDescribesThePanelWithIt()
    {
        QTemporaryDir dir;
        Project project = storyWithPanelThree();
        QImage image(16, 8, QImage::Format_RGB888);
        image.fill(QColor(10, 200, 30));
        const QString relative = QStringLiteral("images/panel-03/4242-x.png");
        const QJsonObject parameters{{QStringLiteral("seed"), 4242}};
        QString error;
        const auto first =
            PanelRender::writeImage(project, dir.path(), 2, relative, image, parameters, 4242, true, &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first->path, relative);
        QCOMPARE(first->seed, qint64(4242));
        QCOMPARE(first->parameters, parameters);
        QVERIFY(project.panels[2].variants.isEmpty()); // writing changes no story
        PanelRender::addChosenVariant(project, 2, *first);
        QCOMPARE(project.panels[2].chosenVariant, 0);

        const auto second =
            PanelRender::writeImage(project, dir.path(), 2, relative, image, parameters, 4242, true, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->path, QStringLiteral("images/panel-03/4242-x-2.png"));
        QVERIFY(QFileInfo::exists(dir.filePath(first->path)));

        const QImage read(dir.filePath(second->path));
        QCOMPARE(read.size(), image.size());
        QCOMPARE(read.pixelColor(3, 3), QColor(10, 200, 30));
        const auto chunks = PngMetadata::readTextChunks(dir.filePath(second->path), &error);
        QVERIFY2(chunks, qPrintable(error));
        Project chosen = project;
        PanelRender::addChosenVariant(chosen, 2, *second);
        const QVector<PngTextChunk> expected = PanelMetadata::chunks(chosen, 2, std::nullopt, true);
        QCOMPARE(chunks->size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE((*chunks)[i].keyword, expected[i].keyword);
            if (expected[i].keyword == PanelMetadata::chunkKeyword())
                QCOMPARE((*chunks)[i].text, expected[i].text);
        }
    }

    void aPathOutsideTheProjectIsRefused()
    {
        QTemporaryDir dir;
        QString error;
        QImage image(4, 4, QImage::Format_RGB888);
        image.fill(Qt::black);
        QVERIFY(!PanelRender::writeImage(Project(), dir.path(), 0, QStringLiteral("../outside.png"), image, {}, 1,
                                         true, &error));
        QVERIFY(error.contains(QStringLiteral("outside.png")));
        QVERIFY(!QFileInfo::exists(QDir(dir.path()).absoluteFilePath(QStringLiteral("../outside.png"))));
    }
};

QTEST_GUILESS_MAIN(TestPanelRender)
#include "tst_panel_render.moc"
