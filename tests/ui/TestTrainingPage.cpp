// The Train LoRA page: images kept and refused with a reason each (hostile files included), captions from .txt
// files, metadata.csv and "one for all", the DiffSynth folder it writes for the trainer, refusals before a start,
// and the one worker shared with rendering: a start waits for the render queue, and renders are refused while a
// training runs. Uses the scripted render engine, so it runs with or without the engine.
#include "FakeRenderEngine.h"
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/Translator.h"
#include "ui/render/RenderQueue.h"
#include "ui/StoryDocument.h"

#include "story/LoraFacts.h"
#include "ui/training/TrainingDataPanel.h"
#include "ui/training/TrainingPage.h"
#include "ui/training/TrainingSettingsForm.h"
#include "ui/training/TrainingWorker.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace studio;
using namespace studio::ui;
using studio::ui::test::FakeRenderEngine;
using studio::ui::test::FakeScript;

namespace {

constexpr int kWaitMs = 30000;

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A folder of 64x64 images: two good ones with .txt captions, a byte-identical copy, a 0-byte file and a PNG cut
// in half.
QString writeImageFolder(const QString &dir)
{
    QDir().mkpath(dir);
    for (int i = 0; i < 2; ++i) {
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(QColor::fromHsv(i * 120, 200, 200));
        image.save(dir + QStringLiteral("/a%1.png").arg(i));
        writeFile(dir + QStringLiteral("/a%1.txt").arg(i), QStringLiteral("二次元，图 %1\n").arg(i).toUtf8());
    }
    QFile::copy(dir + QStringLiteral("/a0.png"), dir + QStringLiteral("/b-copy.png"));
    writeFile(dir + QStringLiteral("/c-empty.png"), QByteArray());
    QImage noise(256, 256, QImage::Format_RGB888);
    for (int y = 0; y < 256; ++y)
        for (int x = 0; x < 256; ++x)
            noise.setPixel(x, y, qRgb((x * 7 + y * 13) % 256, (x * y) % 256, (x ^ y) % 256));
    noise.save(dir + QStringLiteral("/d-cut.png"));
    const QByteArray whole = readAll(dir + QStringLiteral("/d-cut.png"));
    writeFile(dir + QStringLiteral("/d-cut.png"), whole.left(whole.size() / 2));
    return dir;
}

QString writeStory(const QString &dir)
{
    story::Project project;
    for (int i = 0; i < story::kPanelCount; ++i) {
        project.panels[i].prompt = QStringLiteral("panel %1").arg(i + 1);
        project.panels[i].width = project.panels[i].height = 64;
        project.panels[i].steps = 3;
    }
    project.modelFolder = QStringLiteral("/models/fake-kolors");
    const QString path = dir + QStringLiteral("/story.json");
    QString error;
    return story::ProjectFile::save(project, path, &error) ? path : QString();
}

} // namespace

class TestTrainingPage : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<FakeScript> m_script;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>(std::make_unique<FakeRenderEngine>(m_script));
        window->openFile(writeStory(m_dir->path()));
        return window;
    }

    static void load(TrainingDataPanel *panel, const QString &folder)
    {
        QSignalSpy changed(panel, &TrainingDataPanel::dataChanged);
        panel->loadFolder(folder);
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() == 1, kWaitMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        studio::ui::test::enterTestMode(QStringLiteral("storyboard-studio-training-tests"));
    }

    void init()
    {
        studio::ui::test::resetStudioState();
        m_script = std::make_shared<FakeScript>();
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void keptAndRefusedWithReasons()
    {
        auto w = makeWindow();
        TrainingPage *page = w->trainingPage();
        load(page->dataPanel(), writeImageFolder(m_dir->filePath(QStringLiteral("images"))));
        const auto &items = page->dataPanel()->dataSet().items();
        QCOMPARE(items.size(), 5);
        QStringList kept, refused;
        for (const auto &item : items)
            (item.kept ? kept : refused) << item.name + QLatin1Char(' ') + item.reason;
        QCOMPARE(kept.size(), 2);
        QVERIFY(kept[0].startsWith(QStringLiteral("a0.png")));
        QVERIFY(kept[1].startsWith(QStringLiteral("a1.png")));
        QCOMPARE(refused.size(), 3);
        QVERIFY2(refused[0].contains(QStringLiteral("same image as sample 0")), qPrintable(refused[0]));
        QVERIFY2(refused[1].contains(QStringLiteral("c-empty.png")) && refused[1].contains(QStringLiteral("cannot read")),
                 qPrintable(refused[1]));
        QVERIFY2(refused[2].contains(QStringLiteral("d-cut.png")) && refused[2].contains(QStringLiteral("ends early")),
                 qPrintable(refused[2]));
        QCOMPARE(items[0].caption, QStringLiteral("二次元，图 0"));
        QCOMPARE(page->dataPanel()->dataSet().captionSource(), QStringLiteral(".txt files"));
        QCOMPARE(page->dataPanel()->findChild<QTableWidget *>(QStringLiteral("trainingImages"))->rowCount(), 5);
    }

    void captionsAndTheTrainingFolder()
    {
        auto w = makeWindow();
        TrainingPage *page = w->trainingPage();
        const QString folder = writeImageFolder(m_dir->filePath(QStringLiteral("images")));
        load(page->dataPanel(), folder);
        // Edit one caption in the table: it is what the training folder gets.
        auto *table = page->dataPanel()->findChild<QTableWidget *>(QStringLiteral("trainingImages"));
        table->item(1, 2)->setText(QStringLiteral("say \"hi\", twice"));
        QStringList problems;
        QString error;
        const QString out = m_dir->filePath(QStringLiteral("ds"));
        QVERIFY2(page->dataPanel()->dataSet().writeTrainingFolder(out, &problems, &error), qPrintable(error));
        QCOMPARE(readAll(out + QStringLiteral("/train/metadata.csv")),
                 QByteArray("\xEF\xBB\xBF" "file_name,text\n0.png,二次元，图 0\n1.png,\"say \"\"hi\"\", twice\"\n"));
        QCOMPARE(readAll(out + QStringLiteral("/train/1.png")), readAll(folder + QStringLiteral("/a1.png")));

        // One caption for all.
        page->dataPanel()->setAllCaptions(QStringLiteral("二次元"));
        QCOMPARE(page->dataPanel()->dataSet().items()[1].caption, QStringLiteral("二次元"));

        // A folder whose metadata.csv has a quote that never closes: refused, naming the line.
        const QString broken = m_dir->filePath(QStringLiteral("broken"));
        writeImageFolder(broken);
        writeFile(broken + QStringLiteral("/metadata.csv"), "file_name,text\na0.png,ok\na1.png,\"open\n");
        QSignalSpy failed(page->dataPanel(), &TrainingDataPanel::loadFailed);
        page->dataPanel()->loadFolder(broken);
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, kWaitMs);
        QVERIFY2(failed[0][0].toString().contains(QStringLiteral("line 3")), qPrintable(failed[0][0].toString()));
        QCOMPARE(page->dataPanel()->dataSet().items().size(), 5); // the last good data stays
    }

    void startIsRefusedWithAReason()
    {
        auto w = makeWindow();
        TrainingPage *page = w->trainingPage();
        QString why;
        QVERIFY(!page->start(&why));
        QVERIFY(!why.isEmpty());
        if (!TrainingWorker::isAvailable())
            return; // the reason is "no engine"
        page->setModelDir(QString(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny"));
        QVERIFY(!page->start(&why)); // no images yet
        QVERIFY2(why.contains(QStringLiteral("caption")), qPrintable(why));
        page->setOutputPath(m_dir->filePath(QStringLiteral("training/lora.ckpt")));
        load(page->dataPanel(), writeImageFolder(m_dir->filePath(QStringLiteral("images"))));
        QVERIFY(!page->resume(&why)); // nothing stopped yet
        QVERIFY2(why.contains(QStringLiteral("resume")), qPrintable(why));
    }

    // Rendering and training share one worker: a start waits for the queue, renders wait for the training.
    void oneWorkerForRendersAndTraining()
    {
        if (!TrainingWorker::isAvailable())
            QSKIP("this build has no engine: training cannot start (covered by startIsRefusedWithAReason)");
        auto w = makeWindow();
        TrainingPage *page = w->trainingPage();
        page->setModelDir(QString(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny"));
        page->setOutputPath(m_dir->filePath(QStringLiteral("training/lora.ckpt")));
        load(page->dataPanel(), writeImageFolder(m_dir->filePath(QStringLiteral("images"))));

        m_script->hold = true;
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(w->renderQueue()->runningPanel() == 0, kWaitMs);
        QSignalSpy started(page, &TrainingPage::trainingStarted);
        QSignalSpy ended(page, &TrainingPage::trainingEnded);
        QString why;
        QVERIFY2(page->start(&why), qPrintable(why));
        QVERIFY(page->isWaitingForRenders());
        QCOMPARE(started.count(), 0);
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, kWaitMs);
        // While it trains (or until it has failed), the queue says why it does not render.
        if (page->isTraining()) {
            QVERIFY(!w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render, &why));
            QVERIFY2(why.contains(QStringLiteral("trained")), qPrintable(why));
        }
        page->stop();
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 300000);
        QVERIFY(!page->isTraining());
        QVERIFY(w->renderQueue()->occupiedWhy().isEmpty());
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render, &why));
    }

    // A real (tiny) run: two steps with the bundled random-weight model; the chart gets both losses, the file
    // becomes the story's LoRA in one undo step, and its facts (read as the card reads them) say how it was made.
    void finishedRunBecomesTheStorysLora()
    {
        if (!TrainingWorker::isAvailable())
            QSKIP("this build has no engine: training cannot start (covered by startIsRefusedWithAReason)");
        auto w = makeWindow();
        TrainingPage *page = w->trainingPage();
        page->setModelDir(QString(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny"));
        page->setOutputPath(m_dir->filePath(QStringLiteral("training/lora.ckpt")));
        TrainingJob settings;
        settings.steps = 2;
        settings.resolution = 64;
        settings.rank = 4;
        settings.alpha = 4;
        settings.precision = QStringLiteral("fp32");
        settings.device = QStringLiteral("cpu");
        settings.saveEvery = 0;
        settings.sampleEvery = 0;
        page->settingsForm()->setValues(settings);
        load(page->dataPanel(), writeImageFolder(m_dir->filePath(QStringLiteral("images"))));
        QSignalSpy ended(page, &TrainingPage::trainingEnded);
        QString why;
        QVERIFY2(page->start(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 600000);
        QVERIFY2(ended[0][0].toBool(), qPrintable(ended[0][1].toString()));
        QCOMPARE(page->lossPointCount(), 2);
        QVERIFY(QFileInfo::exists(page->lastLoraPath()));

        QVERIFY2(page->useAsStoryLora(&why), qPrintable(why));
        const QString stored = w->document()->project().lora.path;
        QVERIFY2(stored == QStringLiteral("training/lora.ckpt"), qPrintable(stored)); // inside the story folder
        w->document()->undoStack()->undo();
        QVERIFY(w->document()->project().lora.path.isEmpty());

        const std::optional<story::LoraFacts> facts = story::LoraFacts::inspect(page->lastLoraPath(), &why);
        QVERIFY2(facts && facts->training, qPrintable(why));
        QCOMPARE(facts->training->imageCount, 2);
        QCOMPARE(facts->training->rank, 4);
        QCOMPARE(facts->training->steps, 2);
        QCOMPARE(facts->training->resolution, 64);
        QVERIFY2(facts->training->dataPreparation.contains(QStringLiteral("kept 2 of 5")),
                 qPrintable(facts->training->dataPreparation));
    }
};

QTEST_MAIN(TestTrainingPage)
#include "TestTrainingPage.moc"
