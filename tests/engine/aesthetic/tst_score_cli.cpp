// `storyboard score` run as a process: JSON lines for images and for a story, the mean, and its error paths.
#include "AestheticFixture.h"
#include "StoryboardProcess.h"

#include "story/Project.h"
#include "story/ProjectFile.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr double kEndToEndTolerance = 1e-4; // aesthetic-tiny README, end to end from the PNG files

struct Run
{
    int exitCode = -1;
    QList<QJsonObject> lines; // stdout, one JSON object per line
    QStringList rawLines;
    QString stderrText;
};

Run runCli(const QStringList &args)
{
    const studio_test::CliRun cli = studio_test::storyboard(args);
    Run run;
    run.exitCode = cli.exitCode;
    for (const QString &line : cli.outLines()) {
        if (line.trimmed().isEmpty())
            continue;
        run.rawLines.append(line);
        run.lines.append(QJsonDocument::fromJson(line.toUtf8()).object());
    }
    run.stderrText = cli.err;
    return run;
}

// Single-image cases with their golden score.
QList<aesthetic_test::GoldenCase> singleCases()
{
    QList<aesthetic_test::GoldenCase> cases;
    for (const auto &c : aesthetic_test::readCases())
        if (c.single && c.scores.size() == 1)
            cases.append(c);
    return cases;
}

void verifyOneErrorLine(const Run &run)
{
    QVERIFY2(run.exitCode != 0, "exit code 0 on an error");
    const QStringList lines = run.stderrText.trimmed().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() == 1 && lines.front().startsWith(QLatin1String("storyboard score: ")),
             qPrintable(run.stderrText));
}

} // namespace

class TestScoreCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(singleCases().size() >= 2, "the fixture needs two single-image cases"); }

    void scoresImagesAndPrintsTheMean()
    {
        const auto cases = singleCases();
        QStringList args = {QStringLiteral("score"), QStringLiteral("--model"), aesthetic_test::fixtureDir()};
        for (const auto &c : cases)
            args.append(c.images.front());
        const Run run = runCli(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.stderrText));
        QCOMPARE(run.lines.size(), cases.size() + 1);
        double sum = 0;
        for (int i = 0; i < cases.size(); ++i) {
            const QJsonObject line = run.lines[i];
            QCOMPARE(line.value(QLatin1String("image")).toString(), cases[i].images.front());
            const double score = line.value(QLatin1String("score")).toDouble();
            QVERIFY2(
                std::abs(score - cases[i].scores.front()) <= kEndToEndTolerance,
                qPrintable(QStringLiteral("%1: %2 vs %3").arg(cases[i].id).arg(score).arg(cases[i].scores.front())));
            sum += score;
        }
        const QJsonObject summary = run.lines.back();
        QCOMPARE(summary.value(QLatin1String("count")).toInt(), int(cases.size()));
        QCOMPARE(summary.value(QLatin1String("threshold")).toDouble(), 6.0);
        QVERIFY(std::abs(summary.value(QLatin1String("mean")).toDouble() - sum / cases.size()) < 1e-12);
        QCOMPARE(summary.value(QLatin1String("pass")).toBool(), sum / cases.size() >= 6.0);
        QVERIFY(run.rawLines.back().startsWith(QLatin1String("{\"mean\": ")));
    }

    void thresholdOption()
    {
        const auto c = singleCases().front();
        for (const double threshold : {c.scores.front() - 0.5, c.scores.front() + 0.5}) {
            const Run run =
                runCli({QStringLiteral("score"), QStringLiteral("--model"), aesthetic_test::fixtureDir(),
                        QStringLiteral("--threshold"), QString::number(threshold, 'g', 17), c.images.front()});
            QVERIFY2(run.exitCode == 0, qPrintable(run.stderrText));
            QCOMPARE(run.lines.back().value(QLatin1String("threshold")).toDouble(), threshold);
            QCOMPARE(run.lines.back().value(QLatin1String("pass")).toBool(), threshold < c.scores.front());
        }
    }

    // A story: the chosen image of every panel is scored, panels without one are listed.
    void scoresAStory()
    {
        const auto cases = singleCases();
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("images")));
        studio::story::Project project;
        project.title = QStringLiteral("score test");
        QList<int> scoredPanels;
        double sum = 0;
        for (int i = 0; i < studio::story::kPanelCount; ++i) {
            studio::story::Panel &panel = project.panels[size_t(i)];
            panel.prompt = QStringLiteral("panel %1").arg(i + 1);
            panel.seed = i;
            if (i % 3 == 2 || i / 3 >= cases.size())
                continue; // no image for this panel
            const auto &c = cases[i / 3 % cases.size()];
            const QString relative = QStringLiteral("images/panel-%1.png").arg(i + 1);
            QVERIFY(QFile::copy(c.images.front(), dir.filePath(relative)));
            studio::story::PanelVariant variant;
            variant.path = relative;
            variant.seed = i;
            panel.variants.append(variant);
            panel.chosenVariant = 0;
            scoredPanels.append(i + 1);
            sum += c.scores.front();
        }
        QString error;
        const QString storyPath = dir.filePath(QStringLiteral("story.json"));
        QVERIFY2(studio::story::ProjectFile::save(project, storyPath, &error), qPrintable(error));

        const Run run =
            runCli({QStringLiteral("score"), QStringLiteral("--model"), aesthetic_test::fixtureDir(), storyPath});
        QVERIFY2(run.exitCode == 0, qPrintable(run.stderrText));
        QCOMPARE(run.lines.size(), studio::story::kPanelCount + 1);
        QList<int> seenScored, seenMissing;
        for (int i = 0; i < studio::story::kPanelCount; ++i) {
            const QJsonObject line = run.lines[i];
            const int panel = line.value(QLatin1String("panel")).toInt();
            if (line.value(QLatin1String("image")).isNull()) {
                QCOMPARE(line.value(QLatin1String("error")).toString(), QStringLiteral("no image"));
                seenMissing.append(panel);
            } else {
                QCOMPARE(line.value(QLatin1String("image")).toString(),
                         QStringLiteral("images/panel-%1.png").arg(panel));
                QVERIFY(line.value(QLatin1String("score")).isDouble());
                seenScored.append(panel);
            }
        }
        QCOMPARE(seenScored, scoredPanels);
        const QJsonObject summary = run.lines.back();
        QCOMPARE(summary.value(QLatin1String("count")).toInt(), int(scoredPanels.size()));
        QVERIFY(std::abs(summary.value(QLatin1String("mean")).toDouble() - sum / scoredPanels.size()) <=
                kEndToEndTolerance);
        QCOMPARE(summary.value(QLatin1String("panels_without_image")).toArray().size(), int(seenMissing.size()));
    }

    void errors()
    {
        const QString image = singleCases().front().images.front();
        const QString model = aesthetic_test::fixtureDir();
        QTemporaryDir dir;
        verifyOneErrorLine(runCli({QStringLiteral("score"), image}));                            // no --model
        verifyOneErrorLine(runCli({QStringLiteral("score"), QStringLiteral("--model"), model})); // no images
        verifyOneErrorLine(runCli({QStringLiteral("score"), QStringLiteral("--model"), dir.filePath("none"), image}));
        verifyOneErrorLine(
            runCli({QStringLiteral("score"), QStringLiteral("--model"), model, dir.filePath("none.png")}));
        verifyOneErrorLine(runCli({QStringLiteral("score"), QStringLiteral("--model"), model,
                                   QStringLiteral("--threshold"), QStringLiteral("high"), image}));
        verifyOneErrorLine(runCli({QStringLiteral("score"), QStringLiteral("--bogus"), image}));

        QFile junk(dir.filePath(QStringLiteral("story.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{\"app\": \"storyboard-studio\", \"schema\": 1");
        junk.close();
        const Run broken = runCli({QStringLiteral("score"), QStringLiteral("--model"), model, junk.fileName()});
        verifyOneErrorLine(broken);
        QVERIFY(broken.lines.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestScoreCli)
#include "tst_score_cli.moc"
