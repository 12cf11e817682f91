// The story's Character section (issue 13): undoable edits, validation, the reference image copied into the
// project folder or taken from a panel, Settings ▸ Model's IP-Adapter files, and settings restored from an image.
#include "UiTestSupport.h"

#include "story/CharacterUse.h"
#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"

#include "ui/AppSettings.h"
#include "ui/FileDialog.h"
#include "ui/ModelSettingsDialog.h"
#include "ui/StoryDocument.h"
#include "ui/character/CharacterSection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace studio;
using namespace studio::ui;

namespace {

template <typename T> T *child(QWidget *parent, const char *name)
{
    T *widget = parent->findChild<T *>(QLatin1String(name));
    if (!widget)
        qFatal("no widget %s", name);
    return widget;
}

} // namespace

class TestCharacterSection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::enterTestMode(QStringLiteral("test_ui_character")); }
    void init() { test::resetStudioState(); }

    void editsAreUndoable()
    {
        StoryDocument doc;
        CharacterSection section(&doc);
        auto *consistent = child<QCheckBox>(&section, "consistentCharactersCheck");
        auto *identity = child<QSpinBox>(&section, "identityPanelsSpin");
        auto *strength = child<QDoubleSpinBox>(&section, "consistencyStrengthSpin");
        QVERIFY(!identity->isEnabled()); // off by default: nothing to set
        consistent->setChecked(true);
        QVERIFY(doc.project().character.consistent);
        QVERIFY(identity->isEnabled());
        doc.breakMerge();
        identity->setValue(3);
        identity->setValue(4); // one edit session: one undo step
        doc.breakMerge();
        strength->setValue(0.7);
        QCOMPARE(doc.project().character.identityPanels, 4);
        QCOMPARE(doc.project().character.strength, 0.7);
        QCOMPARE(doc.undoStack()->count(), 3);

        doc.undoStack()->undo();
        QCOMPARE(doc.project().character.strength, 0.5);
        QCOMPARE(strength->value(), 0.5); // the section follows the document
        doc.undoStack()->undo();
        QCOMPARE(doc.project().character.identityPanels, 2);
        QCOMPARE(identity->value(), 2);
        doc.undoStack()->undo();
        QVERIFY(!doc.project().character.consistent);
        QVERIFY(!consistent->isChecked());
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QVERIFY(doc.project().character.consistent);
    }

    // Values the story file would refuse never reach the story.
    void outOfRangeSettingsAreRefused()
    {
        StoryDocument doc;
        story::CharacterSettings c;
        c.identityPanels = story::kPanelCount + 1;
        QVERIFY(!doc.setCharacter(c));
        c.identityPanels = 0;
        QVERIFY(!doc.setCharacter(c));
        c.identityPanels = story::kPanelCount;
        c.strength = 1.5;
        QVERIFY(!doc.setCharacter(c));
        QCOMPARE(doc.undoStack()->count(), 0);
        c.strength = 1.0;
        QVERIFY(doc.setCharacter(c));
        QCOMPARE(doc.project().character.identityPanels, story::kPanelCount);
        CharacterSection section(&doc);
        QCOMPARE(child<QSpinBox>(&section, "identityPanelsSpin")->maximum(), story::kPanelCount);
        QCOMPARE(child<QSpinBox>(&section, "identityPanelsSpin")->value(), story::kPanelCount);
    }

    void referenceFileIsCopiedIntoTheStory()
    {
        QTemporaryDir dir;
        const QString storyPath = test::writeProjectWithImages(dir.filePath(QStringLiteral("story")));
        StoryDocument doc;
        QString error;
        QVERIFY2(doc.load(storyPath, &error), qPrintable(error));
        CharacterSection section(&doc);
        section.show();

        QImage hero(40, 30, QImage::Format_RGB888);
        hero.fill(Qt::red);
        const QString outside = dir.filePath(QStringLiteral("阿月.png"));
        QVERIFY(hero.save(outside));
        auto *source = child<QComboBox>(&section, "referenceSourceCombo");
        FileDialog::setNextFileName(outside);
        source->setCurrentIndex(source->findData(int(story::ReferenceSource::File)));
        Q_EMIT source->activated(source->currentIndex());
        QCOMPARE(doc.project().character.reference, story::ReferenceSource::File);
        QCOMPARE(doc.project().character.referenceFile, QStringLiteral("characters/阿月.png"));
        QVERIFY(QFileInfo::exists(doc.projectDir() + QStringLiteral("/characters/阿月.png")));
        QCOMPARE(child<QLabel>(&section, "referenceFileLabel")->text(), QStringLiteral("阿月.png"));
        QVERIFY(!child<QLabel>(&section, "referencePreview")->pixmap().isNull());
        // No IP-Adapter files on this machine yet: the section says where to set them.
        QVERIFY(child<QLabel>(&section, "characterStatusLabel")->text().contains(QStringLiteral("Settings")));

        // Saved with the story; the copy travels along with Save As.
        QVERIFY2(doc.save(&error), qPrintable(error));
        const QString moved = dir.filePath(QStringLiteral("moved/story.json"));
        QVERIFY(QDir().mkpath(QFileInfo(moved).absolutePath()));
        QVERIFY2(doc.saveAs(moved, &error), qPrintable(error));
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("moved/characters/阿月.png"))));
        StoryDocument reopened;
        QVERIFY2(reopened.load(moved, &error), qPrintable(error));
        QVERIFY(reopened.project().character == doc.project().character);
    }

    void useThisPanelsChosenImage()
    {
        QTemporaryDir dir;
        const QString storyPath = test::writeProjectWithImages(dir.path());
        StoryDocument doc;
        QString error;
        QVERIFY2(doc.load(storyPath, &error), qPrintable(error));
        CharacterSection section(&doc);
        section.setCurrentPanel(3);
        auto *use = child<QPushButton>(&section, "referenceUseCurrentPanelButton");
        QVERIFY(use->text().contains(QLatin1Char('4')));
        use->click();
        QCOMPARE(doc.project().character.reference, story::ReferenceSource::Panel);
        QCOMPARE(doc.project().character.referencePanel, 3);
        QCOMPARE(child<QSpinBox>(&section, "referencePanelSpin")->value(), 4);
        QCOMPARE(doc.undoStack()->count(), 1);
        // The IP scale is one more undoable setting.
        child<QDoubleSpinBox>(&section, "ipScaleSpin")->setValue(0.8);
        QCOMPARE(doc.project().character.ipScale, 0.8);
    }

    void modelSettingsKeepTheIpAdapterFiles()
    {
        QTemporaryDir dir;
        StoryDocument doc;
        ModelSettingsDialog dialog(&doc);
        child<QLineEdit>(&dialog, "ipAdapterFileEdit")
            ->setText(dir.filePath(QStringLiteral("ip_adapter_plus_general.bin")));
        child<QLineEdit>(&dialog, "imageEncoderFolderEdit")->setText(dir.filePath(QStringLiteral("image_encoder")));
        QVERIFY(
            child<QLabel>(&dialog, "ipAdapterIntroLabel")->text().contains(QStringLiteral("Kolors-IP-Adapter-Plus")));
        dialog.apply();
        QCOMPARE(AppSettings::instance()->get(Setting::IpAdapterFile).toString(),
                 dir.filePath(QStringLiteral("ip_adapter_plus_general.bin")));
        QCOMPARE(AppSettings::instance()->get(Setting::ImageEncoderFolder).toString(),
                 dir.filePath(QStringLiteral("image_encoder")));
    }

    // Dropping an image made with consistent characters brings back the story's character settings with the
    // panel's own, as one undo step.
    void restoringAnImageRestoresTheCharacterSettings()
    {
        QTemporaryDir dir;
        story::Project made;
        made.title = QStringLiteral("t");
        made.panels[4].prompt = QStringLiteral("阿月在河边");
        story::PanelVariant variant;
        variant.path = QStringLiteral("x.png");
        variant.seed = 104;
        QJsonObject parameters{{QStringLiteral("prompt"), QStringLiteral("阿月在河边")},
                               {QStringLiteral("seed"), 104},
                               {QStringLiteral("steps"), 9}};
        story::CharacterUse use;
        use.consistent = true;
        use.identityPanels = 3;
        use.strength = 0.6;
        use.start = 1;
        use.storySeed = 100;
        use.panel = 5;
        use.writeInto(&parameters);
        variant.parameters = parameters;
        made.panels[4].variants.append(variant);
        made.panels[4].chosenVariant = 0;
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::blue);
        const QString png = dir.filePath(QStringLiteral("dropped.png"));
        QString error;
        QVERIFY2(story::PngMetadata::writeRgb8(png, image.constBits(), 8, 8, image.bytesPerLine(),
                                               story::PanelMetadata::chunks(made, 4, std::nullopt, false), &error),
                 qPrintable(error));

        StoryDocument doc;
        QStringList notes;
        QVERIFY2(doc.restorePanelFromImage(4, png, &error, &notes), qPrintable(error));
        QVERIFY(doc.project().character.consistent);
        QCOMPARE(doc.project().character.identityPanels, 3);
        QCOMPARE(doc.project().character.strength, 0.6);
        QCOMPARE(doc.project().character.start, 1);
        QCOMPARE(doc.project().panels[4].steps, 9);
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QVERIFY(!doc.project().character.consistent);
        QCOMPARE(doc.project().panels[4].steps, story::Panel().steps);
    }
};

QTEST_MAIN(TestCharacterSection)
#include "TestCharacterSection.moc"
