// The `storyboard tokenize` / `storyboard encode` contract, run on the built binary.
#include "GoldenFixture.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include "StoryboardProcess.h"

#include <QtTest>

namespace {

using studio_test::storyboard;
using Run = studio_test::CliRun;

QJsonObject textEncoderCase(const QString &id)
{
    for (const QJsonValue &v : golden::cases()["text_encoder"].toArray())
        if (v.toObject()["id"].toString() == id)
            return v.toObject();
    return {};
}

std::vector<int64_t> ints(const QJsonValue &array)
{
    std::vector<int64_t> out;
    for (const QJsonValue &v : array.toArray())
        out.push_back(v.toInteger());
    return out;
}

} // namespace

class TestTextCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenizeMatchesTheGoldenIds_data()
    {
        QTest::addColumn<int>("index");
        const QJsonArray cases = golden::cases()["tokenizer"].toArray();
        for (int i = 0; i < cases.size(); ++i)
            QTest::newRow(qPrintable(cases[i].toObject()["id"].toString())) << i;
    }
    void tokenizeMatchesTheGoldenIds()
    {
        QFETCH(int, index);
        const QJsonObject c = golden::cases()["tokenizer"].toArray()[index].toObject();
        const Run run = storyboard({"tokenize", "--model", golden::kolorsDir(), "--prompt", c["prompt"].toString()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.isEmpty());
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        const QJsonObject outputs = c["outputs"].toObject();
        QCOMPARE(ints(json["input_ids"]), golden::int64s(golden::tensor(outputs["input_ids"].toString())));
        QCOMPARE(ints(json["attention_mask"]), golden::int64s(golden::tensor(outputs["attention_mask"].toString())));
        QCOMPARE(ints(json["position_ids"]), golden::int64s(golden::tensor(outputs["position_ids"].toString())));
        QCOMPARE(json["tokens"].toInt(), c["num_real_tokens"].toInt());
        QCOMPARE(json["truncated"].toBool(), c["truncated"].toBool());
    }

    void encodeWritesTheGoldenEmbeddings()
    {
        const QJsonObject c = textEncoderCase("zh");
        QVERIFY(!c.isEmpty());
        QTemporaryDir tmp;
        const QString file = tmp.path() + "/embeds.safetensors";
        const Run run = storyboard({"encode", "--model", golden::kolorsDir(), "--prompt", c["prompt"].toString(),
                                    "--negative", c["negative_prompt"].toString(), "--out", file});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto written = studio::engine::SafetensorsFile::open(file.toStdString());
        QCOMPARE(written->entries().size(), size_t(4));
        const QJsonObject outputs = c["outputs"].toObject();
        for (const char *name :
             {"prompt_embeds", "pooled_prompt_embeds", "negative_prompt_embeds", "negative_pooled_prompt_embeds"}) {
            const at::Tensor actual = written->tensor(name);
            QCOMPARE(actual.scalar_type(), at::kFloat);
            double diff = 0, limit = 0;
            const bool ok = golden::closeEnough(actual, golden::tensor(outputs[name].toString()), &diff, &limit);
            QVERIFY2(ok, qPrintable(QString("%1: %2 > %3").arg(name).arg(diff).arg(limit)));
        }
        for (const char *name : {"prompt_embeds", "pooled_prompt_embeds"}) // the fixture's sizes, whatever they are
            QCOMPARE(written->tensor(name).sizes(), golden::tensor(outputs[name].toString()).sizes());
    }

    void encodeWithoutNegativeWritesTwoTensors()
    {
        QTemporaryDir tmp;
        const QString file = tmp.path() + "/embeds.safetensors";
        // The vocabulary every engine command shares: --device auto|cpu|cuda[:N], --precision auto|fp32|fp16|bf16.
        const Run run = storyboard({"encode", "--model", golden::kolorsDir(), "--prompt", "a cat", "--out", file,
                                    "--device", "auto", "--precision", "fp32"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto written = studio::engine::SafetensorsFile::open(file.toStdString());
        QCOMPARE(written->entries().size(), size_t(2));
        QVERIFY(written->find("prompt_embeds") && written->find("pooled_prompt_embeds"));
    }

    void encodeHelpMarksRequiredOptionsOnStdout()
    {
        const Run run = storyboard({"encode", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.isEmpty());
        // One block per option (its first line starts with "  -", wrapped lines follow).
        QMap<QString, QString> blocks;
        QString current;
        for (const QString &line : run.out.split(QLatin1Char('\n'))) {
            if (line.startsWith(QStringLiteral("  -")))
                current = line.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char(','), -1);
            if (!current.isEmpty())
                blocks[current] += line;
        }
        for (const char *option : {"--model", "--prompt", "--out"})
            QVERIFY2(blocks.value(QString::fromLatin1(option)).contains(QStringLiteral("(required")), option);
        QVERIFY(!blocks.value(QStringLiteral("--negative")).contains(QStringLiteral("required")));
        QVERIFY(run.out.contains(QStringLiteral("--precision")));
        QVERIFY(run.out.contains(QStringLiteral("--device")));
        QVERIFY(!run.out.contains(QStringLiteral("--dtype")));
    }

    void errorsAreOneLineOnStderr_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString model = golden::kolorsDir();
        QTest::newRow("tokenize no model")
            << QStringList{"tokenize", "--prompt", "x"} << "storyboard tokenize: missing --model";
        QTest::newRow("tokenize no prompt")
            << QStringList{"tokenize", "--model", model} << "storyboard tokenize: missing --prompt";
        QTest::newRow("tokenize bad folder") << QStringList{"tokenize", "--model", "/nonexistent", "--prompt", "x"}
                                             << "storyboard tokenize: model folder does not exist: /nonexistent";
        QTest::newRow("tokenize unknown option")
            << QStringList{"tokenize", "--model", model, "--bogus"} << "storyboard tokenize: ";
        QTest::newRow("encode no out") << QStringList{"encode", "--model", model, "--prompt", "x"}
                                       << "storyboard encode: missing --out";
        QTest::newRow("encode bad out dir")
            << QStringList{"encode", "--model", model, "--prompt", "x", "--out", "/nonexistent/dir/e.safetensors"}
            << "storyboard encode: cannot write /nonexistent/dir/e.safetensors";
        QTest::newRow("encode bad device")
            << QStringList{"encode", "--model", model, "--prompt", "x", "--out", "/tmp/x", "--device", "tpu"}
            << "storyboard encode: unknown device";
        QTest::newRow("encode bad precision")
            << QStringList{"encode", "--model", model, "--prompt", "x", "--out", "/tmp/x", "--precision", "fp8"}
            << "storyboard encode: unknown precision \"fp8\" (use auto, fp32, fp16 or bf16)";
        QTest::newRow("encode not a model")
            << QStringList{"encode", "--model", model + "/scheduler", "--prompt", "x", "--out", "/tmp/x.safetensors"}
            << "storyboard encode: missing file: ";
    }
    void errorsAreOneLineOnStderr()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run run = storyboard(args);
        QVERIFY(run.exitCode > 0);
        const QString err = run.err;
        QVERIFY2(err.startsWith(expected), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTextCli)
#include "TestTextCli.moc"
