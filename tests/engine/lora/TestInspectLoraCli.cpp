// `storyboard inspect-lora` as a user runs it (QProcess on the built executable): JSON facts of both golden files,
// the scale rule in --help, and one-line errors with a non-zero exit code.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run storyboard(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(STORYBOARD_EXE), args);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString golden(const QString &path)
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny/") + path;
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
        const QJsonObject json = QJsonDocument::fromJson(run.out).object();
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
        const QJsonObject json = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(json["format"].toString(), QStringLiteral("diffsynth"));
        QVERIFY(json["alpha"].isNull());
        QCOMPARE(json["effectiveScale"].toDouble(), 0.75);
        QVERIFY(json["checkedAgainst"].toString().endsWith(QStringLiteral("unet/config.json")));
    }

    void helpStatesTheScaleRule()
    {
        const Run run = storyboard({"inspect-lora", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("alpha / rank"));
        QVERIFY(run.out.contains("--lora-scale 0.125"));
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
            QVERIFY2(run.err.startsWith("storyboard inspect-lora: "), run.err.constData());
            QCOMPARE(run.err.count('\n'), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestInspectLoraCli)
#include "TestInspectLoraCli.moc"
