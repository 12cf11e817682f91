// Settings ▸ Model's low-memory choices (issue 16): the text encoder's quantization is saved and read back, the
// peak-memory estimate follows the choices shown, computed on a pool thread, with the tiny model's real files, and
// the verdict says whether it fits the free memory (given by the tests, not this computer's) in the UI language.
#include "UiTestSupport.h"

#include "bridge/WeightCacheFolder.h"
#include "ui/AppSettings.h"
#include "ui/ModelSettingsDialog.h"
#include "ui/StoryDocument.h"
#include "ui/Translator.h"
#include "ui/render/EngineChoices.h"
#include "ui/render/MemoryEstimateLabel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QTemporaryDir>
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

EngineSettings tinyOn(RenderDevice device)
{
    EngineSettings settings;
    settings.modelDir = tinyModel();
    settings.device = device; // CUDA settings are estimated without a GPU: the estimate is arithmetic
    return settings;
}

// A Settings ▸ Model row as the user reads it: its label without the shortcut mark ("(&R)" in Chinese).
QString rowOf(QDialog &dialog, const char *comboName)
{
    QComboBox *box = combo(dialog, comboName);
    auto *form = qobject_cast<QFormLayout *>(box->parentWidget()->layout());
    auto *label = form ? qobject_cast<QLabel *>(form->labelForField(box)) : nullptr;
    if (!label)
        return QStringLiteral("(no row for %1)").arg(QLatin1String(comboName));
    return label->text().remove(QRegularExpression(QStringLiteral("\\(&.\\)"))).remove(QLatin1Char('&'));
}

// The Chinese verdict has no English words (units and names such as GiB, GPU, UNet, int8 stay as they are).
void verifyChinese(const QString &text)
{
    QString words = text;
    words.remove(QRegularExpression(QStringLiteral("GiB|GPU|CPU|UNet|int8|int4")));
    QVERIFY2(!words.contains(QRegularExpression(QStringLiteral("[A-Za-z]{2,}"))), qPrintable(text));
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
        // No usable cache folder for the quantized text encoder (a file stands in its way): it is then held in
        // memory and each quantization changes the CPU figure. (Mapped from the cache it changes no peak.)
        QTemporaryDir cacheParent;
        QFile blocker(cacheParent.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        qputenv("STORYBOARD_CACHE_DIR", QFile::encodeName(cacheParent.filePath(QStringLiteral("file/cache"))));
        const auto restore = qScopeGuard([] { qunsetenv("STORYBOARD_CACHE_DIR"); });

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
        // The verdict compares with the free memory of the moment the label asked: same wording, own figures.
        QCOMPARE(estimate->text(), MemoryEstimateLabel::describe(estimate->figures(), 192, 128));
        QVERIFY(estimate->text().startsWith(MemoryEstimateLabel::describeEstimate(engine, 192, 128)));
        QVERIFY2(estimate->text().contains(QStringLiteral("192×128")), qPrintable(estimate->text()));

        // Several changes while one estimate runs: the label ends with the newest.
        choose(combo(dialog, "textEncoderQuantCombo"), "int8");
        choose(combo(dialog, "textEncoderQuantCombo"), "none");
        QTRY_VERIFY(!estimate->isEstimating());
        QCOMPARE(estimate->figures().privateBytes, stored);
    }

    // int8/int4 write gigabytes into the user's cache folder: the dialog says where while one of them is chosen.
    void theQuantizedWeightsFolderIsNamed()
    {
        StoryDocument document;
        ModelSettingsDialog dialog(&document);
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("quantCacheNoteLabel"));
        QVERIFY(note);
        choose(combo(dialog, "textEncoderQuantCombo"), "none");
        QVERIFY(!note->isVisibleTo(&dialog));
        choose(combo(dialog, "textEncoderQuantCombo"), "int4");
        QVERIFY(note->isVisibleTo(&dialog));
        QVERIFY2(note->text().contains(QDir::toNativeSeparators(bridge::weightCacheFolder())), qPrintable(note->text()));
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

    // Fits, does not fit, unknown: the figures come from the engine's estimate, the free memory from the test.
    void theVerdictComparesWithTheFreeMemory()
    {
        const EngineSettings cpu = tinyOn(RenderDevice::Cpu);
        const MemoryFigures unknown = EngineSupport::estimateMemory(cpu, 64, 64, FreeMemory{});
        QVERIFY2(unknown.ok, qPrintable(unknown.problem));
        QCOMPARE(unknown.fit, MemoryFit::Unknown);
        const QString noVerdict = MemoryEstimateLabel::describeVerdict(unknown);
        QVERIFY2(noVerdict.contains(QStringLiteral("unknown")) && !noVerdict.contains(QStringLiteral("fit:")),
                 qPrintable(noVerdict));
        const qint64 needed = unknown.privateBytes;
        QCOMPARE(unknown.neededPrivateBytes, needed);

        const qint64 plenty = 3 * needed;
        const MemoryFigures fits = EngineSupport::estimateMemory(cpu, 64, 64, FreeMemory{plenty, -1});
        QCOMPARE(fits.fit, MemoryFit::Fits);
        const QString fitsText = MemoryEstimateLabel::describeVerdict(fits);
        QVERIFY2(fitsText.startsWith(QStringLiteral("✓ Fits")), qPrintable(fitsText));
        for (const QString &figure : MemoryEstimateLabel::gibs(needed, plenty))
            QVERIFY2(fitsText.contains(figure), qPrintable(fitsText));

        // On the CPU no lighter setting saves RAM on this model: the verdict says so.
        const qint64 short_ = needed - needed / 64; // within 2 % of the need
        const MemoryFigures tooBig = EngineSupport::estimateMemory(cpu, 64, 64, FreeMemory{short_, -1});
        QCOMPARE(tooBig.fit, MemoryFit::DoesNotFit);
        QVERIFY(tooBig.lighterChanges.isEmpty());
        const QString refused = MemoryEstimateLabel::describeVerdict(tooBig);
        QVERIFY2(refused.startsWith(QStringLiteral("✗ Does not fit")), qPrintable(refused));
        QVERIFY2(refused.contains(QStringLiteral("No lighter setting fits")), qPrintable(refused));
        // A need just above the free memory still reads as two figures, not "needs 0.5 GiB, 0.5 GiB free".
        const QStringList figures = MemoryEstimateLabel::gibs(needed, short_);
        QVERIFY(figures[0] != figures[1]);
        QVERIFY2(refused.contains(figures[0]) && refused.contains(figures[1]), qPrintable(refused));
        QCOMPARE(MemoryEstimateLabel::describe(tooBig, 64, 64),
                 MemoryEstimateLabel::describeEstimate(tooBig, 64, 64) + QLatin1Char('\n') + refused);
    }

    // On the GPU, short of VRAM: the lighter setting is the engine's, named by the dialog's own row and choice, in
    // Chinese; the figures are the estimate with that setting.
    void theLighterSettingIsNamedByItsRowInChinese()
    {
        Translator::install(QStringLiteral("zh_CN"));
        EngineSettings asked = tinyOn(RenderDevice::Cuda);
        asked.textEncoderDevice = RenderDevice::Cuda; // asked for explicitly: loading would not move it
        asked.releaseTextEncoder = RenderSwitch::Off;
        EngineSettings released = asked;
        released.releaseTextEncoder = RenderSwitch::On;
        const qint64 plentyOfRam = qint64(1) << 40;
        const qint64 releasedVram = EngineSupport::estimateMemory(released, 64, 64, FreeMemory{}).vramBytes;
        const MemoryFigures f = EngineSupport::estimateMemory(asked, 64, 64, FreeMemory{plentyOfRam, releasedVram});
        QVERIFY(f.onCuda);
        QVERIFY(releasedVram < f.vramBytes);
        QCOMPARE(f.fit, MemoryFit::DoesNotFit);
        QCOMPARE(f.lighterChanges, QList<LighterChoice>{LighterChoice::ReleaseTextEncoder});
        QCOMPARE(f.lighterVramBytes, releasedVram);

        StoryDocument document;
        ModelSettingsDialog dialog(&document);
        QComboBox *release = combo(dialog, "releaseTextEncoderCombo");
        const QString verdict = MemoryEstimateLabel::describeVerdict(f);
        QVERIFY2(verdict.contains(rowOf(dialog, "releaseTextEncoderCombo")), qPrintable(verdict));
        QVERIFY2(verdict.contains(release->itemText(release->findData(QStringLiteral("on")))), qPrintable(verdict));
        // Needed and free now, then what the lighter setting needs.
        for (const QString &figure : MemoryEstimateLabel::gibs(f.vramBytes, releasedVram))
            QVERIFY2(verdict.contains(figure), qPrintable(verdict));
        QVERIFY2(verdict.contains(MemoryEstimateLabel::gib(releasedVram)), qPrintable(verdict));
        verifyChinese(verdict);
        // Fits and unknown in Chinese too.
        verifyChinese(MemoryEstimateLabel::describeVerdict(
            EngineSupport::estimateMemory(asked, 64, 64, FreeMemory{plentyOfRam, plentyOfRam})));
        verifyChinese(MemoryEstimateLabel::describeVerdict(
            EngineSupport::estimateMemory(asked, 64, 64, FreeMemory{plentyOfRam, -1})));
        Translator::install(QStringLiteral("en"));
    }
};

QTEST_MAIN(TestMemorySettings)
#include "TestMemorySettings.moc"
