// Rendering with the story's character settings (issue 13), with the scripted engine: Render All renders the
// identity panels first as one story job, a later panel alone re-runs the identity panels and says so, every image
// records the settings, a missing reference refuses to render, and Stop cancels the whole story job.
#include "FakeRenderEngine.h"
#include "UiTestSupport.h"

#include "story/CharacterUse.h"

#include "ui/AppSettings.h"
#include "ui/MainWindow.h"
#include "ui/StoryDocument.h"
#include "ui/render/RenderQueue.h"

#include <QAction>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace studio;
using namespace studio::ui;
using studio::ui::test::FakeRenderEngine;
using studio::ui::test::FakeScript;

namespace {

constexpr int kWaitMs = 20000;

// A saved story with 8 prompts, 64x64 panels, 3 steps, seeds 100 + i, consistent characters on (K identity panels).
QString writeStory(const QString &dir, int identityPanels)
{
    story::Project project;
    project.title = QStringLiteral("阿月");
    for (int i = 0; i < story::kPanelCount; ++i) {
        project.panels[i].prompt = QStringLiteral("阿月 panel %1").arg(i + 1);
        project.panels[i].seed = 100 + i;
        project.panels[i].width = project.panels[i].height = 64;
        project.panels[i].steps = 3;
    }
    project.modelFolder = QStringLiteral("/models/fake-kolors");
    project.character.consistent = true;
    project.character.identityPanels = identityPanels;
    project.character.strength = 0.6;
    project.character.start = 1;
    const QString path = dir + QStringLiteral("/story.json");
    QString error;
    return story::ProjectFile::save(project, path, &error) ? path : QString();
}

QStringList storyCalls(const FakeScript &script)
{
    QStringList calls;
    for (const QString &c : script.callLog())
        if (c.startsWith(QLatin1String("story")) || c.startsWith(QLatin1String("generate")))
            calls << c;
    return calls;
}

} // namespace

class TestCharacterRender : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<FakeScript> m_script;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<MainWindow> makeWindow(int identityPanels = 2)
    {
        auto window = std::make_unique<MainWindow>(std::make_unique<FakeRenderEngine>(m_script));
        window->show();
        window->openFile(writeStory(m_dir->path(), identityPanels));
        return window;
    }

private Q_SLOTS:
    void initTestCase() { test::enterTestMode(QStringLiteral("storyboard-studio-character-render-tests")); }

    void init()
    {
        test::resetStudioState();
        m_script = std::make_shared<FakeScript>();
        m_dir = std::make_unique<QTemporaryDir>();
    }

    // Render All is one story job: the identity panels finish first, then the others, each with seed 100 + i and
    // the consistency it was made with in its parameters.
    void renderAllRendersTheIdentityPanelsFirst()
    {
        auto window = makeWindow(3);
        RenderQueue *queue = window->renderQueue();
        QSignalSpy finished(queue, &RenderQueue::panelFinished);
        QSignalSpy messages(queue, &RenderQueue::message);
        QString why;
        QVERIFY2(queue->renderAll(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!queue->isBusy(), kWaitMs);

        QCOMPARE(storyCalls(*m_script),
                 QStringList{QStringLiteral("story run=1,2,3,4,5,6,7,8 keep=1,2,3,4,5,6,7,8 K=3")});
        QCOMPARE(finished.count(), story::kPanelCount);
        for (int i = 0; i < finished.count(); ++i)
            QCOMPARE(finished.at(i).at(0).toInt(), i); // panel order: identity panels 1-3 first
        bool said = false;
        for (const QList<QVariant> &m : std::as_const(messages))
            said = said || m.at(0).toString().contains(QStringLiteral("identity panels 1–3 render first"));
        QVERIFY(said);

        const story::Project &project = window->document()->project();
        for (int i = 0; i < story::kPanelCount; ++i) {
            const story::PanelVariant *chosen = project.panels[i].chosen();
            QVERIFY(chosen);
            QCOMPARE(chosen->seed, 100 + i);
            const story::CharacterUse use = story::CharacterUse::fromParameters(chosen->parameters);
            QVERIFY(use.consistent);
            QCOMPARE(use.identityPanels, 3);
            QCOMPARE(use.strength, 0.6);
            QCOMPARE(use.panel, i + 1);
            QCOMPARE(use.isIdentityPanel(), i < 3);
            QCOMPARE(window->document()->panelState(i), PanelState::Done);
        }
    }

    // Rendering a later panel alone re-runs the identity panels (their images stay) and says so; once a prompt of
    // an identity panel changed, that panel's new image is kept too.
    void aLaterPanelReRunsTheIdentityPanels()
    {
        auto window = makeWindow(2);
        RenderQueue *queue = window->renderQueue();
        QString why;
        QVERIFY2(queue->renderAll(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!queue->isBusy(), kWaitMs);
        const story::PanelVariant identityImage = *window->document()->project().panels[0].chosen();

        QSignalSpy messages(queue, &RenderQueue::message);
        QSignalSpy finished(queue, &RenderQueue::panelFinished);
        QVERIFY2(queue->renderPanel(5, RenderQueue::Kind::Regenerate, &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!queue->isBusy(), kWaitMs);
        QCOMPARE(storyCalls(*m_script).last(), QStringLiteral("story run=1,2,6 keep=6 K=2"));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 5);
        bool said = false;
        for (const QList<QVariant> &m : std::as_const(messages))
            said = said || m.at(0).toString().contains(QStringLiteral("identity panels 1, 2 run again"));
        QVERIFY2(said, "no message about re-running the identity panels");
        QCOMPARE(window->document()->project().panels[0].chosen()->path, identityImage.path);
        QCOMPARE(window->document()->project().panels[5].variants.size(), 2);
        QCOMPARE(window->document()->project().panels[5].chosen()->seed, 105); // seed + panel, not a new seed

        // Panel 2's prompt changes: a render of panel 7 re-runs the identity panels and keeps their new images as
        // well (panel 1 shares tokens with panel 2, so its image changes too).
        window->document()->setPanelField(1, PanelField::Prompt, QStringLiteral("阿月, red scarf"));
        messages.clear();
        QVERIFY2(queue->renderPanel(6, RenderQueue::Kind::Render, &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!queue->isBusy(), kWaitMs);
        QCOMPARE(storyCalls(*m_script).last(), QStringLiteral("story run=1,2,7 keep=1,2,7 K=2"));
        QCOMPARE(window->document()->project().panels[0].variants.size(), 2);
        QCOMPARE(window->document()->project().panels[1].variants.size(), 2);
        said = false;
        for (const QList<QVariant> &m : std::as_const(messages))
            said = said || m.at(0).toString().contains(QStringLiteral("Identity panels 1, 2 changed"));
        QVERIFY(said);
    }

    void identityPanelWithoutPromptIsRefused()
    {
        auto window = makeWindow(2);
        window->document()->setPanelField(1, PanelField::Prompt, QString());
        QString why;
        QVERIFY(!window->renderQueue()->renderPanel(4, RenderQueue::Kind::Render, &why));
        QVERIFY2(why.contains(QStringLiteral("panel 2 is an identity panel")), qPrintable(why));
        QVERIFY(storyCalls(*m_script).isEmpty());
    }

    // A reference image needs the IP-Adapter files of this computer; with them, every panel records them.
    void referenceImageNeedsTheIpAdapterFiles()
    {
        auto window = makeWindow(2);
        QImage hero(16, 16, QImage::Format_RGB888);
        hero.fill(Qt::red);
        QVERIFY(hero.save(m_dir->filePath(QStringLiteral("hero.png"))));
        story::CharacterSettings c = window->document()->project().character;
        c.reference = story::ReferenceSource::File;
        c.referenceFile = QStringLiteral("hero.png");
        c.ipScale = 0.8;
        QVERIFY(window->document()->setCharacter(c));
        QString why;
        QVERIFY(!window->renderQueue()->renderAll(&why));
        QVERIFY2(why.contains(QStringLiteral("Kolors-IP-Adapter-Plus")), qPrintable(why));

        const QString adapter = m_dir->filePath(QStringLiteral("ip_adapter_plus_general.bin"));
        QFile file(adapter);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("weights");
        file.close();
        QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("image_encoder"))));
        AppSettings::instance()->set(Setting::IpAdapterFile, adapter);
        AppSettings::instance()->set(Setting::ImageEncoderFolder, m_dir->filePath(QStringLiteral("image_encoder")));
        QVERIFY2(window->renderQueue()->renderAll(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!window->renderQueue()->isBusy(), kWaitMs);
        QCOMPARE(m_script->stories.size(), 1);
        QCOMPARE(m_script->stories.first().ipAdapter.referencePath, m_dir->filePath(QStringLiteral("hero.png")));
        const story::CharacterUse use =
            story::CharacterUse::fromParameters(window->document()->project().panels[7].chosen()->parameters);
        QVERIFY(use.ipAdapter);
        QCOMPARE(use.referenceFile, QStringLiteral("hero.png"));
        QCOMPARE(use.ipScale, 0.8);
    }

    void stopCancelsTheWholeStoryJob()
    {
        auto window = makeWindow(2);
        m_script->holdAtStep = 2;
        m_script->hold = true;
        RenderQueue *queue = window->renderQueue();
        QString why;
        QVERIFY2(queue->renderAll(&why), qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(m_script->stepsReached.load(), 1, kWaitMs);
        QCOMPARE(window->document()->panelState(7), PanelState::Running);
        QVERIFY(queue->cancelPanel(7)); // one panel of the job stops all of it
        QTRY_VERIFY_WITH_TIMEOUT(!queue->isBusy(), kWaitMs);
        for (int i = 0; i < story::kPanelCount; ++i) {
            QCOMPARE(window->document()->panelState(i), PanelState::Cancelled);
            QVERIFY(!window->document()->project().panels[i].chosen());
        }
        QCOMPARE(queue->progress().finished, queue->progress().total);
    }
};

QTEST_MAIN(TestCharacterRender)
#include "TestCharacterRender.moc"
