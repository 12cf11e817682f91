// The studio rendering with the real Kolors engine and the bundled tiny model (random weights, 64x64, a few
// steps): render all 8 panels of the example story, regenerate one with a new seed, the error paths (no model,
// broken model) the worker survives, drop-to-restore, variants with undo and export, the aesthetic score and the
// token counter. Built only with the engine. Stopping mid-run and after a panel is tested with the fake engine's
// hold in TestRenderQueue, where the stop surely lands mid-run (no 400-step render that merely hopes so).
#include "StoryboardProcess.h"
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/ModelSettingsDialog.h"
#include "ui/PanelBoard.h"
#include "ui/PanelEditor.h"
#include "ui/PanelThumbnail.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/render/EngineSupport.h"
#include "ui/render/RenderQueue.h"

#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QStandardItemModel>
#include <QJsonDocument>
#include <QLabel>
#include <QMimeData>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

#include <cmath>
#include <memory>

using namespace studio;
using namespace studio::ui;

namespace {

using studio_test::copyTree;

constexpr int kRenderTimeoutMs = 300000; // the CPU may be shared; never a timing assertion, only a ceiling

QString tinyModel()
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny");
}

QImage rgb(const QString &path)
{
    return QImage(path).convertToFormat(QImage::Format_RGB888);
}

} // namespace

class TestRendering : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_storyPath;

    // The example story copied into a temporary folder, made small and quick: 64x64, `steps` steps, the tiny
    // model.
    QString prepareStory(int steps = 2)
    {
        const QString dir = m_dir->filePath(QStringLiteral("lantern-festival"));
        if (!copyTree(QStringLiteral(STUDIO_SOURCE_DIR "/examples/lantern-festival"), dir))
            return {};
        const QString path = dir + QStringLiteral("/story.json");
        QString error;
        std::optional<story::Project> project = story::ProjectFile::load(path, &error);
        if (!project) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        for (story::Panel &panel : project->panels) {
            panel.width = panel.height = 64;
            panel.steps = steps;
        }
        project->modelFolder = tinyModel();
        return story::ProjectFile::save(*project, path, &error) ? path : QString();
    }

    std::unique_ptr<MainWindow> makeWindow(int steps = 2)
    {
        auto window = std::make_unique<MainWindow>();
        window->show();
        m_storyPath = prepareStory(steps);
        if (m_storyPath.isEmpty() || !window->openFile(m_storyPath))
            qFatal("cannot open the example story");
        return window;
    }

    static bool idle(MainWindow *w) { return !w->renderQueue()->isBusy(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("StoryboardStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("storyboard-studio-rendering-tests"));
    }

    void init()
    {
        AppSettings::createTempFileInstance();
        QDir(AutosaveManager::autosaveDir()).removeRecursively();
        MessageBox::resetTestState();
        Translator::install(QStringLiteral("en"));
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void rendersAllEightPanels()
    {
        auto w = makeWindow(3);
        StoryDocument *doc = w->document();
        const story::Project before = doc->project();
        QSignalSpy progress(w->renderQueue(), &RenderQueue::panelProgress);
        QSignalSpy preview(w->renderQueue(), &RenderQueue::panelPreview);
        QVERIFY(w->renderAll());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QVERIFY2(w->renderQueue()->lastError().isEmpty(), qPrintable(w->renderQueue()->lastError()));
        QCOMPARE(progress.count(), 8 * 3);
        QVERIFY(preview.count() >= 8); // live previews and each finished image
        for (int i = 0; i < story::kPanelCount; ++i) {
            QCOMPARE(doc->panelState(i), PanelState::Done);
            const story::Panel &panel = doc->project().panels[i];
            QCOMPARE(panel.variants.size(), before.panels[i].variants.size() + 1);
            QCOMPARE(panel.chosenVariant, int(panel.variants.size()) - 1);
            const story::PanelVariant &v = panel.variants.constLast();
            QCOMPARE(v.seed, before.panels[i].seed);
            QCOMPARE(v.parameters.value(QStringLiteral("steps")).toInt(), 3);
            QCOMPARE(v.parameters.value(QStringLiteral("width")).toInt(), 64);
            QCOMPARE(v.parameters.value(QStringLiteral("sampler")).toString(), before.panels[i].sampler);
            QCOMPARE(v.parameters.value(QStringLiteral("prompt")).toString(), before.effectivePrompt(i));
            QCOMPARE(v.parameters.value(QStringLiteral("device")).toString(), QStringLiteral("cpu"));
            QCOMPARE(v.parameters.value(QStringLiteral("model")).toString(), QStringLiteral("kolors-tiny"));
            const QImage image = rgb(doc->chosenImagePath(i));
            QCOMPARE(image.size(), QSize(64, 64));
            QVERIFY(w->board()->thumbnail(i)->hasImage());
            // The PNG says what made it: A1111 text and our chunk with every parameter.
            QString error;
            const auto chunks = story::PngMetadata::readTextChunks(doc->chosenImagePath(i), &error);
            QVERIFY2(chunks, qPrintable(error));
            const auto ours = story::PngMetadata::find(*chunks, story::PanelMetadata::chunkKeyword());
            QVERIFY(ours);
            const QJsonObject json = QJsonDocument::fromJson(ours->toUtf8()).object();
            QCOMPARE(json.value(QStringLiteral("seed")).toDouble(), double(before.panels[i].seed));
            QVERIFY(story::PngMetadata::find(*chunks, story::PanelMetadata::parametersKeyword())
                        ->contains(QStringLiteral("Seed: %1").arg(before.panels[i].seed)));
        }
        // The story on disk has them once saved.
        QVERIFY(w->save());
        QString error;
        QCOMPARE(story::ProjectFile::load(m_storyPath, &error)->panels, doc->project().panels);
    }

    // One render flow, two front ends (story::PanelRender + bridge::PanelGeneration): the same panel rendered by the
    // studio and by `storyboard render` on a copy of the same story asks for the same (hires fix included), names
    // the image the same way and records the same parameters and metadata; only the time and duration differ.
    void studioAndCliRenderAPanelAlike()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setPanelField(1, PanelField::HiresEnabled, true); // the CLI once rendered without it
        doc->setPanelField(1, PanelField::HiresScale, 1.5);
        QVERIFY(w->save());
        const QString cliDir = m_dir->filePath(QStringLiteral("cli-copy"));
        QVERIFY(copyTree(QFileInfo(m_storyPath).absolutePath(), cliDir));
        const QString cliStory = cliDir + QStringLiteral("/story.json");

        w->board()->setCurrentPanel(1);
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QVERIFY2(w->renderQueue()->lastError().isEmpty(), qPrintable(w->renderQueue()->lastError()));
        const studio_test::CliRun run = studio_test::storyboard({QStringLiteral("render"), cliStory,
                                                                 QStringLiteral("--model"), tinyModel(),
                                                                 QStringLiteral("--panels"), QStringLiteral("2"),
                                                                 QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QString error;
        const std::optional<story::Project> cli = story::ProjectFile::load(cliStory, &error);
        QVERIFY2(cli, qPrintable(error));

        const story::Panel &studioPanel = doc->project().panels[1];
        const story::Panel &cliPanel = cli->panels[1];
        QCOMPARE(cliPanel.variants.size(), studioPanel.variants.size());
        QCOMPARE(cliPanel.chosenVariant, studioPanel.chosenVariant);
        const story::PanelVariant &a = *studioPanel.chosen();
        const story::PanelVariant &b = *cliPanel.chosen();
        const QRegularExpression name(QStringLiteral("^images/panel-02/%1-\\d{8}T\\d{9}Z\\.png$").arg(studioPanel.seed));
        QVERIFY2(name.match(a.path).hasMatch(), qPrintable(a.path));
        QVERIFY2(name.match(b.path).hasMatch(), qPrintable(b.path));
        QCOMPARE(a.seed, b.seed);
        auto timeless = [](QJsonObject parameters) {
            parameters.remove(QStringLiteral("seconds"));
            return parameters;
        };
        QCOMPARE(timeless(a.parameters), timeless(b.parameters));
        QVERIFY(a.parameters.contains(QStringLiteral("hires")));
        QCOMPARE(a.parameters.value(QStringLiteral("model")).toString(), QStringLiteral("kolors-tiny"));

        const QString studioImage = doc->chosenImagePath(1);
        const QString cliImage = cliDir + QLatin1Char('/') + b.path;
        QCOMPARE(rgb(cliImage).size(), rgb(studioImage).size());
        QVERIFY(rgb(studioImage).width() > 64); // the hires pass ran in both
        // The PNG text: the A1111 parameters and our JSON, with this image chosen, alike but for time and duration.
        auto chunksOf = [](const QString &path, QString *text, QJsonObject *json) {
            QString why;
            const auto chunks = story::PngMetadata::readTextChunks(path, &why);
            if (!chunks)
                return false;
            *text = story::PngMetadata::find(*chunks, story::PanelMetadata::parametersKeyword()).value_or(QString());
            *json = QJsonDocument::fromJson(
                        story::PngMetadata::find(*chunks, story::PanelMetadata::chunkKeyword()).value_or(QString()).toUtf8())
                        .object();
            json->remove(QStringLiteral("createdAt"));
            QJsonObject engine = json->value(QStringLiteral("engine")).toObject();
            engine.remove(QStringLiteral("seconds"));
            json->insert(QStringLiteral("engine"), engine);
            return !text->isEmpty() && !json->isEmpty();
        };
        QString studioText, cliText;
        QJsonObject studioJson, cliJson;
        QVERIFY(chunksOf(studioImage, &studioText, &studioJson));
        QVERIFY(chunksOf(cliImage, &cliText, &cliJson));
        QCOMPARE(cliText, studioText);
        QCOMPARE(cliJson, studioJson);
        QVERIFY(studioJson.value(QStringLiteral("engine")).toObject().contains(QStringLiteral("hires")));
    }

    void regeneratesOnePanelWithANewSeed()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setPanelField(2, PanelField::SeedMode, int(story::SeedMode::Increment));
        const story::Project before = doc->project();
        w->board()->setCurrentPanel(2);
        QVERIFY(w->regenerateCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        const story::Panel &panel = doc->project().panels[2];
        QCOMPARE(panel.seed, before.panels[2].seed + 1);
        QCOMPARE(panel.variants.constLast().seed, panel.seed);
        QCOMPARE(panel.variants.size(), before.panels[2].variants.size() + 1);
        for (int i = 0; i < story::kPanelCount; ++i) {
            if (i != 2)
                QCOMPARE(doc->project().panels[i], before.panels[i]); // the others are untouched
        }
        // The same seed gives the same image; the new seed a different one.
        const QImage regenerated = rgb(doc->chosenImagePath(2));
        doc->setPanelField(2, PanelField::SeedMode, int(story::SeedMode::Fixed));
        QVERIFY(w->regenerateCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(doc->project().panels[2].seed, before.panels[2].seed + 1);
        QCOMPARE(rgb(doc->chosenImagePath(2)), regenerated);
    }

    void withoutAModelRenderSaysWhy()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setStoryField(StoryField::ModelFolder, QString());
        QVERIFY(!w->renderAll());
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("No Kolors model folder is set")),
                 qPrintable(MessageBox::lastText()));
        QVERIFY(w->findChild<QWidget *>(QStringLiteral("modelBanner"))->isVisible());
        // Everything else still works: editing, undo, saving.
        doc->setPanelField(0, PanelField::Prompt, QStringLiteral("a rabbit lantern"));
        QVERIFY(w->save());
        // A folder without the UNet config: the engine's exact message.
        const QString incomplete = m_dir->filePath(QStringLiteral("incomplete"));
        QVERIFY(copyTree(tinyModel(), incomplete));
        QVERIFY(QFile::remove(incomplete + QStringLiteral("/unet/config.json")));
        doc->setStoryField(StoryField::ModelFolder, incomplete);
        QVERIFY(!w->renderAll());
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("unet/config.json")),
                 qPrintable(MessageBox::lastText()));
        QVERIFY(!w->renderQueue()->isBusy());
    }

    void brokenModelFailsAndTheNextJobRuns()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        const QString broken = m_dir->filePath(QStringLiteral("broken"));
        QVERIFY(copyTree(tinyModel(), broken));
        {
            QFile weights(broken + QStringLiteral("/unet/diffusion_pytorch_model.safetensors"));
            QVERIFY(weights.open(QIODevice::WriteOnly | QIODevice::Truncate));
            weights.write(QByteArray("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13));
        }
        doc->setStoryField(StoryField::ModelFolder, broken);
        QSignalSpy modelFailed(w->renderQueue(), &RenderQueue::modelFailed);
        QVERIFY(w->renderAll());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(modelFailed.count(), 1);
        const QString message = modelFailed.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("diffusion_pytorch_model.safetensors")), qPrintable(message));
        QCOMPARE(doc->panelState(0), PanelState::Failed);
        for (int i = 1; i < story::kPanelCount; ++i)
            QCOMPARE(doc->panelState(i), PanelState::Cancelled);
        // The worker survived: with the good model the next job runs.
        doc->setStoryField(StoryField::ModelFolder, tinyModel());
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
    }

    // The story's LoRA is merged for rendering (the same seed gives another image than without it) and the
    // variant records file, format and effective scale; a LoRA the engine refuses stops the queue with a message
    // that names it, and without it the next job runs.
    void appliesTheStorysLora()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        const QImage plain = rgb(doc->chosenImagePath(0));

        const QString storyDir = QFileInfo(m_storyPath).absolutePath();
        QVERIFY(QFile::copy(tinyModel() + QStringLiteral("/lora/lora_kohya.safetensors"),
                            storyDir + QStringLiteral("/style.safetensors")));
        doc->setStoryField(StoryField::LoraPath, QStringLiteral("style.safetensors"));
        doc->setStoryField(StoryField::LoraScale, 0.5);
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QVERIFY2(w->renderQueue()->lastError().isEmpty(), qPrintable(w->renderQueue()->lastError()));
        const story::PanelVariant &v = doc->project().panels[0].variants.constLast();
        QCOMPARE(v.seed, doc->project().panels[0].variants.constFirst().seed);
        const QJsonObject lora = v.parameters.value(QStringLiteral("lora")).toObject();
        QCOMPARE(lora.value(QStringLiteral("file")).toString(), QStringLiteral("style.safetensors"));
        QCOMPARE(lora.value(QStringLiteral("format")).toString(), QStringLiteral("kohya"));
        QCOMPARE(lora.value(QStringLiteral("scale")).toDouble(), 0.5);
        QCOMPARE(lora.value(QStringLiteral("effectiveScale")).toDouble(), 0.5 * 3.0 / 4.0); // alpha 3, rank 4
        QVERIFY(rgb(doc->chosenImagePath(0)) != plain);

        {
            QFile garbage(storyDir + QStringLiteral("/style.safetensors"));
            QVERIFY(garbage.open(QIODevice::WriteOnly | QIODevice::Truncate));
            garbage.write("not a LoRA");
        }
        doc->setStoryField(StoryField::LoraScale, 1.0); // a new scale: the LoRA is checked again
        const int variants = int(doc->project().panels[0].variants.size());
        QSignalSpy modelFailed(w->renderQueue(), &RenderQueue::modelFailed);
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(modelFailed.count(), 1);
        const QString message = modelFailed.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("LoRA")) && message.contains(QStringLiteral("style.safetensors")),
                 qPrintable(message));
        QCOMPARE(int(doc->project().panels[0].variants.size()), variants);

        doc->setStoryField(StoryField::LoraPath, QString());
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(rgb(doc->chosenImagePath(0)), plain); // the LoRA is out again, bit for bit
    }

    void droppedPngsRestoreThePanel_data()
    {
        QTest::addColumn<QString>("keyword");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<qint64>("seed");
        QTest::addColumn<int>("steps");
        QTest::addColumn<double>("cfg");
        QTest::addColumn<QString>("sampler");
        QTest::newRow("A1111") << QStringLiteral("parameters")
                               << QStringLiteral("灯笼, lantern\nNegative prompt: blurry\nSteps: 28, Sampler: Euler a, "
                                                 "Schedule type: Automatic, CFG scale: 6, Seed: 77, Size: 64x64, "
                                                 "Model hash: 0123456789, Model: kolors, Version: v1.10.1")
                               << QStringLiteral("灯笼, lantern") << qint64(77) << 28 << 6.0
                               << QStringLiteral("euler_a");
        QTest::newRow("sd.cpp") << QStringLiteral("parameters")
                                << QStringLiteral(
                                       "a paper rabbit lantern\nNegative prompt: text\nSteps: 20, CFG scale: "
                                       "7, Guidance: 3.5, Eta: 0, Seed: 1234, Size: 64x64, Model: "
                                       "kolors.safetensors, RNG: cuda, Sampler RNG: cuda, Sampler: euler")
                                << QStringLiteral("a paper rabbit lantern") << qint64(1234) << 20 << 7.0
                                << QStringLiteral("euler");
        QTest::newRow("Fooocus") << QStringLiteral("parameters")
                                 << QStringLiteral("{\"prompt\": \"moon festival\", \"negative_prompt\": \"\", "
                                                   "\"steps\": 30, \"guidance_scale\": 4.5, \"seed\": \"987\", "
                                                   "\"resolution\": \"(64, 64)\", \"sampler\": \"dpmpp_2m\", "
                                                   "\"scheduler\": \"karras\", \"version\": \"Fooocus v2.5.0\"}")
                                 << QStringLiteral("moon festival") << qint64(987) << 30 << 4.5
                                 << QStringLiteral("dpmpp_2m_karras");
    }

    void droppedPngsRestoreThePanel()
    {
        QFETCH(QString, keyword);
        QFETCH(QString, text);
        QFETCH(QString, prompt);
        QFETCH(qint64, seed);
        QFETCH(int, steps);
        QFETCH(double, cfg);
        QFETCH(QString, sampler);
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        const QString png = m_dir->filePath(QStringLiteral("dropped.png"));
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(Qt::darkRed);
        QVector<story::PngTextChunk> chunks{story::PngTextChunk::forValue(keyword, text)};
        if (text.startsWith(QLatin1Char('{')))
            chunks << story::PngTextChunk::forValue(QStringLiteral("fooocus_scheme"), QStringLiteral("fooocus"));
        QString error;
        QVERIFY(story::PngMetadata::writeImage(png, image, chunks, &error));
        const story::Panel before = doc->project().panels[6];
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(png)});
        // As a drag from a file manager arrives: enter (accepted for one PNG), then drop.
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w->board()->thumbnail(6), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w->board()->thumbnail(6), &drop);
        const story::Panel &p = doc->project().panels[6];
        QCOMPARE(p.prompt, prompt);
        QCOMPARE(p.seed, seed);
        QCOMPARE(p.steps, steps);
        QCOMPARE(p.cfgScale, cfg);
        QCOMPARE(p.sampler, sampler);
        QCOMPARE(p.variants, before.variants); // images untouched
        doc->undoStack()->undo();
        QCOMPARE(doc->project().panels[6], before);
    }

    void droppingOurOwnRenderRestoresItExactly()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setPanelField(0, PanelField::Seed, QVariant::fromValue<qint64>(31337));
        doc->setPanelField(0, PanelField::CfgScale, 3.5);
        doc->setPanelField(0, PanelField::Sampler, QStringLiteral("ddim"));
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        const story::Panel source = doc->project().panels[0];
        QVERIFY(w->restorePanelFromImage(5, doc->chosenImagePath(0)));
        const story::Panel &p = doc->project().panels[5];
        QCOMPARE(p.prompt, source.prompt); // the panel's own prompt, without the story's style words
        QCOMPARE(p.negativePrompt, source.negativePrompt);
        QCOMPARE(p.seed, qint64(31337));
        QCOMPARE(p.cfgScale, 3.5);
        QCOMPARE(p.sampler, QStringLiteral("ddim"));
        QCOMPARE(p.steps, source.steps);
        QCOMPARE(p.width, 64);
    }

    void variantsUndoAndExportUsesTheChosenOne()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setPanelField(0, PanelField::SeedMode, int(story::SeedMode::Increment));
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QVERIFY(w->regenerateCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        const int count = doc->project().panels[0].variants.size();
        QVERIFY(count >= 3);
        const QString last = doc->chosenImagePath(0);
        // Choose the first render (an undoable command), export, compare the exported panel with it.
        doc->chooseVariant(0, count - 2);
        const QString chosen = doc->chosenImagePath(0);
        QVERIFY(chosen != last);
        QSignalSpy exported(w.get(), &MainWindow::exportFinished);
        const QString out = m_dir->filePath(QStringLiteral("export"));
        QVERIFY(w->exportTo(out));
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), kRenderTimeoutMs);
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        QCOMPARE(rgb(out + QStringLiteral("/panels/01.png")), rgb(chosen));
        doc->undoStack()->undo(); // the choice
        QCOMPARE(doc->chosenImagePath(0), last);
        doc->undoStack()->undo(); // the regenerate
        doc->undoStack()->undo(); // the render
        QCOMPARE(doc->project().panels[0].variants.size(), count - 2);
        QVERIFY(QFileInfo::exists(last)); // undo never deletes an image
        QVERIFY(QFileInfo::exists(chosen));
    }

    void scoresEveryRenderWithTheAestheticPredictor()
    {
        AppSettings::instance()->set(Setting::AestheticModelFolder,
                                     QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/aesthetic-tiny"));
        auto w = makeWindow();
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        const QJsonValue score =
            w->document()->project().panels[0].variants.constLast().parameters.value(QStringLiteral("aestheticScore"));
        QVERIFY(score.isDouble());
        QVERIFY(std::isfinite(score.toDouble()));
        QCOMPARE(w->board()->thumbnail(0)->score(), std::optional<double>(score.toDouble()));
        QVERIFY(w->findChild<QLabel *>(QStringLiteral("aestheticLabel"))->text().contains(QStringLiteral("1 of 8")));
    }

    void modelSettingsFindKolorsInsideAComfyUiTree()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        // A ComfyUI installation with Kolors under models/diffusers: choosing the installation is enough.
        const QString comfy = m_dir->filePath(QStringLiteral("ComfyUI"));
        QVERIFY(copyTree(tinyModel(), comfy + QStringLiteral("/models/diffusers/Kolors")));
        QVERIFY(QDir().mkpath(comfy + QStringLiteral("/models/checkpoints")));
        ModelSettingsDialog dialog(doc, w.get());
        auto *folder = dialog.findChild<QLineEdit *>(QStringLiteral("modelFolderEdit"));
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("modelFolderStatus"));
        QCOMPARE(QDir::fromNativeSeparators(folder->text()), tinyModel());
        QTRY_VERIFY2(status->text().contains(QStringLiteral("Kolors-diffusers layout")), qPrintable(status->text()));
        folder->setText(comfy);
        Q_EMIT folder->editingFinished();
        // The walk through the installation runs on a pool thread: until its result is delivered (through the event
        // loop) the window says it is looking.
        QVERIFY2(status->text().contains(QStringLiteral("Looking")), qPrintable(status->text()));
        QTRY_COMPARE(QDir::fromNativeSeparators(folder->text()), comfy + QStringLiteral("/models/diffusers/Kolors"));
        QVERIFY2(status->text().contains(QStringLiteral("inside")), qPrintable(status->text()));
        // An incomplete folder: the engine's exact message.
        const QString incomplete = m_dir->filePath(QStringLiteral("incomplete"));
        QVERIFY(copyTree(tinyModel(), incomplete));
        QVERIFY(QFile::remove(incomplete + QStringLiteral("/vae/config.json")));
        folder->setText(incomplete);
        Q_EMIT folder->editingFinished();
        QTRY_VERIFY2(status->text().contains(QStringLiteral("vae/config.json")), qPrintable(status->text()));
        folder->setText(comfy);
        Q_EMIT folder->editingFinished();
        QTRY_VERIFY(!dialog.isCheckingModelFolder());

        // Device choices: CUDA is offered only when it is there, with the reason when it is not.
        auto *device = dialog.findChild<QComboBox *>(QStringLiteral("deviceCombo"));
        auto *model = qobject_cast<QStandardItemModel *>(device->model());
        const bool cuda = EngineSupport::cudaAvailable();
        QCOMPARE(model->item(device->findData(QStringLiteral("cuda")))->isEnabled(), cuda);
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("cudaNoteLabel"))->isVisibleTo(&dialog), !cuda);
        device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
        auto *tiling = dialog.findChild<QComboBox *>(QStringLiteral("vaeTilingCombo"));
        tiling->setCurrentIndex(tiling->findData(QStringLiteral("on")));
        // The low-VRAM placement choices: the render below runs with them (on the CPU, no-op moves).
        auto *textEncoder = dialog.findChild<QComboBox *>(QStringLiteral("textEncoderDeviceCombo"));
        auto *textModel = qobject_cast<QStandardItemModel *>(textEncoder->model());
        QCOMPARE(textModel->item(textEncoder->findData(QStringLiteral("cuda")))->isEnabled(), cuda);
        textEncoder->setCurrentIndex(textEncoder->findData(QStringLiteral("cpu")));
        auto *offload = dialog.findChild<QComboBox *>(QStringLiteral("unetOffloadCombo"));
        offload->setCurrentIndex(offload->findData(QStringLiteral("blocks")));
        dialog.findChild<QDoubleSpinBox *>(QStringLiteral("aestheticThresholdSpin"))->setValue(5.5);
        const int undoBefore = doc->undoStack()->count();
        // The LoRA is the story's: this dialog only says where it is set; the Story tab edits it.
        QVERIFY(!dialog.findChild<QLineEdit *>(QStringLiteral("loraPathEdit")));
        QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("loraNoteLabel"))->text().isEmpty());
        auto *storyTab = w->findChild<QWidget *>(QStringLiteral("storySettings")); // the folder is not the story's
        QVERIFY(storyTab && !storyTab->findChild<QLineEdit *>(QStringLiteral("modelFolderEdit")));
        QVERIFY(!storyTab->findChild<QLabel *>(QStringLiteral("modelFolderNote"))->text().isEmpty());
        doc->setStoryField(StoryField::LoraPath,
                           QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny/lora/lora_kohya.safetensors"));
        doc->setStoryField(StoryField::LoraScale, 0.125);
        // It fits a 1366x768 screen: the content scrolls instead of growing the dialog.
        QVERIFY2(dialog.height() <= ModelSettingsDialog::kMaxHeight, qPrintable(QString::number(dialog.height())));
        dialog.accept();

        QCOMPARE(doc->project().modelFolder, comfy + QStringLiteral("/models/diffusers/Kolors"));
        QCOMPARE(doc->project().lora.scale, 0.125);
        QVERIFY(doc->project().lora.path.endsWith(QStringLiteral("lora_kohya.safetensors")));
        QVERIFY(doc->undoStack()->count() > undoBefore); // the story's part is undoable
        AppSettings *app = AppSettings::instance();
        QCOMPARE(app->get(Setting::DefaultModelFolder).toString(), doc->project().modelFolder);
        QCOMPARE(app->get(Setting::RenderDevice).toString(), QStringLiteral("cpu"));
        QCOMPARE(app->get(Setting::VaeTiling).toString(), QStringLiteral("on"));
        QCOMPARE(app->get(Setting::AestheticThreshold).toDouble(), 5.5);
        const EngineSettings settings = w->renderQueue()->engineSettings();
        QCOMPARE(settings.device, RenderDevice::Cpu);
        QCOMPARE(settings.vaeTiling, RenderSwitch::On);
        QCOMPARE(app->get(Setting::TextEncoderDevice).toString(), QStringLiteral("cpu"));
        QCOMPARE(app->get(Setting::UNetOffload).toString(), QStringLiteral("blocks"));
        QCOMPARE(settings.textEncoderDevice, RenderDevice::Cpu);
        QVERIFY(settings.unetOffload);
        {
            ModelSettingsDialog reopened(doc, w.get()); // the choices come back as saved
            QCOMPARE(reopened.findChild<QComboBox *>(QStringLiteral("textEncoderDeviceCombo"))->currentData().toString(),
                     QStringLiteral("cpu"));
            QCOMPARE(reopened.findChild<QComboBox *>(QStringLiteral("unetOffloadCombo"))->currentData().toString(),
                     QStringLiteral("blocks"));
        }
        QCOMPARE(settings.loraScale, 0.125);
        // The folder found inside ComfyUI renders.
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kRenderTimeoutMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
    }

    void tokenCounterFollowsTheModel()
    {
        auto w = makeWindow();
        auto *label = w->findChild<QLabel *>(QStringLiteral("promptTokenLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 30000);
        const QRegularExpression counter(QStringLiteral("^(\\d+)/256$"));
        QTRY_VERIFY(counter.match(label->text()).hasMatch());
        const int tokens = counter.match(label->text()).captured(1).toInt();
        QVERIFY(tokens > 2);
        w->document()->setStoryField(StoryField::StylePrefix, QString());
        QTRY_VERIFY(counter.match(label->text()).captured(1).toInt() < tokens); // the style words count too
        w->document()->setStoryField(StoryField::ModelFolder, QString());
        QTRY_VERIFY(!label->isVisible()); // no model, no counter
    }
};

QTEST_MAIN(TestRendering)
#include "TestRendering.moc"
