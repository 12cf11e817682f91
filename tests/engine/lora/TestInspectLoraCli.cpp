// `storyboard inspect-lora` as a user runs it (QProcess on the built executable): JSON facts of both golden files,
// the scale rule in --help, and one-line errors with a non-zero exit code. Also `storyboard export`, whose LoRA card
// carries the same facts.
#include "StoryboardProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using studio_test::storyboard;
using Run = studio_test::CliRun;

QString golden(const QString &path)
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny/") + path;
}

// Sets the story's LoRA file and multiplier by editing its JSON.
bool setStoryLora(const QString &storyPath, const QString &loraPath, double scale)
{
    QFile file(storyPath);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QJsonObject story = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonObject lora = story.value(QStringLiteral("lora")).toObject();
    lora.insert(QStringLiteral("path"), loraPath);
    lora.insert(QStringLiteral("scale"), scale);
    story.insert(QStringLiteral("lora"), lora);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(QJsonDocument(story).toJson()) > 0;
}

} // namespace

class TestInspectLoraCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kohyaFacts()
    {
        const Run run = storyboard({"inspect-lora", golden("lora/lora_kohya.safetensors")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json["format"].toString(), QStringLiteral("kohya"));
        QCOMPARE(json["rank"].toInt(), 4);
        QCOMPARE(json["alpha"].toDouble(), 3.0);
        QCOMPARE(json["effectiveScale"].toDouble(), 0.75);
        QCOMPARE(json["layerCount"].toInt(), 136);
        QCOMPARE(json["tensorCount"].toInt(), 408);
        QCOMPARE(json["targetModules"].toArray().size(), 4);
        QCOMPARE(json["sha256"].toString().size(), 64);
        QVERIFY(json["fileSize"].toInteger() > 0);
    }

    void diffsynthFactsAgainstTheModel()
    {
        const Run run = storyboard(
            {"inspect-lora", "--lora-scale", "0.75", "--model", golden(""), golden("lora/lora_diffsynth.ckpt")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json["format"].toString(), QStringLiteral("diffsynth"));
        QVERIFY(json["alpha"].isNull());
        QCOMPARE(json["effectiveScale"].toDouble(), 0.75);
        QVERIFY(json["checkedAgainst"].toString().endsWith(QStringLiteral("unet/config.json")));

        // The unet folder alone works as well.
        const Run unetOnly = storyboard({"inspect-lora", "--model", golden("unet"), golden("lora/lora_diffsynth.ckpt")});
        QVERIFY2(unetOnly.exitCode == 0, qPrintable(unetOnly.err));
        QCOMPARE(QJsonDocument::fromJson(unetOnly.out.toUtf8()).object()["layerCount"].toInt(), 136);
    }

    void helpStatesTheScaleRule()
    {
        const Run run = storyboard({"inspect-lora", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("alpha / rank"));
        QVERIFY(run.out.contains("--lora-scale 0.125"));
    }

    // The export card states what inspect-lora measures: rank, alpha, convention and the effective scale at the
    // story's multiplier; the challenge baseline is reproduced by multiplier 0.125 on the DiffSynth file.
    void exportCardStatesTheEngineFacts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("scale");
        QTest::addColumn<QStringList>("rows");
        QTest::newRow("kohya") << "lora/lora_kohya.safetensors" << 1.0
                               << QStringList{"| Rank | 4 |", "| Alpha | 3 |", "| Loader convention | kohya |",
                                              "| Effective scale | 0.75 |", "| Layers | 136 |"};
        QTest::newRow("diffsynth baseline") << "lora/lora_diffsynth.ckpt" << 0.125
                                            << QStringList{"| Rank | 4 |", "| Alpha | none in the file",
                                                           "| Loader convention | diffsynth |",
                                                           "| Effective scale | 0.125 |"};
    }

    void exportCardStatesTheEngineFacts()
    {
        QFETCH(QString, file);
        QFETCH(double, scale);
        QFETCH(QStringList, rows);
        QTemporaryDir dir;
        QVERIFY(studio_test::copyTree(STUDIO_SOURCE_DIR "/examples/lantern-festival", dir.filePath("story")));
        const QString loraName = QFileInfo(file).fileName();
        QVERIFY(QFile::copy(golden(file), dir.filePath("story/" + loraName)));
        QVERIFY(setStoryLora(dir.filePath("story/story.json"), loraName, scale));

        const Run run = storyboard({"export", dir.filePath("story/story.json"), "--out", dir.filePath("out")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(!run.out.contains("undetermined"), qPrintable(run.out));
        QFile card(dir.filePath("out/README.md"));
        QVERIFY(card.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(card.readAll());
        for (const QString &row : rows)
            QVERIFY2(text.contains(row), qPrintable(row));
        QVERIFY(text.contains("| Scale rule | effective scale = lora-scale"));
    }

    void errorsAreOneLine()
    {
        QTemporaryDir temp;
        QFile garbage(temp.filePath("garbage.safetensors"));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not a LoRA at all, just some bytes");
        garbage.close();
        const QList<QStringList> cases = {
            {"inspect-lora"},
            {"inspect-lora", temp.filePath("missing.ckpt")},
            {"inspect-lora", garbage.fileName()},
            {"inspect-lora", "--lora-scale", "nan", golden("lora/lora_kohya.safetensors")},
            {"inspect-lora", "--model", temp.path(), golden("lora/lora_kohya.safetensors")},
            {"inspect-lora", golden("unet/diffusion_pytorch_model.safetensors")},
        };
        for (const QStringList &args : cases) {
            const Run run = storyboard(args);
            QVERIFY2(run.exitCode == 1, qPrintable(args.join(' ')));
            QVERIFY2(run.out.isEmpty(), qPrintable(args.join(' ')));
            QVERIFY2(run.err.startsWith("storyboard inspect-lora: "), qPrintable(run.err));
            QCOMPARE(run.err.count('\n'), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestInspectLoraCli)
#include "TestInspectLoraCli.moc"
