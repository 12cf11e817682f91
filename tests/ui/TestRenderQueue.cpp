// The render queue with a scripted engine: order, states, cancel of a queued job, "stop now", "stop after this
// panel", stale signals, out-of-memory retry, model failures the worker survives, regenerate with each seed
// mode, undo that keeps image files, drop-to-restore and the keyboard shortcuts. Deterministic and fast; the
// same flows with the real engine and the bundled tiny model are in TestRendering.cpp.
#include "FakeRenderEngine.h"
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/FileDialog.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/PanelBoard.h"
#include "ui/PanelEditor.h"
#include "ui/PanelThumbnail.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/render/GenerationWorker.h"
#include "ui/render/GracefulThreadDeleter.h"
#include "ui/render/RenderQueue.h"

#include "story/A1111Parameters.h"
#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

#include <memory>

using namespace studio;
using namespace studio::ui;
using studio::ui::test::FakeRenderEngine;
using studio::ui::test::FakeScript;

namespace {

constexpr int kWaitMs = 20000;

// A saved story with 8 prompts, 64x64 panels and 3 steps each; `withImages` gives every panel one image.
QString writeStory(const QString &dir, bool withImages)
{
    const QString path = withImages ? test::writeProjectWithImages(dir, 1, 64) : dir + QStringLiteral("/story.json");
    story::Project project;
    QString error;
    if (withImages) {
        project = *story::ProjectFile::load(path, &error);
    } else {
        for (int i = 0; i < story::kPanelCount; ++i) {
            project.panels[i].prompt = QStringLiteral("panel %1 prompt").arg(i + 1);
            project.panels[i].seed = 100 + i;
            project.panels[i].width = project.panels[i].height = 64;
        }
    }
    for (story::Panel &panel : project.panels)
        panel.steps = 3;
    project.modelFolder = QStringLiteral("/models/fake-kolors");
    return story::ProjectFile::save(project, path, &error) ? path : QString();
}

} // namespace

class TestRenderQueue : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<FakeScript> m_script;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<MainWindow> makeWindow(bool withImages = false, bool open = true)
    {
        auto window = std::make_unique<MainWindow>(std::make_unique<FakeRenderEngine>(m_script));
        window->show();
        if (open)
            window->openFile(writeStory(m_dir->path(), withImages));
        return window;
    }

    static QAction *action(QWidget *window, const char *name)
    {
        auto *a = window->findChild<QAction *>(QLatin1String(name));
        if (!a)
            qFatal("no action %s", name);
        return a;
    }

    static bool idle(MainWindow *w) { return !w->renderQueue()->isBusy(); }

private Q_SLOTS:
    void initTestCase()
    {
        studio::ui::test::enterTestMode(QStringLiteral("storyboard-studio-render-tests"));
    }

    void init()
    {
        studio::ui::test::resetStudioState();
        m_script = std::make_shared<FakeScript>();
        m_dir = std::make_unique<QTemporaryDir>();
    }

    void renderAllRunsInPanelOrderAndStoresEveryImage()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        QSignalSpy started(w->renderQueue(), &RenderQueue::panelStarted);
        QSignalSpy finished(w->renderQueue(), &RenderQueue::panelFinished);
        QVERIFY(w->renderAll());
        for (int i = 0; i < story::kPanelCount; ++i)
            QVERIFY(doc->panelState(i) == PanelState::Queued || doc->panelState(i) == PanelState::Running);
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(finished.count(), story::kPanelCount);
        for (int i = 0; i < story::kPanelCount; ++i) {
            QCOMPARE(started.at(i).at(0).toInt(), i);
            QCOMPARE(doc->panelState(i), PanelState::Done);
            const story::Panel &panel = doc->project().panels[i];
            QCOMPARE(panel.variants.size(), 1);
            QCOMPARE(panel.chosenVariant, 0);
            const story::PanelVariant &v = panel.variants[0];
            QCOMPARE(v.seed, qint64(100 + i));
            QCOMPARE(v.parameters.value(QStringLiteral("steps")).toInt(), 3);
            QCOMPARE(v.parameters.value(QStringLiteral("sampler")).toString(), QStringLiteral("euler"));
            QVERIFY2(v.path.startsWith(QStringLiteral("images/panel-%1/").arg(i + 1, 2, 10, QLatin1Char('0'))),
                     qPrintable(v.path));
            // The PNG carries the A1111 text and our chunk, with the seed used.
            QString error;
            const auto chunks = story::PngMetadata::readTextChunks(doc->chosenImagePath(i), &error);
            QVERIFY2(chunks, qPrintable(error));
            const auto a1111 = story::PngMetadata::find(*chunks, story::PanelMetadata::parametersKeyword());
            QVERIFY(a1111);
            QCOMPARE(story::A1111Parameters::parse(*a1111).seed(), std::optional<qint64>(100 + i));
            QVERIFY(story::PngMetadata::find(*chunks, story::PanelMetadata::chunkKeyword()));
        }
        // The model was loaded once for the eight panels.
        QCOMPARE(m_script->count(QStringLiteral("load")), 1);
        QCOMPARE(m_script->count(QStringLiteral("generate")), story::kPanelCount);
        QCOMPARE(doc->undoStack()->count(), story::kPanelCount);
    }

    // The engine belongs to the worker's thread: the window asks it nothing, also while it renders (the model
    // folder check the window makes is the engine's function, taken before the engine moved).
    void theGuiThreadNeverCallsIntoTheEngine()
    {
        auto w = makeWindow();
        m_script->hold = true;
        QVERIFY(w->renderAll());
        QTRY_VERIFY_WITH_TIMEOUT(w->renderQueue()->runningPanel() == 0, kWaitMs);
        QVERIFY(w->renderQueue()->modelProblem().isEmpty()); // asked on the GUI thread while the engine works
        QVERIFY(w->renderQueue()->loraProblem().isEmpty());
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QMutexLocker lock(&m_script->mutex);
        QCOMPARE(m_script->engineThreads.size(), 1);
        QVERIFY(!m_script->engineThreads.contains(QThread::currentThread()));
    }

    void cancellingAQueuedPanelTakesItOut()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->hold = true;
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render));
        QVERIFY(w->renderQueue()->renderPanel(2, RenderQueue::Kind::Render));
        QTRY_COMPARE(doc->panelState(0), PanelState::Running);
        w->board()->setCurrentPanel(1);
        action(w.get(), "actionCancelPanel")->trigger();
        QCOMPARE(doc->panelState(1), PanelState::Cancelled);
        QCOMPARE(w->renderQueue()->queuedPanels(), QList<int>{2});
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(doc->panelState(1), PanelState::Cancelled);
        QCOMPARE(doc->panelState(2), PanelState::Done);
        QVERIFY(doc->project().panels[1].variants.isEmpty());
        QCOMPARE(m_script->count(QStringLiteral("generate")), 2);
    }

    void stopNowKeepsThePreviousImageAndTheWorkerGoesOn()
    {
        auto w = makeWindow(/*withImages=*/true);
        StoryDocument *doc = w->document();
        const story::Panel before = doc->project().panels[0];
        m_script->holdAtStep = 2;
        m_script->hold = true;
        QVERIFY(w->renderAll());
        QTRY_COMPARE(m_script->stepsReached.load(), 1);
        QVERIFY(action(w.get(), "actionStopNow")->isEnabled());
        QSignalSpy progress(w->renderQueue(), &RenderQueue::panelProgress);
        action(w.get(), "actionStopNow")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Cancelled);
        for (int i = 1; i < story::kPanelCount; ++i)
            QCOMPARE(doc->panelState(i), PanelState::Cancelled);
        QVERIFY(progress.isEmpty());                // nothing of the stopped job arrives after Stop
        QCOMPARE(doc->project().panels[0], before); // the previous image stays chosen
        QVERIFY(w->board()->thumbnail(0)->hasImage());
        QVERIFY(!action(w.get(), "actionStopNow")->isEnabled());

        // The worker survived: the next job runs.
        m_script->hold = false;
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(doc->project().panels[0].variants.size(), 2);
    }

    void stopAfterThisPanelFinishesTheRunningOne()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->hold = true;
        QVERIFY(w->renderAll());
        QTRY_COMPARE(doc->panelState(0), PanelState::Running);
        action(w.get(), "actionStopAfterPanel")->trigger();
        for (int i = 1; i < story::kPanelCount; ++i)
            QCOMPARE(doc->panelState(i), PanelState::Cancelled);
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(doc->project().panels[0].variants.size(), 1);
        QCOMPARE(m_script->count(QStringLiteral("generate")), 1);
    }

    void staleSignalsAreIgnored()
    {
        auto w = makeWindow();
        RenderQueue *queue = w->renderQueue();
        m_script->hold = true;
        QVERIFY(queue->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_COMPARE(w->document()->panelState(0), PanelState::Running);
        QSignalSpy progress(queue, &RenderQueue::panelProgress);
        QSignalSpy finished(queue, &RenderQueue::panelFinished);
        // Signals with another job's id (e.g. one cancelled earlier) change nothing.
        GenerationOutcome stale;
        stale.jobId = 9999;
        stale.panel = 5;
        Q_EMIT queue->worker()->progress(9999, 1, 3, 0.1);
        Q_EMIT queue->worker()->finished(9999, stale);
        QCoreApplication::processEvents();
        QVERIFY(progress.isEmpty());
        QVERIFY(finished.isEmpty());
        QVERIFY(w->document()->project().panels[5].variants.isEmpty());
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(finished.count(), 1);
    }

    void workerCancelsQueuedJobsByIdAndRunsTheNext()
    {
        // The worker alone, on its own thread, as the queue uses it.
        auto script = std::make_shared<FakeScript>();
        QThread thread;
        thread.setObjectName(QStringLiteral("test-render"));
        auto *worker = new GenerationWorker(std::make_unique<FakeRenderEngine>(script));
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        QSignalSpy failed(worker, &GenerationWorker::failed);
        QSignalSpy finished(worker, &GenerationWorker::finished);
        QSignalSpy started(worker, &GenerationWorker::started);
        GenerationJob job;
        job.settings.modelDir = QStringLiteral("/models/fake");
        job.params.steps = 2;
        job.params.width = job.params.height = 16;
        job.id = 1;
        worker->cancelUpTo(1);
        QMetaObject::invokeMethod(
            worker, [worker, job] { worker->run(job); }, Qt::QueuedConnection);
        job.id = 2;
        QMetaObject::invokeMethod(
            worker, [worker, job] { worker->run(job); }, Qt::QueuedConnection);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<quint64>(), quint64(1));
        QCOMPARE(failed.at(0).at(1).value<RenderError>().code, RenderError::Code::Cancelled);
        QCOMPARE(finished.at(0).at(0).value<quint64>(), quint64(2));
        QCOMPARE(started.count(), 1); // the cancelled job never started
        QCOMPARE(script->count(QStringLiteral("generate")), 1);
        thread.quit();
        thread.wait();
    }

    void outOfMemoryRetriesOnceWithTiledDecoding()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->oomUnlessTiled = true;
        QSignalSpy messages(w->renderQueue(), &RenderQueue::message);
        QSignalSpy finished(w->renderQueue(), &RenderQueue::panelFinished);
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.at(0).at(1).value<GenerationOutcome>().retriedWithTiles);
        bool told = false;
        for (const QList<QVariant> &m : std::as_const(messages))
            told = told || m.at(0).toString().contains(QStringLiteral("tiled VAE decoding"));
        QVERIFY(told);
        // The retry decoded the sampled latents again; the sampler did not run twice.
        QCOMPARE(m_script->count(QStringLiteral("generate")), 1);
        QCOMPARE(m_script->count(QStringLiteral("decode again")), 1);
        // Turning tiling on is no other model: the weights were read once, the retry only applied the switch.
        QCOMPARE(m_script->count(QStringLiteral("load")), 1);
        QCOMPARE(m_script->count(QStringLiteral("apply")), 1);
        // Tiling stays on for the session: the next panel needs no retry.
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(m_script->count(QStringLiteral("generate")), 2);
        QCOMPARE(doc->panelState(1), PanelState::Done);
    }

    void outOfMemoryWithTilesFailsNamingTheSettings()
    {
        AppSettings::instance()->set(Setting::VaeTiling, QStringLiteral("on"));
        auto w = makeWindow();
        m_script->addGenerateError({RenderError::Code::OutOfMemory, QStringLiteral("CUDA out of memory (fake)")});
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(w->document()->panelState(0), PanelState::Failed);
        const QString error = w->renderQueue()->lastError();
        QVERIFY2(error.contains(QStringLiteral("Release the text encoder before sampling")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("Tiled VAE decoding")));
        QVERIFY(w->board()->thumbnail(0)->note().contains(QStringLiteral("out of memory")));
        // The Chinese message names the same settings.
        Translator::install(QStringLiteral("zh_CN"));
        const QString zh = RenderQueue::describe({RenderError::Code::OutOfMemory, QStringLiteral("x")}, 0);
        Translator::install(QStringLiteral("en"));
        QVERIFY2(zh.contains(QStringLiteral("分块")), qPrintable(zh));
        // The worker survives: the next panel renders.
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(w->document()->panelState(1), PanelState::Done);
    }

    void brokenModelStopsTheQueueAndTheNextJobRuns()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->addLoadError({RenderError::Code::BadModel,
                                QStringLiteral("unet/diffusion_pytorch_model.safetensors: header is truncated")});
        QSignalSpy modelFailed(w->renderQueue(), &RenderQueue::modelFailed);
        QVERIFY(w->renderAll());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(modelFailed.count(), 1);
        QVERIFY(modelFailed.at(0).at(0).toString().contains(QStringLiteral("header is truncated")));
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("header is truncated")));
        QCOMPARE(doc->panelState(0), PanelState::Failed);
        for (int i = 1; i < story::kPanelCount; ++i)
            QCOMPARE(doc->panelState(i), PanelState::Cancelled);
        QCOMPARE(m_script->count(QStringLiteral("generate")), 0);
        // Fixed (the script has no more errors): the same worker loads and renders.
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
    }

    // The fake engine holds in load() and in "decoding" until the cancel flag reaches it: the window closing at
    // all proves that quitting cancels both (a hold the flag never reached would hang here).
    void quittingDuringModelLoadOrDecodingEnds_data()
    {
        QTest::addColumn<bool>("duringLoad");
        QTest::newRow("model load") << true;
        QTest::newRow("decoding") << false;
    }
    void quittingDuringModelLoadOrDecodingEnds()
    {
        QFETCH(bool, duringLoad);
        const int abandonedBefore = abandonedWorkerThreads();
        auto w = makeWindow();
        m_script->holdLoad = duringLoad;
        m_script->holdDecode = !duringLoad;
        QVERIFY(w->renderAll());
        if (duringLoad)
            QTRY_VERIFY_WITH_TIMEOUT(m_script->inLoad.load(), kWaitMs);
        else
            QTRY_VERIFY_WITH_TIMEOUT(m_script->inDecode.load(), kWaitMs);
        MessageBox::setNextAnswer(QMessageBox::Yes); // "Panels are still rendering. Stop rendering and quit?"
        QVERIFY(w->close());
        w.reset(); // joins the worker thread
        QVERIFY(!m_script->inLoad && !m_script->inDecode);
        QCOMPARE(abandonedWorkerThreads(), abandonedBefore); // the thread ended; it was not given up on

        QCOMPARE(m_script->count(QStringLiteral("generate")), duringLoad ? 0 : 1);
    }

    // ~RenderQueue never waits forever: a thread stuck in a call that looks at no cancel flag is given up on
    // after the limit (the studio then ends its process) instead of hanging the quit.
    void aStuckWorkerThreadIsNotWaitedForever()
    {
        QSemaphore letGo;
        QThread *stuck = QThread::create([&letGo] { letGo.acquire(); });
        stuck->start();
        const int before = abandonedWorkerThreads();
        GracefulThreadDeleter{/*limitMs=*/20}(stuck); // returns although the thread still runs
        QCOMPARE(abandonedWorkerThreads(), before + 1);
        QVERIFY(stuck->isRunning());
        letGo.release();
        QVERIFY(stuck->wait(kWaitMs));
        delete stuck;
    }

    void closingAsksToSaveBeforeStoppingTheRender()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->hold = true;
        QVERIFY(w->renderAll());
        QTRY_COMPARE(doc->panelState(0), PanelState::Running);
        doc->setPanelField(7, PanelField::Prompt, QStringLiteral("an unsaved edit"));
        // Quit? Yes. Save the changes? Cancel: the studio stays open and the render goes on untouched.
        MessageBox::setNextAnswer(QMessageBox::Yes);
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        QVERIFY(!w->close());
        QVERIFY(w->renderQueue()->isBusy());
        QCOMPARE(doc->panelState(0), PanelState::Running);
        QCOMPARE(doc->panelState(1), PanelState::Queued);
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(7), PanelState::Done);
    }

    void theStoryLoraIsUsedOrTheQueueStopsSayingWhy()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        const QString lora = m_dir->filePath(QStringLiteral("style.safetensors"));
        QFile file(lora);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a LoRA the fake engine does not read");
        file.close();
        // A relative path inside the story folder reaches the engine as the absolute file.
        doc->setStoryField(StoryField::LoraPath, QStringLiteral("style.safetensors"));
        QVERIFY(w->renderQueue()->loraProblem().isEmpty());
        m_script->hold = true;
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render));
        QVERIFY(w->renderQueue()->renderPanel(2, RenderQueue::Kind::Render));
        QTRY_COMPARE(doc->panelState(0), PanelState::Running);
        QTRY_VERIFY(m_script->callLog().join(QLatin1Char('\n')).contains(QStringLiteral("lora=") + lora));

        // The file disappears while panels wait: the queue stops with the reason, nothing renders without it.
        QVERIFY(QFile::remove(lora));
        QSignalSpy modelFailed(w->renderQueue(), &RenderQueue::modelFailed);
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Done);
        QCOMPARE(doc->panelState(1), PanelState::Failed);
        QCOMPARE(doc->panelState(2), PanelState::Cancelled);
        QCOMPARE(m_script->count(QStringLiteral("generate")), 1);
        QCOMPARE(modelFailed.count(), 1);
        QVERIFY2(modelFailed.at(0).at(0).toString().contains(QStringLiteral("style.safetensors: file is missing")),
                 qPrintable(modelFailed.at(0).at(0).toString()));

        // A path that leaves the story folder is refused before anything is queued, naming why.
        doc->setStoryField(StoryField::LoraPath, QStringLiteral("../elsewhere/style.safetensors"));
        QString why;
        QVERIFY(!w->renderQueue()->renderPanel(3, RenderQueue::Kind::Render, &why));
        QVERIFY2(why.contains(QStringLiteral("../elsewhere/style.safetensors")), qPrintable(why));
        QCOMPARE(m_script->count(QStringLiteral("generate")), 1);
    }

    void noModelSaysWhyAndTheStudioStillWorks()
    {
        auto w = makeWindow(false, false);
        StoryDocument *doc = w->document();
        QVERIFY(w->findChild<QWidget *>(QStringLiteral("modelBanner"))->isVisible());
        doc->setPanelField(0, PanelField::Prompt, QStringLiteral("a fox"));
        QVERIFY(!w->renderCurrentPanel());
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("No Kolors model folder is set")),
                 qPrintable(MessageBox::lastText()));
        QVERIFY(!w->renderQueue()->isBusy());
        QCOMPARE(m_script->count(QStringLiteral("load")), 0);
        // A folder the engine rejects: its exact message is shown.
        doc->setStoryField(StoryField::ModelFolder, QStringLiteral("/models/missing-kolors"));
        QVERIFY(!w->renderAll());
        QVERIFY2(
            MessageBox::lastText().contains(QStringLiteral("missing file: /models/missing-kolors/unet/config.json")),
            qPrintable(MessageBox::lastText()));
        // A build without the engine says so.
        m_script->available = false;
        auto unavailable = makeWindow(false, false);
        // ... in words a user understands, not the name of a build option.
        const QString problem = unavailable->renderQueue()->modelProblem();
        QVERIFY2(problem.contains(QStringLiteral("no rendering engine")), qPrintable(problem));
        QVERIFY(!problem.contains(QStringLiteral("STUDIO_")));
    }

    void untitledStoryIsSavedBeforeItsFirstRender()
    {
        auto w = makeWindow(false, false);
        StoryDocument *doc = w->document();
        doc->setStoryField(StoryField::ModelFolder, QStringLiteral("/models/fake-kolors"));
        doc->setPanelField(0, PanelField::Prompt, QStringLiteral("a fox"));
        doc->setPanelField(0, PanelField::Width, 64);
        doc->setPanelField(0, PanelField::Height, 64);
        doc->setPanelField(0, PanelField::Steps, 2);
        // Declined: nothing is rendered, nothing saved.
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        QVERIFY(!w->renderCurrentPanel());
        QVERIFY(doc->filePath().isEmpty());
        // Accepted: Save As, then the render goes into the new folder.
        const QString path = m_dir->filePath(QStringLiteral("new/story.json"));
        QDir().mkpath(m_dir->filePath(QStringLiteral("new")));
        MessageBox::setNextAnswer(QMessageBox::Save);
        FileDialog::setNextFileName(path);
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(QFileInfo(doc->filePath()).absoluteFilePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(QFileInfo::exists(doc->chosenImagePath(0)));
        QVERIFY(doc->chosenImagePath(0).startsWith(QFileInfo(path).absolutePath()));
    }

    void regenerateAppliesTheSeedModeAsOneUndoStep()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        doc->setPanelField(2, PanelField::SeedMode, int(story::SeedMode::Increment));
        doc->setPanelField(3, PanelField::SeedMode, int(story::SeedMode::Decrement));
        doc->setPanelField(4, PanelField::SeedMode, int(story::SeedMode::Randomize));
        const int stepsBefore = doc->undoStack()->count();
        for (int panel : {1, 2, 3, 4}) {
            w->board()->setCurrentPanel(panel);
            QVERIFY(w->regenerateCurrentPanel());
        }
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        const auto &panels = doc->project().panels;
        QCOMPARE(panels[1].seed, qint64(101)); // fixed keeps the seed
        QCOMPARE(panels[2].seed, qint64(103)); // increment
        QCOMPARE(panels[3].seed, qint64(102)); // decrement
        QVERIFY(panels[4].seed >= 0 && panels[4].seed < (qint64(1) << 32));
        for (int panel : {1, 2, 3, 4})
            QCOMPARE(panels[panel].variants.constLast().seed, panels[panel].seed); // the seed used is stored
        QCOMPARE(panels[0].variants.size(), 0);                                    // others untouched
        QCOMPARE(panels[5].seed, qint64(105));
        QCOMPARE(doc->undoStack()->count(), stepsBefore + 4);
        // One undo gives back the seed and the image of the last regenerated panel.
        const QString file = doc->chosenImagePath(3);
        doc->undoStack()->undo(); // panel 5 (randomize)
        doc->undoStack()->undo(); // panel 4 (decrement)
        QCOMPARE(doc->project().panels[3].seed, qint64(103));
        QVERIFY(doc->project().panels[3].variants.isEmpty());
        QVERIFY(QFileInfo::exists(file)); // undo never deletes an image
        doc->undoStack()->redo();
        QCOMPARE(doc->project().panels[3].seed, qint64(102));
        QCOMPARE(doc->chosenImagePath(3), file);
    }

    void variantsChooseUndoAndKeepFiles()
    {
        auto w = makeWindow(/*withImages=*/true);
        StoryDocument *doc = w->document();
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->project().panels[0].variants.size(), 2);
        QCOMPARE(doc->project().panels[0].chosenVariant, 1);
        const QString rendered = doc->chosenImagePath(0);
        doc->chooseVariant(0, 0);
        QCOMPARE(doc->project().panels[0].chosenVariant, 0);
        doc->undoStack()->undo();
        QCOMPARE(doc->project().panels[0].chosenVariant, 1);
        doc->undoStack()->undo(); // the render itself
        QCOMPARE(doc->project().panels[0].variants.size(), 1);
        QCOMPARE(doc->project().panels[0].chosenVariant, 0);
        QVERIFY(QFileInfo::exists(rendered));
        doc->undoStack()->redo();
        QCOMPARE(doc->chosenImagePath(0), rendered);
    }

    void keyboardRendersAndStops()
    {
        auto w = makeWindow();
        QApplication::setActiveWindow(w.get());
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        auto *prompt = w->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
        prompt->setFocus();
        m_script->hold = true;
        w->board()->setCurrentPanel(2);
        QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(w->document()->panelState(2), PanelState::Running);
        QCOMPARE(w->document()->project().panels[2].prompt, QStringLiteral("panel 3 prompt")); // no newline typed
        QTest::keyClick(prompt, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(w->document()->panelState(2), PanelState::Cancelled);
    }

    void progressShowsStepsAndEstimates()
    {
        auto w = makeWindow();
        m_script->holdAtStep = 3;
        m_script->hold = true;
        m_script->stepDelayMs = 5;
        QVERIFY(w->renderAll());
        QTRY_COMPARE(m_script->stepsReached.load(), 2);
        QTRY_COMPARE(w->renderQueue()->progress().step, 2);
        const RenderQueue::Progress p = w->renderQueue()->progress();
        QCOMPARE(p.panel, 0);
        QCOMPARE(p.steps, 3);
        QCOMPARE(p.total, story::kPanelCount);
        QVERIFY(p.panelSecondsLeft >= 0);
        QVERIFY(p.storySecondsLeft >= p.panelSecondsLeft);
        auto *panelBar = w->findChild<QProgressBar *>(QStringLiteral("panelRenderProgress"));
        auto *storyBar = w->findChild<QProgressBar *>(QStringLiteral("storyRenderProgress"));
        QVERIFY(panelBar->isVisible());
        QVERIFY(storyBar->isVisible());
        QVERIFY2(panelBar->text().contains(QStringLiteral("step 2/3")), qPrintable(panelBar->text()));
        QVERIFY(storyBar->text().contains(QStringLiteral("0 of 8")));
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QVERIFY(!panelBar->isVisible());
    }

    void openingAnotherStoryDiscardsTheRunningJob()
    {
        auto w = makeWindow();
        m_script->hold = true;
        QVERIFY(w->renderAll());
        QTRY_COMPARE(w->document()->panelState(0), PanelState::Running);
        QTemporaryDir other;
        QVERIFY(w->openFile(writeStory(other.path(), false)));
        // The new story renders while the old job still winds down: it counts in no batch of the new story.
        QVERIFY(w->renderAll());
        QCOMPARE(w->renderQueue()->progress().total, story::kPanelCount);
        QCOMPARE(w->renderQueue()->progress().finished, 0);
        int overshoot = 0; // the most "finished" ever exceeded "total"
        connect(w->renderQueue(), &RenderQueue::progressChanged, w.get(), [&] {
            const RenderQueue::Progress p = w->renderQueue()->progress();
            overshoot = qMax(overshoot, p.finished - p.total);
        });
        m_script->hold = false;
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(overshoot, 0);
        QCOMPARE(w->renderQueue()->progress().finished, story::kPanelCount); // not "9 of 8"
        QCOMPARE(w->renderQueue()->progress().total, story::kPanelCount);
        for (const story::Panel &panel : w->document()->project().panels)
            QCOMPARE(panel.variants.size(), 1);
    }

    void oneClickCancelsAPanelQueuedAndRunning()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        m_script->hold = true;
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_COMPARE(doc->panelState(0), PanelState::Running);
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Regenerate)); // queued behind itself
        QCOMPARE(w->renderQueue()->queuedPanels(), QList<int>{0});
        w->board()->setCurrentPanel(0);
        action(w.get(), "actionCancelPanel")->trigger();
        QVERIFY(w->renderQueue()->queuedPanels().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(doc->panelState(0), PanelState::Cancelled);
        QCOMPARE(m_script->count(QStringLiteral("generate")), 1);
        QVERIFY(doc->project().panels[0].variants.isEmpty());
    }

    void droppedPngRestoresThePanelAsOneStep()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        const QString png = m_dir->filePath(QStringLiteral("a1111.png"));
        QImage image(32, 32, QImage::Format_RGB888);
        image.fill(Qt::darkCyan);
        const QString text = QStringLiteral("a lantern festival at night, 水彩\nNegative prompt: blurry\nSteps: 30, "
                                            "Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 424242, "
                                            "Size: 512x768, Model: kolors");
        QString error;
        QVERIFY(story::PngMetadata::writeImage(
            png, image, {story::PngTextChunk::forValue(QStringLiteral("parameters"), text)}, &error));
        const int before = doc->undoStack()->count();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(png)});
        PanelThumbnail *cell = w->board()->thumbnail(4);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(cell, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(cell, &drop);
        const story::Panel &p = doc->project().panels[4];
        QCOMPARE(p.prompt, QStringLiteral("a lantern festival at night, 水彩"));
        QCOMPARE(p.negativePrompt, QStringLiteral("blurry"));
        QCOMPARE(p.seed, qint64(424242));
        QCOMPARE(p.steps, 30);
        QCOMPARE(p.cfgScale, 6.5);
        QCOMPARE(p.sampler, QStringLiteral("dpmpp_2m_karras"));
        QCOMPARE(p.width, 512);
        QCOMPARE(p.height, 768);
        QCOMPARE(doc->undoStack()->count(), before + 1);
        QCOMPARE(w->board()->currentPanel(), 4);
        doc->undoStack()->undo();
        QCOMPARE(doc->project().panels[4].prompt, QStringLiteral("panel 5 prompt"));
        QCOMPARE(doc->project().panels[4].seed, qint64(104));
        QCOMPARE(doc->project().panels[4].steps, 3);

        // A PNG without settings is refused with a message, and nothing changes.
        const QString plain = m_dir->filePath(QStringLiteral("plain.png"));
        QVERIFY(image.save(plain));
        QVERIFY(!w->restorePanelFromImage(4, plain));
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("plain.png")));
        QCOMPARE(doc->undoStack()->index(), before);
    }

    void aestheticScoreIsShownAndExportWarns()
    {
        m_script->score = 4.5;
        AppSettings::instance()->set(Setting::AestheticModelFolder, QStringLiteral("/models/fake-aesthetic"));
        auto w = makeWindow();
        QVERIFY(w->renderQueue()->renderPanel(0, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QCOMPARE(w->document()
                     ->project()
                     .panels[0]
                     .variants[0]
                     .parameters.value(QStringLiteral("aestheticScore"))
                     .toDouble(),
                 4.5);
        QCOMPARE(w->board()->thumbnail(0)->score(), std::optional<double>(4.5));
        auto *label = w->findChild<QLabel *>(QStringLiteral("aestheticLabel"));
        QVERIFY2(label->text().contains(QStringLiteral("4.50")), qPrintable(label->text()));
        // Export warns below the threshold; "No" cancels it.
        MessageBox::setNextAnswer(QMessageBox::No);
        QVERIFY(!w->exportTo(m_dir->filePath(QStringLiteral("export"))));
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("below the threshold")),
                 qPrintable(MessageBox::lastText()));
        // Without a predictor the score is simply absent.
        m_script->score.reset();
        QVERIFY(w->renderQueue()->renderPanel(1, RenderQueue::Kind::Render));
        QTRY_VERIFY_WITH_TIMEOUT(idle(w.get()), kWaitMs);
        QVERIFY(!w->board()->thumbnail(1)->score());
        QVERIFY(!w->document()->project().panels[1].variants[0].parameters.contains(QStringLiteral("aestheticScore")));
    }
};

QTEST_MAIN(TestRenderQueue)
#include "TestRenderQueue.moc"
