// The document model behind the window: undo commands, merging of typing, clean state, runtime states.
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/StoryDocument.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace studio;
using namespace studio::ui;

class TestStoryDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        AppSettings::createTempFileInstance();
    }

    void typingMergesIntoOneStep()
    {
        StoryDocument doc;
        for (const QString &text : {QStringLiteral("a"), QStringLiteral("ab"), QStringLiteral("abc")})
            doc.setPanelField(2, PanelField::Prompt, text);
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.project().panels[2].prompt, QStringLiteral("abc"));
        doc.undoStack()->undo();
        QCOMPARE(doc.project().panels[2].prompt, QString());
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.project().panels[2].prompt, QStringLiteral("abc"));
        QVERIFY(doc.isModified());
    }

    void breakMergeStartsANewStep()
    {
        StoryDocument doc;
        doc.setPanelField(0, PanelField::Prompt, QStringLiteral("first"));
        doc.breakMerge();
        doc.setPanelField(0, PanelField::Prompt, QStringLiteral("first second"));
        QCOMPARE(doc.undoStack()->count(), 2);
        doc.undoStack()->undo();
        QCOMPARE(doc.project().panels[0].prompt, QStringLiteral("first"));
    }

    void onlySameFieldOfSamePanelMerges()
    {
        StoryDocument doc;
        doc.setPanelField(0, PanelField::Prompt, QStringLiteral("x"));
        doc.setPanelField(1, PanelField::Prompt, QStringLiteral("y"));
        doc.setPanelField(1, PanelField::NegativePrompt, QStringLiteral("z"));
        doc.setPanelField(1, PanelField::NegativePrompt, QStringLiteral("zz"));
        QCOMPARE(doc.undoStack()->count(), 3);
        // Choices from combo boxes never merge.
        doc.setPanelField(1, PanelField::Sampler, QStringLiteral("ddim"));
        doc.setPanelField(1, PanelField::Sampler, QStringLiteral("euler_a"));
        QCOMPARE(doc.undoStack()->count(), 5);
    }

    void typingBackToTheOriginalLeavesNothingToUndo()
    {
        StoryDocument doc;
        doc.setPanelField(0, PanelField::Prompt, QStringLiteral("a"));
        doc.setPanelField(0, PanelField::Prompt, QString());
        QCOMPARE(doc.undoStack()->count(), 0);
        QVERIFY(!doc.isModified());
    }

    void unchangedValueIsNotAnEdit()
    {
        StoryDocument doc;
        doc.setPanelField(0, PanelField::Steps, doc.project().panels[0].steps);
        doc.setStoryField(StoryField::Title, doc.project().title);
        QCOMPARE(doc.undoStack()->count(), 0);
    }

    void valuesAreCanonical()
    {
        StoryDocument doc;
        doc.setPanelField(0, PanelField::Seed, QVariant::fromValue<qint64>(-5));
        QCOMPARE(doc.project().panels[0].seed, qint64(0));
        doc.setPanelField(0, PanelField::Seed, QVariant::fromValue<qint64>(story::kMaxSeed + 10));
        QCOMPARE(doc.project().panels[0].seed, story::kMaxSeed);
        doc.setPanelField(0, PanelField::Steps, QStringLiteral("30"));
        QCOMPARE(doc.project().panels[0].steps, 30);
        doc.setPanelField(0, PanelField::Steps, story::kMaxSteps + 1);
        QCOMPARE(doc.project().panels[0].steps, story::kMaxSteps);
        doc.setPanelField(0, PanelField::Width, 1001);
        QCOMPARE(doc.project().panels[0].width % story::kImageSizeMultiple, 0);
        QVERIFY(doc.project().panels[0].width <= 1001);
        doc.setPanelField(0, PanelField::Height, 1);
        QCOMPARE(doc.project().panels[0].height, story::kMinImageSize);
        doc.setPanelField(0, PanelField::CfgScale, -3.0);
        QCOMPARE(doc.project().panels[0].cfgScale, story::kMinCfgScale);
        doc.setPanelField(0, PanelField::SeedMode, int(story::SeedMode::Randomize));
        QCOMPARE(doc.project().panels[0].seedMode, story::SeedMode::Randomize);
    }

    void storyFieldsAreUndoableAndMerge()
    {
        StoryDocument doc;
        QSignalSpy changed(&doc, &StoryDocument::storyChanged);
        doc.setStoryField(StoryField::StylePrefix, QStringLiteral("水"));
        doc.setStoryField(StoryField::StylePrefix, QStringLiteral("水墨"));
        doc.setStoryField(StoryField::LoraScale, 0.8);
        QCOMPARE(doc.undoStack()->count(), 2);
        QCOMPARE(doc.project().style.prefix, QStringLiteral("水墨"));
        QCOMPARE(doc.project().lora.scale, 0.8);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.project().style.prefix, QString());
        QCOMPARE(doc.project().lora.scale, 1.0);
        QVERIFY(changed.count() >= 4);
    }

    void modifiedFollowsTheCleanState()
    {
        QTemporaryDir dir;
        StoryDocument doc;
        QSignalSpy modified(&doc, &StoryDocument::modifiedChanged);
        doc.setPanelField(0, PanelField::Prompt, QStringLiteral("p"));
        QVERIFY(doc.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(modified.last().at(0).toBool(), true);
        QString error;
        QVERIFY2(doc.saveAs(dir.filePath(QStringLiteral("story.json")), &error), qPrintable(error));
        QVERIFY(!doc.isModified());
        QCOMPARE(modified.last().at(0).toBool(), false);
        QCOMPARE(doc.displayName(), QStringLiteral("story.json"));
    }

    void resetCanStartModified()
    {
        StoryDocument doc;
        story::Project project;
        project.title = QStringLiteral("recovered");
        doc.reset(project, QString(), true);
        QVERIFY(doc.isModified());
        QCOMPARE(doc.undoStack()->count(), 0);
        QCOMPARE(doc.project().title, QStringLiteral("recovered"));
    }

    void chooseVariantIsUndoable()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path(), 3);
        QVERIFY(!path.isEmpty());
        StoryDocument doc;
        QString error;
        QVERIFY2(doc.load(path, &error), qPrintable(error));
        QCOMPARE(doc.project().panels[4].chosenVariant, 2);
        doc.chooseVariant(4, 0);
        QCOMPARE(doc.project().panels[4].chosenVariant, 0);
        QVERIFY(doc.chosenImagePath(4).endsWith(QStringLiteral("images/panel-05-v0.png")));
        doc.chooseVariant(4, 7); // out of range: ignored
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QCOMPARE(doc.project().panels[4].chosenVariant, 2);
    }

    void addVariantUndoKeepsTheImageFile()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path(), 1);
        StoryDocument doc;
        QString error;
        QVERIFY(doc.load(path, &error));
        QSignalSpy focus(&doc, &StoryDocument::panelFocusRequested);
        story::PanelVariant variant;
        variant.path = QStringLiteral("images/panel-02-v0.png"); // any existing image will do
        variant.seed = 77;
        doc.addVariant(0, variant);
        QCOMPARE(doc.project().panels[0].variants.size(), 2);
        QCOMPARE(doc.project().panels[0].chosenVariant, 1);
        doc.undoStack()->undo();
        QCOMPARE(doc.project().panels[0].variants.size(), 1);
        QCOMPARE(doc.project().panels[0].chosenVariant, 0);
        QVERIFY(QFileInfo::exists(dir.filePath(variant.path)));
        QCOMPARE(focus.count(), 1);
        QCOMPARE(focus.last().at(0).toInt(), 0);
        doc.undoStack()->redo();
        QCOMPARE(doc.project().panels[0].variants.last().seed, qint64(77));
    }

    void runtimeStateIsNotAnEdit()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path());
        StoryDocument doc;
        QCOMPARE(doc.panelState(0), PanelState::Empty);
        QString error;
        QVERIFY(doc.load(path, &error));
        QCOMPARE(doc.panelState(0), PanelState::HasImage);
        QSignalSpy spy(&doc, &StoryDocument::panelStateChanged);
        doc.setPanelState(0, PanelState::Running);
        QCOMPARE(doc.panelState(0), PanelState::Running);
        QCOMPARE(spy.count(), 1);
        QVERIFY(!doc.isModified());
        doc.setPanelState(0, PanelState::HasImage); // clears the runtime state
        QCOMPARE(doc.panelState(0), PanelState::HasImage);
    }

    void saveAsIntoAnotherFolderTakesTheImagesAlong()
    {
        QTemporaryDir from, to;
        const QString path = test::writeProjectWithImages(from.path(), 2);
        StoryDocument doc;
        QString error;
        QVERIFY(doc.load(path, &error));
        const QString target = to.filePath(QStringLiteral("copy/story.json"));
        QVERIFY(QDir().mkpath(to.filePath(QStringLiteral("copy"))));
        QVERIFY2(doc.saveAs(target, &error), qPrintable(error));
        QVERIFY(QFileInfo::exists(to.filePath(QStringLiteral("copy/images/panel-08-v0.png"))));
        QVERIFY(QFileInfo::exists(to.filePath(QStringLiteral("copy/images/panel-08-v1.png"))));
        QVERIFY(doc.chosenImagePath(7).startsWith(QFileInfo(to.path()).canonicalFilePath()));
        const auto reopened = story::ProjectFile::load(target, &error);
        QVERIFY2(reopened.has_value(), qPrintable(error));
        QVERIFY(*reopened == doc.project());
    }
};

QTEST_MAIN(TestStoryDocument)
#include "TestStoryDocument.moc"
