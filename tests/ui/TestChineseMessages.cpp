// zh_CN users read Chinese everywhere: messages made in core/story and the engine's failures reach the studio's
// dialogs in the UI language (translated at the UI boundary), not as the English sources.
#include "UiTestSupport.h"

#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/Translator.h"
#include "ui/render/EngineSupport.h"
#include "ui/render/RenderQueue.h"
#include "ui/render/RenderTypes.h"
#include "ui/training/TrainingDataSet.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::ui;

namespace {

bool hasChinese(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    return false;
}

} // namespace

class TestChineseMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::enterTestMode(QStringLiteral("TestChineseMessages")); }
    void init()
    {
        test::resetStudioState();
        Translator::install(QStringLiteral("zh_CN"));
    }
    void cleanup() { Translator::install(QStringLiteral("en")); }

    // core/story's ProjectFile refuses a story with 2 panels; the dialog states its reason in Chinese.
    void aMalformedStoryIsRefusedInChinese()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"app\": \"storyboard-studio\", \"schema\": 1, \"title\": \"x\", \"panels\": [1, 2]}");
        file.close();
        MainWindow window;
        QVERIFY(!window.openFile(path));
        const QString text = MessageBox::lastText();
        QVERIFY2(hasChinese(text), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("a story has exactly")), qPrintable(text)); // the English source
        QVERIFY2(text.contains(QStringLiteral("panels")), qPrintable(text)); // the field path stays as in the file
    }

    // The same message in English when the user chose English: one source, two languages.
    void theSameRefusalIsEnglishInEnglish()
    {
        Translator::install(QStringLiteral("en"));
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(!window.openFile(dir.path()));
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("is a folder, not a story file")),
                 qPrintable(MessageBox::lastText()));
    }

    // A folder given as a story file: core/story's reason in Chinese.
    void aFolderIsRefusedInChinese()
    {
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(!window.openFile(dir.path()));
        const QString text = MessageBox::lastText();
        QVERIFY2(hasChinese(text), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("is a folder, not a story file")), qPrintable(text));
    }

    // The engine refuses an empty model folder; Settings ▸ Model and the render queue show why in Chinese
    // (the engine's English detail, naming the file, follows the translated sentence).
    void anUnusableModelFolderIsExplainedInChinese()
    {
        QTemporaryDir dir;
        const ModelFolderCheck check = EngineSupport::checkKolorsFolder(dir.path());
        QVERIFY(!check.ok);
        QVERIFY2(hasChinese(check.message), qPrintable(check.message));
    }

    // The training data code (core/dataset, Qt-free) refuses a Data-Juicer config that is not YAML; the training
    // page says what was refused in Chinese, the data code's English reason following in parentheses.
    void aRefusedTrainingConfigIsExplainedInChinese()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("data.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("process: [unclosed\n");
        file.close();
        TrainingDataSet data;
        QString error;
        QVERIFY(!data.loadConfig(path, false, &error));
        QVERIFY2(hasChinese(error), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }

    // Every kind of render failure is stated in Chinese, whatever English detail the engine gave.
    void renderFailuresAreStatedInChinese_data()
    {
        QTest::addColumn<int>("code");
        for (int code = int(RenderError::Code::Unavailable); code <= int(RenderError::Code::Internal); ++code)
            QTest::addRow("code %d", code) << code;
    }

    void renderFailuresAreStatedInChinese()
    {
        QFETCH(int, code);
        const QString text =
            RenderQueue::describe({RenderError::Code(code), QStringLiteral("unet/config.json: detail")}, 0);
        QVERIFY2(hasChinese(text), qPrintable(text));
    }
};

QTEST_MAIN(TestChineseMessages)
#include "TestChineseMessages.moc"
