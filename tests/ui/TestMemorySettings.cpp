// Settings ▸ Model's low-memory choices (issue 16): the text encoder's quantization is saved and read back, and the
// peak-memory estimate follows the choices shown, computed on a pool thread, with the tiny model's real files.
#include "UiTestSupport.h"

#include "ui/AppSettings.h"
#include "ui/ModelSettingsDialog.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/render/EngineChoices.h"
#include "ui/render/MemoryEstimateLabel.h"

#include <QComboBox>
#include <QScrollArea>
#include <QTest>

using namespace studio;
using namespace studio::ui;

namespace {

QString tinyModel()
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny");
}

QComboBox *combo(QDialog &dialog, const char *name)
{
    return dialog.findChild<QComboBox *>(QLatin1String(name));
}

void choose(QComboBox *box, const char *word)
{
    const int index = box->findData(QLatin1String(word));
    QVERIFY2(index >= 0, word);
    box->setCurrentIndex(index);
}

} // namespace

class TestMemorySettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::enterTestMode(QStringLiteral("TestMemorySettings")); }
    void init()
    {
        test::resetStudioState();
        AppSettings::instance()->set(Setting::DefaultModelFolder, tinyModel());
        AppSettings::instance()->set(Setting::RenderDevice, QStringLiteral("cpu"));
    }

    // The estimate shown is the engine's for the choices shown (not the saved ones) and the story's largest panel.
    void theEstimateFollowsTheChoicesShown()
    {
        StoryDocument document;
        story::Project project = document.project();
        for (story::Panel &panel : project.panels)
            panel.width = panel.height = 128;
        project.panels[3].width = 192; // the largest panel decides
        document.reset(project, QString());
        ModelSettingsDialog dialog(&document);
        auto *estimate = dialog.findChild<MemoryEstimateLabel *>(QStringLiteral("memoryEstimateLabel"));
        QVERIFY(estimate);
        QTRY_VERIFY(!estimate->isEstimating());
        QVERIFY2(estimate->figures().ok, qPrintable(estimate->text()));
        const qint64 stored = estimate->figures().privateBytes;

        choose(combo(dialog, "textEncoderQuantCombo"), "int4");
        QVERIFY(estimate->isEstimating()); // on a pool thread: the dialog stays responsive
        QTRY_VERIFY(!estimate->isEstimating());
        QVERIFY2(estimate->figures().ok, qPrintable(estimate->text()));
        // The tiny model's ChatGLM is a few kilobytes: int4 changes the figure without making it visibly smaller.
        QVERIFY(estimate->figures().privateBytes != stored);

        // Exactly the engine's answer for these choices (read as the render queue reads them) at 192x128.
        EngineSettings expected;
        expected.modelDir = tinyModel();
        readEngineChoices(
            [&](Setting key) {
                return key == Setting::TextEncoderQuant ? QStringLiteral("int4")
                       : key == Setting::RenderDevice   ? QStringLiteral("cpu")
                                                        : AppSettings::instance()->get(key).toString();
            },
            &expected);
        const MemoryFigures engine = EngineSupport::estimateMemory(expected, 192, 128);
        QCOMPARE(estimate->figures().privateBytes, engine.privateBytes);
        QCOMPARE(estimate->figures().residentBytes, engine.residentBytes);
        QCOMPARE(estimate->text(), MemoryEstimateLabel::describe(engine, 192, 128));
        QVERIFY2(estimate->text().contains(QStringLiteral("192×128")), qPrintable(estimate->text()));

        // Several changes while one estimate runs: the label ends with the newest.
        choose(combo(dialog, "textEncoderQuantCombo"), "int8");
        choose(combo(dialog, "textEncoderQuantCombo"), "none");
        QTRY_VERIFY(!estimate->isEstimating());
        QCOMPARE(estimate->figures().privateBytes, stored);
    }

    void theQuantizationIsSavedAndReadByTheQueue()
    {
        StoryDocument document;
        {
            ModelSettingsDialog dialog(&document);
            choose(combo(dialog, "textEncoderQuantCombo"), "int8");
            dialog.apply();
        }
        QCOMPARE(AppSettings::instance()->get(Setting::TextEncoderQuant).toString(), QStringLiteral("int8"));
        EngineSettings read;
        readEngineChoices([](Setting key) { return AppSettings::instance()->get(key).toString(); }, &read);
        QCOMPARE(read.textEncoderQuant, RenderQuant::Int8);
        ModelSettingsDialog reopened(&document);
        QCOMPARE(combo(reopened, "textEncoderQuantCombo")->currentData().toString(), QStringLiteral("int8"));
    }

    // A folder that is not a model: no numbers, the reason in the UI language.
    void noEstimateWithoutAModel()
    {
        Translator::install(QStringLiteral("zh_CN"));
        QTemporaryDir empty;
        AppSettings::instance()->set(Setting::DefaultModelFolder, empty.path());
        StoryDocument document;
        ModelSettingsDialog dialog(&document);
        auto *estimate = dialog.findChild<MemoryEstimateLabel *>(QStringLiteral("memoryEstimateLabel"));
        QTRY_VERIFY(!estimate->isEstimating());
        QVERIFY(!estimate->figures().ok);
        QVERIFY2(!estimate->text().contains(QStringLiteral("GiB")), qPrintable(estimate->text()));
        QVERIFY2(!estimate->text().contains(QStringLiteral("No memory estimate")), qPrintable(estimate->text()));
        Translator::install(QStringLiteral("en"));
    }
};

QTEST_MAIN(TestMemorySettings)
#include "TestMemorySettings.moc"
