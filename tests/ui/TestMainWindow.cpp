// The studio window driven like a user would: typing, undo/redo, save/open, autosave and recovery,
// language switch and export. Runs offscreen; dialogs are answered through MessageBox/FileDialog.
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/FileDialog.h"
#include "ui/MainWindow.h"
#include "ui/export/ExportDialog.h"
#include "ui/MessageBox.h"
#include "ui/PanelBoard.h"
#include "ui/PanelThumbnail.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/VariantStrip.h"

#include "story/ProjectFile.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCheckBox>
#include <QInputMethodEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWindow>

#include <memory>

using namespace studio;
using namespace studio::ui;

namespace {
QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Chinese arrives through the input method, as a commit string (QTest::keyClicks only knows Latin-1).
void typeCommitted(QWidget *widget, const QString &text)
{
    QInputMethodEvent event;
    event.setCommitString(text);
    QCoreApplication::sendEvent(widget, &event);
}

void endTypingSession(QWidget *widget)
{
    QFocusEvent out(QEvent::FocusOut);
    QCoreApplication::sendEvent(widget, &out);
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
        return window;
    }

    template <typename T> static T *child(QWidget *window, const char *name)
    {
        T *widget = window->findChild<T *>(QLatin1String(name));
        if (!widget)
            qFatal("no child named %s", name);
        return widget;
    }

    static QAction *action(QWidget *window, const char *name) { return child<QAction>(window, name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("StoryboardStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("storyboard-studio-tests"));
    }

    void init()
    {
        AppSettings::createTempFileInstance();
        QDir(AutosaveManager::autosaveDir()).removeRecursively();
        MessageBox::resetTestState();
        Translator::install(QStringLiteral("en"));
    }

    void typingIsOneUndoStep()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        auto *prompt = child<QPlainTextEdit>(w.get(), "promptEdit");
        QVERIFY(!w->isWindowModified());
        QTest::keyClicks(prompt, QStringLiteral("a cat on a roof"));
        QCOMPARE(doc->project().panels[0].prompt, QStringLiteral("a cat on a roof"));
        QCOMPARE(doc->undoStack()->count(), 1);
        QVERIFY(w->isWindowModified());
        QVERIFY(w->windowHandle()->title().contains(QLatin1Char('*')));

        QAction *undo = action(w.get(), "actionUndo");
        QAction *redo = action(w.get(), "actionRedo");
        QVERIFY(undo->isEnabled());
        QVERIFY(!redo->isEnabled());
        undo->trigger();
        QCOMPARE(prompt->toPlainText(), QString());
        QCOMPARE(doc->project().panels[0].prompt, QString());
        QVERIFY(!w->isWindowModified());
        QVERIFY(!w->windowHandle()->title().contains(QLatin1Char('*')));
        QVERIFY(redo->isEnabled());
        redo->trigger();
        QCOMPARE(prompt->toPlainText(), QStringLiteral("a cat on a roof"));
        QVERIFY(w->isWindowModified());
    }

    // The caption: typed in the panel editor, one undo step, shown on the board, saved with the story.
    void captionIsUndoableAndShownOnTheBoard()
    {
        QTemporaryDir dir;
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        auto *caption = child<QPlainTextEdit>(w.get(), "captionEdit");
        QTest::keyClicks(caption, QStringLiteral("Grandpa!"));
        QCOMPARE(doc->project().panels[0].caption, QStringLiteral("Grandpa!"));
        QCOMPARE(doc->project().panels[0].prompt, QString()); // not part of the prompt
        QCOMPARE(doc->undoStack()->count(), 1);
        auto *thumb = child<PanelThumbnail>(w.get(), "panelThumb1");
        QCOMPARE(thumb->caption(), QStringLiteral("Grandpa!"));
        action(w.get(), "actionUndo")->trigger();
        QCOMPARE(doc->project().panels[0].caption, QString());
        QCOMPARE(caption->toPlainText(), QString());
        QCOMPARE(thumb->caption(), QString());
        action(w.get(), "actionRedo")->trigger();
        QCOMPARE(caption->toPlainText(), QStringLiteral("Grandpa!"));
        const QString path = dir.filePath(QStringLiteral("story.json"));
        QVERIFY(w->saveToFile(path));
        QString error;
        QCOMPARE(story::ProjectFile::load(path, &error)->panels[0].caption, QStringLiteral("Grandpa!"));
    }

    // The Export dialog: comic outputs and their visible label on by default, the submission's label off; the
    // preview shows the strip; it fits a 768-pixel-high screen.
    void exportDialogDefaultsAndPreview()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path());
        QString error;
        const std::optional<story::Project> project = story::ProjectFile::load(path, &error);
        QVERIFY2(project, qPrintable(error));
        ExportDialog dialog(*project, dir.path(), dir.filePath(QStringLiteral("out")));
        dialog.show();
        QVERIFY(dialog.sizeHint().height() <= 768 && dialog.height() <= 768);
        ExportChoices c = dialog.choices();
        QVERIFY(c.comic.strip && c.comic.pdf && c.comic.cbz);
        QVERIFY(c.comic.visibleLabel);
        QVERIFY(!c.labelSubmission);
        QCOMPARE(c.dir, dir.filePath(QStringLiteral("out")));
        auto *preview = dialog.findChild<QScrollArea *>(QStringLiteral("exportPreview"));
        QVERIFY(preview && preview->widget());
        const QPixmap strip = static_cast<QLabel *>(preview->widget())->pixmap();
        QVERIFY(!strip.isNull() && strip.height() > strip.width() * 4);
        child<QCheckBox>(&dialog, "exportLabelComicCheck")->setChecked(false);
        child<QCheckBox>(&dialog, "exportCbzCheck")->setChecked(false);
        child<QComboBox>(&dialog, "exportPdfLayoutCombo")->setCurrentIndex(1);
        c = dialog.choices();
        QVERIFY(!c.comic.visibleLabel && !c.comic.cbz);
        QVERIFY(c.comic.pdfLayout == story::ComicOptions::PdfLayout::PanelPerPage);
    }

    void ctrlZInATextFieldUndoesTheStory()
    {
        auto w = makeWindow();
        QApplication::setActiveWindow(w.get());
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        auto *prompt = child<QPlainTextEdit>(w.get(), "promptEdit");
        auto *title = child<QLineEdit>(w.get(), "titleEdit");
        QTest::keyClicks(title, QStringLiteral("Title"));
        prompt->setFocus();
        QTest::keyClicks(prompt, QStringLiteral("moon"));
        QCOMPARE(w->document()->undoStack()->count(), 2);
        QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(prompt->toPlainText(), QString());
        QCOMPARE(w->document()->undoStack()->index(), 1);
        QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(w->document()->project().title, QString());
        QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(w->document()->project().title, QStringLiteral("Title"));
    }

    void leavingAFieldStartsANewUndoStep()
    {
        auto w = makeWindow();
        auto *prompt = child<QPlainTextEdit>(w.get(), "promptEdit");
        auto *negative = child<QPlainTextEdit>(w.get(), "negativeEdit");
        QTest::keyClicks(prompt, QStringLiteral("rain"));
        endTypingSession(prompt);
        QTest::keyClicks(negative, QStringLiteral("blurry"));
        endTypingSession(negative);
        QTest::keyClicks(prompt, QStringLiteral(", night"));
        QCOMPARE(w->document()->undoStack()->count(), 3);
        action(w.get(), "actionUndo")->trigger();
        QCOMPARE(prompt->toPlainText(), QStringLiteral("rain"));
        QCOMPARE(negative->toPlainText(), QStringLiteral("blurry"));
    }

    void editorFollowsTheBoardAndUndo()
    {
        auto w = makeWindow();
        auto *header = child<QLabel>(w.get(), "panelTitleLabel");
        QTest::mouseClick(child<PanelThumbnail>(w.get(), "panelThumb3"), Qt::LeftButton);
        QCOMPARE(w->board()->currentPanel(), 2);
        QVERIFY(header->text().contains(QLatin1Char('3')));
        child<QSpinBox>(w.get(), "stepsSpin")->setValue(40);
        QCOMPARE(w->document()->project().panels[2].steps, 40);
        QTest::mouseClick(child<PanelThumbnail>(w.get(), "panelThumb1"), Qt::LeftButton);
        QCOMPARE(child<QSpinBox>(w.get(), "stepsSpin")->value(), w->document()->project().panels[0].steps);
        // Undoing an edit of panel 3 brings panel 3 back into view.
        action(w.get(), "actionUndo")->trigger();
        QCOMPARE(w->board()->currentPanel(), 2);
        QCOMPARE(child<QSpinBox>(w.get(), "stepsSpin")->value(), 25);
    }

    void saveAndOpenRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        auto w = makeWindow();
        QTest::mouseClick(child<PanelThumbnail>(w.get(), "panelThumb3"), Qt::LeftButton);
        typeCommitted(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("月下的小猫"));
        child<QSpinBox>(w.get(), "stepsSpin")->setValue(31);
        child<QComboBox>(w.get(), "seedModeCombo")->setCurrentIndex(3);
        child<QComboBox>(w.get(), "samplerCombo")->setCurrentIndex(2);
        typeCommitted(child<QLineEdit>(w.get(), "titleEdit"), QStringLiteral("猫的一天"));
        typeCommitted(child<QLineEdit>(w.get(), "stylePrefixEdit"), QStringLiteral("水墨画"));

        FileDialog::setNextFileName(path);
        action(w.get(), "actionSaveAs")->trigger();
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(!w->isWindowModified());
        QVERIFY(w->windowTitle().contains(QStringLiteral("猫的一天")));
        QCOMPARE(w->windowFilePath(), w->document()->filePath());

        auto w2 = makeWindow();
        FileDialog::setNextFileName(path);
        action(w2.get(), "actionOpen")->trigger();
        QCOMPARE(w2->document()->filePath(), w->document()->filePath());
        QVERIFY(w2->document()->project() == w->document()->project());
        const story::Panel &panel = w2->document()->project().panels[2];
        QCOMPARE(panel.prompt, QStringLiteral("月下的小猫"));
        QCOMPARE(panel.steps, 31);
        QCOMPARE(panel.seedMode, story::SeedMode::Randomize);
        QCOMPARE(w2->document()->project().title, QStringLiteral("猫的一天"));
        QCOMPARE(child<QLineEdit>(w2.get(), "stylePrefixEdit")->text(), QStringLiteral("水墨画"));
        QTest::mouseClick(child<PanelThumbnail>(w2.get(), "panelThumb3"), Qt::LeftButton);
        QCOMPARE(child<QPlainTextEdit>(w2.get(), "promptEdit")->toPlainText(), QStringLiteral("月下的小猫"));
        QVERIFY(!w2->isWindowModified());
        QCOMPARE(AppSettings::instance()->get(Setting::RecentFiles).toStringList().value(0),
                 w2->document()->filePath());
    }

    void malformedFileIsRefusedWithItsReason()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"app\": \"storyboard-studio\", \"schema\": 1, \"title\": \"x\", \"panels\": [1, 2]}");
        file.close();
        auto w = makeWindow();
        QTest::keyClicks(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("current work"));
        QVERIFY(!w->openFile(path));
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("panels")));
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("current work")); // untouched
        QVERIFY(w->document()->filePath().isEmpty());
    }

    void unsavedChangesAreNotLostByNew()
    {
        auto w = makeWindow();
        QTest::keyClicks(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("keep me"));
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        action(w.get(), "actionNew")->trigger();
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("keep me"));
        MessageBox::setNextAnswer(QMessageBox::Discard);
        action(w.get(), "actionNew")->trigger();
        QCOMPARE(w->document()->project().panels[0].prompt, QString());
        QVERIFY(!w->isWindowModified());
        QCOMPARE(MessageBox::shownCount(), 2);
    }

    void closeAsksAboutUnsavedChanges()
    {
        auto w = makeWindow();
        QTest::keyClicks(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("draft"));
        w->autosave()->saveNow();
        w->autosave()->waitForIdle();
        const QString autosavePath = w->autosave()->currentPath();
        QVERIFY(QFileInfo::exists(autosavePath));
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        QVERIFY(!w->close());
        QVERIFY(w->isVisible());
        MessageBox::setNextAnswer(QMessageBox::Discard);
        QVERIFY(w->close());
        QVERIFY(!QFileInfo::exists(autosavePath)); // a deliberate close leaves nothing to recover
    }

    void autosaveRecoversAfterACrash()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path());
        QVERIFY(!path.isEmpty());
        const QByteArray original = readAll(path);
        QString autosavePath;
        {
            auto w = makeWindow();
            QVERIFY(w->openFile(path));
            auto *prompt = child<QPlainTextEdit>(w.get(), "promptEdit");
            prompt->moveCursor(QTextCursor::End);
            QTest::keyClicks(prompt, QStringLiteral(" edited"));
            QSignalSpy saved(w->autosave(), &AutosaveManager::saved);
            w->autosave()->setInterval(20);
            QVERIFY(saved.wait(5000));
            autosavePath = w->autosave()->currentPath();
            QCOMPARE(saved.first().at(0).toString(), autosavePath);
            QCOMPARE(autosavePath, AutosaveManager::autosavePathForProject(path));
            QVERIFY(autosavePath.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
            QVERIFY(readAll(autosavePath).contains("panel 1 prompt edited"));
            QCOMPARE(readAll(path), original); // never written over the user's file
            // The window disappears without closing: a crash as far as the autosave knows.
        }
        QVERIFY(QFileInfo::exists(autosavePath));

        auto w2 = makeWindow();
        MessageBox::setNextAnswer(QMessageBox::Yes);
        QVERIFY(w2->openFile(path));
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("story.json")));
        QCOMPARE(w2->document()->project().panels[0].prompt, QStringLiteral("panel 1 prompt edited"));
        QCOMPARE(child<QPlainTextEdit>(w2.get(), "promptEdit")->toPlainText(), QStringLiteral("panel 1 prompt edited"));
        QVERIFY(w2->document()->isModified());
        QVERIFY(w2->isWindowModified());
        QCOMPARE(w2->document()->filePath(), QFileInfo(path).canonicalFilePath());
        QVERIFY(w2->save());
        QVERIFY(!QFileInfo::exists(autosavePath)); // a clean save removes it
        QVERIFY(readAll(path).contains("panel 1 prompt edited"));
    }

    void declinedRecoveryIsDeleted()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path());
        QString autosavePath;
        {
            auto w = makeWindow();
            QVERIFY(w->openFile(path));
            QTest::keyClicks(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("!"));
            w->autosave()->saveNow();
            w->autosave()->waitForIdle();
            autosavePath = w->autosave()->currentPath();
        }
        auto w2 = makeWindow();
        MessageBox::setNextAnswer(QMessageBox::No);
        QVERIFY(w2->openFile(path));
        QCOMPARE(w2->document()->project().panels[0].prompt, QStringLiteral("panel 1 prompt"));
        QVERIFY(!w2->document()->isModified());
        QVERIFY(!QFileInfo::exists(autosavePath));
    }

    void untitledWorkIsOfferedAtStartUp()
    {
        QString autosavePath;
        {
            auto w = makeWindow();
            QTest::keyClicks(child<QPlainTextEdit>(w.get(), "promptEdit"), QStringLiteral("never saved"));
            w->autosave()->saveNow();
            w->autosave()->waitForIdle();
            autosavePath = w->autosave()->currentPath();
            QVERIFY(QFileInfo(autosavePath).fileName().startsWith(QStringLiteral("untitled-")));

            // While its window lives, another instance must not offer it.
            auto other = makeWindow();
            other->offerStartupRecovery();
            QCOMPARE(MessageBox::shownCount(), 0);
        }
        auto w2 = makeWindow();
        MessageBox::setNextAnswer(QMessageBox::Yes);
        w2->offerStartupRecovery();
        QCOMPARE(MessageBox::shownCount(), 1);
        QCOMPARE(w2->document()->project().panels[0].prompt, QStringLiteral("never saved"));
        QVERIFY(w2->document()->filePath().isEmpty());
        QVERIFY(w2->isWindowModified());
        // The recovered story lives on in the new session's own autosave; the old one is gone.
        QVERIFY(!QFileInfo::exists(autosavePath));
        QVERIFY(QFileInfo::exists(w2->autosave()->currentPath()));
    }

    void languageSwitchTranslatesTheWindow()
    {
        auto w = makeWindow();
        auto *fileMenu = child<QMenu>(w.get(), "menuFile");
        auto *tabs = child<QTabWidget>(w.get(), "sideTabs");
        QCOMPARE(fileMenu->title(), QStringLiteral("&File"));
        QAction *chinese = action(w.get(), "actionLanguage_zh_CN");
        chinese->trigger();
        QTRY_COMPARE(fileMenu->title(), QStringLiteral("文件(&F)"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("故事"));
        QCOMPARE(action(w.get(), "actionSave")->text(), QStringLiteral("保存(&S)"));
        QVERIFY(child<QLabel>(w.get(), "panelTitleLabel")->text().contains(QStringLiteral("分镜")));
        QCOMPARE(child<PanelThumbnail>(w.get(), "panelThumb1")->accessibleName(), QStringLiteral("分镜 1：空"));
        QVERIFY(w->windowTitle().contains(QStringLiteral("分镜工作室")));
        QVERIFY(chinese->isChecked());
        QCOMPARE(AppSettings::instance()->get(Setting::Language).toString(), QStringLiteral("zh_CN"));

        action(w.get(), "actionLanguage_en")->trigger();
        QTRY_COMPARE(fileMenu->title(), QStringLiteral("&File"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Story"));
    }

    void boardShowsImagesAndStates()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path());
        auto w = makeWindow();
        auto *thumb = child<PanelThumbnail>(w.get(), "panelThumb4");
        QCOMPARE(thumb->state(), PanelState::Empty);
        QVERIFY(!thumb->hasImage());
        QVERIFY(w->openFile(path));
        QCOMPARE(thumb->state(), PanelState::HasImage);
        QVERIFY(thumb->hasImage());
        w->document()->setPanelState(3, PanelState::Running);
        QCOMPARE(thumb->state(), PanelState::Running);
        w->document()->setPanelState(3, PanelState::Failed);
        QCOMPARE(thumb->state(), PanelState::Failed);
        QVERIFY(!w->isWindowModified());
    }

    void choosingAVariantIsUndoable()
    {
        QTemporaryDir dir;
        const QString path = test::writeProjectWithImages(dir.path(), 3);
        auto w = makeWindow();
        QVERIFY(w->openFile(path));
        auto *strip = child<VariantStrip>(w.get(), "variantStrip");
        QCOMPARE(strip->count(), 3);
        QCOMPARE(strip->currentRow(), 2);
        strip->setCurrentRow(0); // what a click does
        QCOMPARE(w->document()->project().panels[0].chosenVariant, 0);
        QVERIFY(w->isWindowModified());
        action(w.get(), "actionUndo")->trigger();
        QCOMPARE(w->document()->project().panels[0].chosenVariant, 2);
        QCOMPARE(strip->currentRow(), 2);
    }

    void exportWritesTheGrid()
    {
        QTemporaryDir dir, out;
        const QString path = test::writeProjectWithImages(dir.path());
        auto w = makeWindow();
        QVERIFY(w->openFile(path));
        QSignalSpy finished(w.get(), &MainWindow::exportFinished);
        ExportChoices choices; // what the Export dialog answers: the folder and the phone strip
        choices.dir = out.path();
        choices.comic.strip = true;
        choices.comic.visibleLabel = true;
        ExportDialog::setNextChoices(choices);
        MessageBox::setNextAnswer(QMessageBox::Ok); // the "please note" box, if the exporter has notes
        action(w.get(), "actionExport")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        const QImage grid(out.filePath(QStringLiteral("grid.png")));
        QCOMPARE(grid.size(), QSize(1024, 2048));
        // Panel 2 is the top-right tile: its centre has panel 2's colour.
        const QImage panel2(dir.filePath(QStringLiteral("images/panel-02-v0.png")));
        const QColor expected = panel2.pixelColor(panel2.width() / 2, panel2.height() / 2);
        const QColor actual = grid.pixelColor(512 + 256, 256);
        QVERIFY(qAbs(expected.red() - actual.red()) <= 2 && qAbs(expected.green() - actual.green()) <= 2 &&
                qAbs(expected.blue() - actual.blue()) <= 2);
        QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("panels/08.png"))));
        // The comic comes from the same exporter as on the command line.
        QCOMPARE(QImage(out.filePath(QStringLiteral("comic-strip.png"))).width(), 1080);
        QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("comic.pdf"))));
        QVERIFY(!w->isExporting());
    }

    // A label whose text has a mnemonic (&X) shows a literal ampersand unless it has a buddy.
    void mnemonicLabelsHaveBuddies()
    {
        for (const QString &language : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
            Translator::install(language);
            auto w = makeWindow();
            QCoreApplication::processEvents();
            for (QLabel *label : w->findChildren<QLabel *>()) {
                const QString text = label->text().replace(QStringLiteral("&&"), QString());
                if (text.contains(QLatin1Char('&')) && !label->buddy())
                    QFAIL(qPrintable(QStringLiteral("label without buddy: %1").arg(label->text())));
            }
        }
    }

    void exportFailureIsShown()
    {
        QTemporaryDir out;
        auto w = makeWindow(); // a new story: no panel has an image
        QSignalSpy finished(w.get(), &MainWindow::exportFinished);
        QVERIFY(w->exportTo(out.path()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(!finished.first().at(0).toBool());
        const QString message = finished.first().at(1).toString();
        QVERIFY(!message.isEmpty());
        QCOMPARE(MessageBox::lastText(), message);
        QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("grid.png"))));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
