// The `storyboard` command-line tool, run as a process: success paths and every error path
// (non-zero exit status and exactly one line on stderr).
#include "story/ProjectFile.h"

#include "StoryboardProcess.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;
using studio_test::copyTree;
using studio_test::storyboard;
using Run = studio_test::CliRun;

namespace {

void writeText(const QString &path, const QString &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text.toUtf8());
}

const QString kExample = QStringLiteral(STUDIO_SOURCE_DIR "/examples/lantern-festival");

} // namespace

// Checks a failed run: non-zero status, exactly one stderr line naming the command and containing `word`.
#define EXPECT_FAILURE(run, command, word)                                                                             \
    do {                                                                                                               \
        QVERIFY2((run).exitCode > 0, qPrintable((run).err));                                                           \
        QCOMPARE((run).errLines().size(), 1);                                                                          \
        QVERIFY2((run).err.startsWith(QStringLiteral("storyboard ") + (command) + QStringLiteral(": ")),               \
                 qPrintable((run).err));                                                                               \
        QVERIFY2((run).err.contains(word), qPrintable((run).err));                                                     \
    } while (false)

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usageAndUnknownCommand()
    {
        const Run none = storyboard({});
        QVERIFY(none.exitCode != 0);
        QVERIFY(none.err.startsWith(QStringLiteral("Usage: storyboard <command>")));
        const Run help = storyboard({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        // Asked-for help goes to stdout (so `storyboard --help | less` works), nothing to stderr.
        QVERIFY2(help.out.startsWith(QStringLiteral("Usage: storyboard <command>")), qPrintable(help.out));
        QVERIFY(help.out.contains(QStringLiteral("validate")));
        QVERIFY(help.err.isEmpty());
        const Run unknown = storyboard({QStringLiteral("frobnicate")});
        EXPECT_FAILURE(unknown, QStringLiteral("frobnicate"), QStringLiteral("unknown command"));
        const Run version = storyboard({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("storyboard ")));
    }

    void helpPerCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("new") << "new";
        QTest::newRow("validate") << "validate";
        QTest::newRow("export") << "export";
    }
    void helpPerCommand()
    {
        QFETCH(QString, command);
        const Run run = storyboard({command, QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("Usage: storyboard %1 [options] STORY").arg(command)),
                 qPrintable(run.out));
        QVERIFY(run.err.isEmpty());
    }

    void newCreatesAStory()
    {
        QTemporaryDir dir;
        const QString prompts = dir.filePath(QStringLiteral("prompts.txt"));
        writeText(prompts, QString(QChar(0xFEFF)) +
                               QStringLiteral("第一格：黄昏的古镇 | 旁白：那天黄昏。\r\n\r\n第二格：热闹的街市\n  "
                                              "\n第三格｜“爷爷！” | 她喊道\n第四格\n第五格\n第六格\n第七格\n第八格：满月\n\n"));
        const QString story = dir.filePath(QStringLiteral("lantern/story.json"));
        const Run run =
            storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), prompts, QStringLiteral("--seed"),
                        QStringLiteral("100"), QStringLiteral("--style"), QStringLiteral("国风水彩，"),
                        QStringLiteral("--negative"), QStringLiteral("模糊"), QStringLiteral("--title"),
                        QStringLiteral("灯笼"), QStringLiteral("--team"), QStringLiteral("小队")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.isEmpty());
        QString error;
        const std::optional<Project> p = ProjectFile::load(story, &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->title, QStringLiteral("灯笼"));
        QCOMPARE(p->teamName, QStringLiteral("小队"));
        QCOMPARE(p->style.prefix, QStringLiteral("国风水彩，"));
        QCOMPARE(p->style.negativePrompt, QStringLiteral("模糊"));
        QVERIFY(!p->id.isEmpty());
        QCOMPARE(p->panels[0].prompt, QStringLiteral("第一格：黄昏的古镇"));
        QCOMPARE(p->panels[7].prompt, QStringLiteral("第八格：满月"));
        // "prompt | caption": the caption is what follows the first bar (ASCII or full-width), trimmed.
        QCOMPARE(p->panels[0].caption, QStringLiteral("旁白：那天黄昏。"));
        QCOMPARE(p->panels[1].caption, QString());
        QCOMPARE(p->panels[2].prompt, QStringLiteral("第三格"));
        QCOMPARE(p->panels[2].caption, QStringLiteral("“爷爷！” | 她喊道"));
        for (int i = 0; i < kPanelCount; ++i) {
            QCOMPARE(p->panels[size_t(i)].seed, 100 + i);
            QCOMPARE(p->panels[size_t(i)].chosenVariant, -1);
        }

        // Without --seed the seeds are random but stored, and consecutive.
        const QString second = dir.filePath(QStringLiteral("second.json"));
        QCOMPARE(storyboard({QStringLiteral("new"), second, QStringLiteral("--prompts"), prompts}).exitCode, 0);
        const std::optional<Project> q = ProjectFile::load(second, &error);
        QVERIFY2(q, qPrintable(error));
        QCOMPARE(q->panels[1].seed, q->panels[0].seed + 1);
        QCOMPARE(q->title, QStringLiteral("second"));

        // An existing file is kept unless --force.
        const Run again = storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), prompts});
        EXPECT_FAILURE(again, QStringLiteral("new"), QStringLiteral("--force"));
        QCOMPARE(ProjectFile::load(story, &error)->title, QStringLiteral("灯笼"));
        const Run forced = storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), prompts,
                                       QStringLiteral("--force"), QStringLiteral("--seed"), QStringLiteral("5")});
        QCOMPARE(forced.exitCode, 0);
        QCOMPARE(ProjectFile::load(story, &error)->panels[0].seed, 5);
    }

    void newErrors()
    {
        QTemporaryDir dir;
        const QString seven = dir.filePath(QStringLiteral("seven.txt"));
        writeText(seven, QStringLiteral("1\n2\n3\n\n4\n5\n6\n7\n"));
        const QString story = dir.filePath(QStringLiteral("s.json"));
        const Run wrongCount = storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), seven});
        EXPECT_FAILURE(wrongCount, QStringLiteral("new"), QStringLiteral("has 7 prompts"));
        QVERIFY(!QFile::exists(story));

        const QString nine = dir.filePath(QStringLiteral("nine.txt"));
        writeText(nine, QStringLiteral("1\n2\n3\n4\n5\n6\n7\n8\n9"));
        EXPECT_FAILURE(storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), nine}),
                       QStringLiteral("new"), QStringLiteral("has 9 prompts"));

        EXPECT_FAILURE(storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"),
                                   dir.filePath(QStringLiteral("missing.txt"))}),
                       QStringLiteral("new"), QStringLiteral("no such file"));
        EXPECT_FAILURE(storyboard({QStringLiteral("new"), story}), QStringLiteral("new"), QStringLiteral("--prompts"));
        EXPECT_FAILURE(storyboard({QStringLiteral("new"), QStringLiteral("--prompts"), nine}), QStringLiteral("new"),
                       QStringLiteral("missing the STORY argument"));
        EXPECT_FAILURE(
            storyboard({QStringLiteral("new"), story, QStringLiteral("extra"), QStringLiteral("--prompts"), nine}),
            QStringLiteral("new"), QStringLiteral("unexpected argument"));
        const QString eight = dir.filePath(QStringLiteral("eight.txt"));
        writeText(eight, QStringLiteral("1\n2\n3\n4\n5\n6\n7\n8\n"));
        for (const QString &bad : {QStringLiteral("-5"), QStringLiteral("abc"), QStringLiteral("9007199254740992")})
            EXPECT_FAILURE(storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts"), eight,
                                       QStringLiteral("--seed"), bad}),
                           QStringLiteral("new"), QStringLiteral("--seed"));
        EXPECT_FAILURE(storyboard({QStringLiteral("new"), story, QStringLiteral("--bogus")}), QStringLiteral("new"),
                       QStringLiteral("bogus"));
        EXPECT_FAILURE(storyboard({QStringLiteral("new"), story, QStringLiteral("--prompts")}), QStringLiteral("new"),
                       QStringLiteral("prompts"));
        QVERIFY(!QFile::exists(story));
    }

    void validateAndExportTheExample()
    {
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("example"));
        QVERIFY(copyTree(kExample, work));
        const QString story = work + QStringLiteral("/story.json");

        const Run valid = storyboard({QStringLiteral("validate"), story});
        QVERIFY2(valid.exitCode == 0, qPrintable(valid.out + valid.err));
        QVERIFY(valid.err.isEmpty());
        QVERIFY(valid.out.contains(QStringLiteral("valid")));

        const QString out = dir.filePath(QStringLiteral("submission"));
        const Run exported = storyboard({QStringLiteral("export"), story, QStringLiteral("--out"), out});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY(exported.err.isEmpty());
        for (const QString &name :
             {QStringLiteral("grid.png"), QStringLiteral("README.md"), QStringLiteral("configuration.json"),
              QStringLiteral("story.json"), QStringLiteral("panels/01.png"), QStringLiteral("panels/08.png")}) {
            QVERIFY2(QFile::exists(out + QLatin1Char('/') + name), qPrintable(name));
            QVERIFY(exported.out.contains(name));
        }
        QCOMPARE(QImage(out + QStringLiteral("/grid.png")).size(), QSize(1024, 2048));
        // The exported folder validates too.
        const Run revalidate = storyboard({QStringLiteral("validate"), out + QStringLiteral("/story.json")});
        QVERIFY2(revalidate.exitCode == 0, qPrintable(revalidate.out + revalidate.err));
    }

    // --comic writes the reader outputs next to the submission; --visible-label labels them; bad values refused.
    void exportTheComic()
    {
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("example"));
        QVERIFY(copyTree(kExample, work));
        const QString story = work + QStringLiteral("/story.json");
        const QString out = dir.filePath(QStringLiteral("comic"));
        const Run exported =
            storyboard({QStringLiteral("export"), story, QStringLiteral("--out"), out, QStringLiteral("--comic"),
                        QStringLiteral("pdf,cbz,strip"), QStringLiteral("--pdf-layout"), QStringLiteral("pages"),
                        QStringLiteral("--visible-label")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        for (const QString &name : {QStringLiteral("grid.png"), QStringLiteral("comic-strip.png"),
                                    QStringLiteral("comic.pdf"), QStringLiteral("comic.cbz")}) {
            QVERIFY2(QFile::exists(out + QLatin1Char('/') + name), qPrintable(name));
            QVERIFY(exported.out.contains(QStringLiteral("wrote ") + QDir(out).filePath(name)));
        }
        QCOMPARE(QImage(out + QStringLiteral("/comic-strip.png")).width(), 1080);

        EXPECT_FAILURE(storyboard({QStringLiteral("export"), story, QStringLiteral("--out"), out,
                                   QStringLiteral("--comic"), QStringLiteral("pdf,epub")}),
                       QStringLiteral("export"), QStringLiteral("epub"));
        EXPECT_FAILURE(storyboard({QStringLiteral("export"), story, QStringLiteral("--out"), out,
                                   QStringLiteral("--comic"), QStringLiteral("pdf"), QStringLiteral("--pdf-layout"),
                                   QStringLiteral("spread")}),
                       QStringLiteral("export"), QStringLiteral("spread"));
    }

    void validateReportsEveryProblem()
    {
        QTemporaryDir dir;
        const QString work = dir.filePath(QStringLiteral("example"));
        QVERIFY(copyTree(kExample, work));
        const QString story = work + QStringLiteral("/story.json");
        QString error;
        std::optional<Project> p = ProjectFile::load(story, &error);
        QVERIFY2(p, qPrintable(error));
        QVERIFY(QFile::remove(work + QLatin1Char('/') + p->panels[1].chosen()->path));
        writeText(work + QLatin1Char('/') + p->panels[4].chosen()->path, QStringLiteral("GIF89a not really"));
        const QString truncated = work + QLatin1Char('/') + p->panels[2].chosen()->path;
        QFile png(truncated);
        QVERIFY(png.open(QIODevice::ReadWrite));
        QVERIFY(png.resize(png.size() / 2));
        png.close();
        QImage small(512, 256, QImage::Format_RGB32);
        small.fill(Qt::green);
        QVERIFY(small.save(work + QLatin1Char('/') + p->panels[6].chosen()->path, "PNG"));

        const Run run = storyboard({QStringLiteral("validate"), story});
        EXPECT_FAILURE(run, QStringLiteral("validate"), QStringLiteral("3 error(s)"));
        QVERIFY2(run.out.contains(QStringLiteral("error: panel 3: ") + p->panels[2].chosen()->path +
                                  QStringLiteral(": damaged PNG")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("error: panel 2: ") + p->panels[1].chosen()->path +
                                  QStringLiteral(": file is missing")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("error: panel 5: ") + p->panels[4].chosen()->path +
                                  QStringLiteral(": not a PNG or JPEG image")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("warning: panel 7: ") + p->panels[6].chosen()->path +
                                  QStringLiteral(": image is 512x256, the panel is set to 1024x1024")),
                 qPrintable(run.out));

        const Run exported =
            storyboard({QStringLiteral("export"), story, QStringLiteral("--out"), dir.filePath(QStringLiteral("o"))});
        EXPECT_FAILURE(exported, QStringLiteral("export"), QStringLiteral("panel 2"));
        QVERIFY(exported.err.contains(QStringLiteral("panel 5")));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("o"))));
    }

    void validateAndExportErrors()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("none.json"));
        EXPECT_FAILURE(storyboard({QStringLiteral("validate"), missing}), QStringLiteral("validate"),
                       QStringLiteral("no such file"));
        EXPECT_FAILURE(storyboard({QStringLiteral("validate")}), QStringLiteral("validate"), QStringLiteral("STORY"));
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        writeText(broken, QStringLiteral("{\"app\": \"storyboard-studio\", \"schema\": 1,\n  \"panels\": [1, 2"));
        EXPECT_FAILURE(storyboard({QStringLiteral("validate"), broken}), QStringLiteral("validate"),
                       QStringLiteral("malformed JSON"));
        const QString newer = dir.filePath(QStringLiteral("newer.json"));
        writeText(newer, QStringLiteral("{\"app\": \"storyboard-studio\", \"schema\": 7, \"panels\": []}"));
        EXPECT_FAILURE(storyboard({QStringLiteral("validate"), newer}), QStringLiteral("validate"),
                       QStringLiteral("newer version"));
        EXPECT_FAILURE(
            storyboard({QStringLiteral("export"), newer, QStringLiteral("--out"), dir.filePath(QStringLiteral("x"))}),
            QStringLiteral("export"), QStringLiteral("newer version"));
        EXPECT_FAILURE(storyboard({QStringLiteral("export"), missing}), QStringLiteral("export"),
                       QStringLiteral("--out"));
        EXPECT_FAILURE(
            storyboard({QStringLiteral("export"), missing, QStringLiteral("--out"), dir.filePath(QStringLiteral("x"))}),
            QStringLiteral("export"), QStringLiteral("no such file"));
        EXPECT_FAILURE(storyboard({QStringLiteral("export"), QStringLiteral("--out")}), QStringLiteral("export"),
                       QStringLiteral("out"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
