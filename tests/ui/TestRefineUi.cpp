// The studio's refine features with a scripted engine: prompt weighting in the editor (highlighting, Ctrl+Up/Down,
// the token count without the syntax), Render N variants (seeds, one undo step), the Refine dialog (steps that run,
// sources, the job it queues), the hires fix per panel (size shown, parameters sent, export size check) and
// restoring a refined or hires image's parameters by drag-and-drop.
#include "FakeRenderEngine.h"
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/PanelEditor.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/VariantStrip.h"
#include "ui/prompt/PromptEditorSupport.h"
#include "ui/prompt/PromptWeightEdit.h"
#include "ui/refine/HiresFixRow.h"
#include "ui/refine/RefineActions.h"
#include "ui/refine/RefineDialog.h"
#include "ui/render/PromptTokenCounter.h"
#include "ui/render/RenderQueue.h"

#include "story/A1111Parameters.h"
#include "story/PanelMetadata.h"
#include "story/StoryExporter.h"
#include "story/StoryValidator.h"

#include <QCryptographicHash>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QUndoStack>

#include <memory>

using namespace studio;
using namespace studio::ui;
using studio::ui::test::FakeRenderEngine;
using studio::ui::test::FakeScript;

namespace {

constexpr int kWaitMs = 20000;

QString sha256Of(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly)
               ? QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex())
               : QString();
}

} // namespace

class TestRefineUi : public QObject
{
    Q_OBJECT

    std::shared_ptr<FakeScript> m_script;
    std::unique_ptr<QTemporaryDir> m_dir;

    // A saved story whose panels have one 64x64 image each, 4 steps, a fake model folder.
    std::unique_ptr<MainWindow> makeWindow()
    {
        const QString path = test::writeProjectWithImages(m_dir->path(), 1, 64);
        QString error;
        story::Project project = *story::ProjectFile::load(path, &error);
        for (story::Panel &panel : project.panels)
            panel.steps = 4;
        project.modelFolder = QStringLiteral("/models/fake-kolors");
        story::ProjectFile::save(project, path, &error);
        auto window = std::make_unique<MainWindow>(std::make_unique<FakeRenderEngine>(m_script));
        window->show();
        window->openFile(path);
        return window;
    }

    QList<GenerationParams> generated() const
    {
        QMutexLocker lock(&m_script->mutex);
        return m_script->generated;
    }

private Q_SLOTS:
    void initTestCase()
    {
        studio::ui::test::enterTestMode(QStringLiteral("storyboard-studio-refine-tests"));
    }

    void init()
    {
        studio::ui::test::resetStudioState();
        m_script = std::make_shared<FakeScript>();
        m_dir = std::make_unique<QTemporaryDir>();
    }

    // --- prompt weighting in the editor ---

    void weightKeysFollowA1111_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("selected");
        QTest::newRow("word under the cursor") << "a red cloak" << 3 << 3 << 0.1 << "a (red:1.1) cloak"
                                               << "red";
        QTest::newRow("selection lowered") << "a red cloak" << 2 << 11 << -0.1 << "a (red cloak:0.9)"
                                           << "red cloak";
        QTest::newRow("raise a weighted word") << "a (red:1.1) cloak" << 5 << 5 << 0.1 << "a (red:1.2) cloak"
                                               << "red";
        QTest::newRow("back to 1 drops the brackets") << "a (red:1.1) cloak" << 5 << 5 << -0.1 << "a red cloak"
                                                      << "red";
        QTest::newRow("plain brackets count as 1.1") << "(red)" << 2 << 2 << 0.1 << "(red:1.2)"
                                                     << "red";
        QTest::newRow("Chinese phrase") << "一只猫，红色斗篷，雪山" << 5 << 5 << 0.1 << "一只猫，(红色斗篷:1.1)，雪山"
                                        << "红色斗篷";
    }
    void weightKeysFollowA1111()
    {
        QFETCH(QString, text);
        QFETCH(int, start);
        QFETCH(int, end);
        QFETCH(double, step);
        QFETCH(QString, expected);
        QFETCH(QString, selected);
        const auto edit = adjustPromptWeight(text, start, end, step);
        QVERIFY(edit.has_value());
        QCOMPARE(edit->text, expected);
        QCOMPARE(edit->text.mid(edit->selectionStart, edit->selectionEnd - edit->selectionStart), selected);
        QVERIFY(!adjustPromptWeight(QStringLiteral("   "), 1, 1, 0.1).has_value());
    }

    void ctrlUpInThePromptIsOneUndoStep()
    {
        auto w = makeWindow();
        auto *prompt = w->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
        QVERIFY(prompt);
        prompt->setFocus();
        QTextCursor cursor = prompt->textCursor();
        cursor.setPosition(1); // in "panel"
        prompt->setTextCursor(cursor);
        const QString before = w->document()->project().panels[0].prompt;
        QTest::keyClick(prompt, Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("(panel:1.1) 1 prompt"));
        QCOMPARE(prompt->textCursor().selectedText(), QStringLiteral("panel"));
        QTest::keyClick(prompt, Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("(panel:1.2) 1 prompt"));
        w->document()->breakMerge();
        QTest::keyClick(prompt, Qt::Key_Down, Qt::ControlModifier);
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("(panel:1.1) 1 prompt"));
        w->document()->undoStack()->undo();
        QCOMPARE(w->document()->project().panels[0].prompt, QStringLiteral("(panel:1.2) 1 prompt"));
        w->document()->undoStack()->undo();
        QCOMPARE(w->document()->project().panels[0].prompt, before);
    }

    void syntaxIsHighlighted()
    {
        QPlainTextEdit edit;
        PromptEditorSupport::install(&edit);
        edit.setPlainText(QStringLiteral("a (red:1.5) [dim] \\(x\\)"));
        const QList<QTextLayout::FormatRange> formats = edit.document()->firstBlock().layout()->formats();
        auto formatAt = [&](int position) {
            for (const QTextLayout::FormatRange &range : formats)
                if (position >= range.start && position < range.start + range.length)
                    return range.format;
            return QTextCharFormat();
        };
        const QColor syntax = formatAt(2).foreground().color();   // "("
        QCOMPARE(formatAt(6).foreground().color(), syntax);       // ":1.5)"
        QCOMPARE(formatAt(12).foreground().color(), syntax);      // "["
        QCOMPARE(formatAt(3).fontWeight(), int(QFont::DemiBold)); // "red" raised
        QVERIFY(formatAt(13).foreground().color() != syntax);     // "dim" lowered: its own colour
        QVERIFY(formatAt(13).foreground().style() != Qt::NoBrush);
        QCOMPARE(formatAt(0).foreground().style(), Qt::NoBrush); // plain text stays plain
        QCOMPARE(formatAt(18).foreground().color(), syntax);     // the backslash of "\("
        QVERIFY(formatAt(19).foreground().color() != syntax);    // the literal "("
        // A weight that is no number is underlined, the way the engine refuses it.
        edit.setPlainText(QStringLiteral("a (cat:1.2.3)"));
        bool underlined = false;
        for (const QTextLayout::FormatRange &range : edit.document()->firstBlock().layout()->formats())
            underlined = underlined || range.format.underlineStyle() == QTextCharFormat::WaveUnderline;
        QVERIFY(underlined);
    }

    // --- Render N variants ---

    void renderVariantsUsesConsecutiveSeedsInOneUndoStep()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        QVERIFY(w->refineActions());
        QCOMPARE(w->refineActions()->variantsAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QString why;
        QVERIFY(!w->refineActions()->renderVariants(17, &why));
        QVERIFY(!why.isEmpty());
        QVERIFY2(w->refineActions()->renderVariants(3, &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!w->renderQueue()->isBusy(), kWaitMs);
        const story::Panel &panel = doc->project().panels[0];
        QCOMPARE(panel.variants.size(), 4);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(panel.variants[i + 1].seed, qint64(1000 + i));
            QCOMPARE(panel.variants[i + 1].parameters.value(QStringLiteral("batchIndex")).toInt(), i);
        }
        QCOMPARE(doc->project().panels[0].seed, qint64(1000)); // the panel's own seed stays
        doc->undoStack()->undo();
        QCOMPARE(doc->project().panels[0].variants.size(), 1);
        QCOMPARE(doc->project().panels[0].chosenVariant, 0);
        doc->undoStack()->redo();
        QCOMPARE(doc->project().panels[0].variants.size(), 4);
        QCOMPARE(doc->project().panels[0].chosenVariant, 3);
    }

    // --- the Refine dialog ---

    void refineDialogQueuesImg2imgFromAVariant()
    {
        auto w = makeWindow();
        auto *dialog = qobject_cast<RefineDialog *>(w->refineActions()->showRefineDialog());
        QVERIFY(dialog);
        QVERIFY(!dialog->initImage().isNull()); // starts from the chosen image
        dialog->setStrength(0.6);
        QCOMPARE(dialog->stepsThatRun(), 2); // int(4 × 0.6)
        auto *steps = dialog->findChild<QLabel *>(QStringLiteral("refineStepsLabel"));
        QVERIFY(steps->text().contains(QStringLiteral("2 of the panel's 4 steps")));
        dialog->setStrength(0.2); // int(0.8) = 0: nothing would run
        QCOMPARE(dialog->stepsThatRun(), 0);
        QString why;
        QVERIFY(!dialog->startRefine(&why));
        QVERIFY(why.contains(QStringLiteral("No step")));
        dialog->setStrength(0.75);
        QVERIFY2(dialog->startRefine(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!w->renderQueue()->isBusy(), kWaitMs);
        QTRY_VERIFY(!dialog->resultImage().isNull()); // the result beside its init image

        const GenerationParams params = generated().last();
        const QString variantPath = w->document()->variantImagePath(0, 0);
        QCOMPARE(QFileInfo(params.refine.initImagePath), QFileInfo(variantPath));
        QCOMPARE(params.refine.initImageFile, w->document()->project().panels[0].variants[0].path);
        QCOMPARE(params.refine.initImageSha256, sha256Of(variantPath));
        QCOMPARE(params.refine.strength, 0.75);
        QVERIFY(!params.hires.enabled); // img2img keeps the panel's size
        const story::PanelVariant &refined = w->document()->project().panels[0].variants.last();
        QCOMPARE(refined.parameters.value(QStringLiteral("strength")).toDouble(), 0.75);
        QString details;
        QVERIFY(VariantStrip::refineSummary(refined.parameters, &details).contains(QStringLiteral("img2img 0.75")));
        QVERIFY(details.contains(sha256Of(variantPath).left(12)));
        dialog->close();
    }

    void refineFromAPastedImageKeepsItInTheStory()
    {
        auto w = makeWindow();
        auto *dialog = qobject_cast<RefineDialog *>(w->refineActions()->showRefineDialog());
        QVERIFY(dialog);
        QImage pasted(80, 50, QImage::Format_ARGB32);
        pasted.fill(QColor(10, 200, 30, 128));
        dialog->useImage(pasted);
        dialog->setStrength(1.0);
        QString why;
        QVERIFY2(dialog->startRefine(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!w->renderQueue()->isBusy(), kWaitMs);
        const GenerationParams params = generated().last();
        QVERIFY2(params.refine.initImageFile.startsWith(QStringLiteral("images/init/pasted-")),
                 qPrintable(params.refine.initImageFile));
        const QString stored = w->document()->projectDir() + QLatin1Char('/') + params.refine.initImageFile;
        QVERIFY(QFileInfo::exists(stored));
        QCOMPARE(params.refine.initImageSha256, sha256Of(stored));
        QCOMPARE(QImage(stored).size(), QSize(80, 50));
        // A file from elsewhere is copied in as well.
        QTemporaryDir elsewhere;
        const QString outside = elsewhere.path() + QStringLiteral("/outside-init.png");
        QVERIFY(QImage(pasted).save(outside));
        QVERIFY(dialog->useFile(outside));
        QVERIFY2(dialog->startRefine(&why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(!w->renderQueue()->isBusy(), kWaitMs);
        QCOMPARE(generated().last().refine.initImageFile, QStringLiteral("images/init/outside-init.png"));
        dialog->close();
    }

    // --- the hires fix per panel ---

    void hiresFixIsAPanelSettingThatReachesTheEngine()
    {
        auto w = makeWindow();
        StoryDocument *doc = w->document();
        auto *row = w->findChild<HiresFixRow *>(QStringLiteral("hiresFixRow"));
        QVERIFY(row);
        QVERIFY(!doc->project().panels[0].hires.enabled); // off by default
        doc->setPanelField(0, PanelField::HiresEnabled, true);
        doc->setPanelField(0, PanelField::HiresScale, 1.42);
        doc->setPanelField(0, PanelField::HiresStrength, 0.5);
        QVERIFY2(row->sizeText().contains(QStringLiteral("88×88")), qPrintable(row->sizeText())); // int(64×1.42)=90
        QVERIFY(row->sizeText().contains(QStringLiteral("2 of 4 steps")));
        QVERIFY(w->renderCurrentPanel());
        QTRY_VERIFY_WITH_TIMEOUT(!w->renderQueue()->isBusy(), kWaitMs);
        const GenerationParams params = generated().last();
        QVERIFY(params.hires.enabled);
        QCOMPARE(params.hires.scale, 1.42);
        QCOMPARE(params.width, 64); // the panel keeps the story's size
        const story::Panel &panel = doc->project().panels[0];
        QCOMPARE(panel.width, 64);
        QCOMPARE(QImage(doc->chosenImagePath(0)).size(), QSize(88, 88));
        QString error;
        // The larger image is what the panel is meant to have: no size warning before export.
        const QVector<story::StoryIssue> issues = story::StoryValidator::check(doc->project(), doc->projectDir());
        for (const story::StoryIssue &issue : issues)
            QVERIFY2(!(issue.panel == 0 && issue.message.contains(QStringLiteral("image is"))),
                     qPrintable(issue.toString()));
        // Export takes the hires image as the panel's PNG, and the grid keeps its 1024x2048.
        const QString out = m_dir->path() + QStringLiteral("/export");
        QVERIFY2(story::StoryExporter::exportStory(doc->project(), doc->projectDir(), out, &error), qPrintable(error));
        QCOMPARE(QImage(out + QStringLiteral("/panels/01.png")).size(), QSize(88, 88));
        QCOMPARE(QImage(out + QStringLiteral("/grid.png")).size(), QSize(1024, 2048));
        // The setting survives saving.
        QVERIFY(story::ProjectFile::save(doc->project(), m_dir->path() + QStringLiteral("/copy.json"), &error));
        const auto reloaded = story::ProjectFile::load(m_dir->path() + QStringLiteral("/copy.json"), &error);
        QVERIFY2(reloaded, qPrintable(error));
        QCOMPARE(reloaded->panels[0].hires, panel.hires);
    }

    // --- restore by drag-and-drop ---

    void restoringARefinedImageBringsBackItsSettings()
    {
        story::Project project;
        story::Panel &panel = project.panels[2];
        panel.prompt = QStringLiteral("(red:1.2) cloak");
        panel.steps = 20;
        story::PanelVariant variant;
        variant.path = QStringLiteral("images/x.png");
        variant.seed = 5;
        variant.parameters = QJsonObject{{QStringLiteral("steps"), 20},
                                         {QStringLiteral("width"), 64},
                                         {QStringLiteral("height"), 64},
                                         {QStringLiteral("hires"), QJsonObject{{QStringLiteral("scale"), 2.0},
                                                                               {QStringLiteral("strength"), 0.45},
                                                                               {QStringLiteral("steps"), 12},
                                                                               {QStringLiteral("width"), 128},
                                                                               {QStringLiteral("height"), 128}}}};
        panel.variants.append(variant);
        panel.chosenVariant = 0;
        const QVector<story::PngTextChunk> chunks = story::PanelMetadata::chunks(project, 2, std::nullopt, false);
        // The A1111 text names the hires fix as A1111 does.
        const story::A1111Parameters a1111 =
            story::A1111Parameters::parse(*story::PngMetadata::find(chunks, QStringLiteral("parameters")));
        QCOMPARE(a1111.value(QStringLiteral("Hires upscale")), QStringLiteral("2"));
        QCOMPARE(a1111.value(QStringLiteral("Hires steps")), QStringLiteral("12"));
        QCOMPARE(a1111.value(QStringLiteral("Denoising strength")), QStringLiteral("0.45"));
        QCOMPARE(a1111.value(QStringLiteral("Hires upscaler")), QStringLiteral("Latent"));
        QCOMPARE(a1111.size(), std::optional<QSize>(QSize(64, 64)));

        QString error;
        const story::Panel empty;
        const auto ours = story::PanelMetadata::restore(chunks, empty, &error);
        QVERIFY2(ours, qPrintable(error));
        QVERIFY(ours->panel.hires.enabled);
        QCOMPARE(ours->panel.hires.scale, 2.0);
        QCOMPARE(ours->panel.hires.strength, 0.45);
        QCOMPARE(ours->panel.hires.steps, 12);
        QCOMPARE(ours->panel.prompt, panel.prompt);

        // The same from the A1111 text alone (our chunk removed), and an img2img image names its start image.
        QVector<story::PngTextChunk> onlyA1111;
        for (const story::PngTextChunk &c : chunks)
            if (c.keyword == QStringLiteral("parameters"))
                onlyA1111 << c;
        const auto fromText = story::PanelMetadata::restore(onlyA1111, empty, &error);
        QVERIFY(fromText && fromText->panel.hires.enabled && fromText->panel.hires.scale == 2.0);
        QCOMPARE(fromText->panel.hires.steps, 12);

        panel.variants[0].parameters =
            QJsonObject{{QStringLiteral("strength"), 0.6},
                        {QStringLiteral("denoisingSteps"), 12},
                        {QStringLiteral("initImage"),
                         QJsonObject{{QStringLiteral("file"), QStringLiteral("images/init/sketch.png")},
                                     {QStringLiteral("sha256"), QStringLiteral("abcdef0123456789")}}}};
        const auto img2img =
            story::PanelMetadata::restore(story::PanelMetadata::chunks(project, 2, std::nullopt, false), empty, &error);
        QVERIFY(img2img);
        QVERIFY(!img2img->panel.hires.enabled);
        QVERIFY2(img2img->notes.join(' ').contains(QStringLiteral("images/init/sketch.png")),
                 qPrintable(img2img->notes.join(' ')));
        QCOMPARE(story::A1111Parameters::parse(
                     *story::PngMetadata::find(story::PanelMetadata::chunks(project, 2, std::nullopt, false),
                                               QStringLiteral("parameters")))
                     .value(QStringLiteral("Denoising strength")),
                 QStringLiteral("0.6"));
    }

#ifdef STUDIO_TEST_TINY_MODEL
    // The n/256 counter counts what the encoder reads: the text without its weighting syntax.
    void tokenCountLeavesTheSyntaxOut()
    {
        PromptTokenCounter counter;
        counter.setModelFolder(QStringLiteral(STUDIO_TEST_TINY_MODEL));
        QTRY_VERIFY_WITH_TIMEOUT(counter.isReady(), kWaitMs);
        const int plain = counter.count(QStringLiteral("a cat on a mat")).tokens;
        QCOMPARE(counter.count(QStringLiteral("a (cat:1.3) on a [[mat]]")).tokens, plain);
        QVERIFY(counter.count(QStringLiteral("a \\(cat\\) on a mat")).tokens > plain); // literal brackets count
    }
#endif
};

QTEST_MAIN(TestRefineUi)
#include "TestRefineUi.moc"
