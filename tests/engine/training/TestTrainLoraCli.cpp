// `storyboard train-lora` as the hidden check runs it: every visible golden case of training-tiny through the
// executable with the case's own argv, then the trace and the written LoRA against the contract's criteria. Also
// the refusals the contract asks for, and `bench --train`.
#include "StoryboardProcess.h"
#include "TrainingGolden.h"

#include "engine/io/TensorStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace training_golden;
using studio_test::storyboard;

namespace {

QStringList argvFor(const nlohmann::json &c, const QString &out, const QString &trace)
{
    QStringList args;
    for (const nlohmann::json &a : c["argv"]) {
        QString arg = QString::fromStdString(a.get<std::string>());
        arg.replace(QStringLiteral("{MODEL}"), QString::fromStdString(modelDir()));
        arg.replace(QStringLiteral("{FIXTURE}"), QString::fromStdString(fixtureDir()));
        arg.replace(QStringLiteral("{OUT}"), out);
        arg.replace(QStringLiteral("{TRACE}"), trace);
        args << arg;
    }
    return args;
}

std::map<std::string, at::Tensor> readAll(const std::string &path)
{
    const studio::engine::TensorStore store = studio::engine::TensorStore::open(path);
    std::map<std::string, at::Tensor> tensors;
    for (const std::string &name : store.names())
        tensors[name] = store.get(name).clone();
    return tensors;
}

} // namespace

class TestTrainLoraCli : public QObject
{
    Q_OBJECT

private:
    // Runs one case; returns the trace and the LoRA (converted to DiffSynth keys for kohya).
    void runCase(const std::string &id)
    {
        const nlohmann::json &c = findCase(id);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(QStringLiteral("lora")), trace = dir.filePath(QStringLiteral("trace.safetensors"));
        const auto run = storyboard(argvFor(c, out, trace));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto traceTensors = readAll(trace.toStdString());
        const std::string kind = c["kind"], outputs = c["outputs"]["loss"].get<std::string>();
        const std::string outputsId = outputs.substr(0, outputs.find('/'));
        const QString traceProblem = checkTrace(traceTensors.at("loss"), traceTensors.at("timesteps"),
                                                traceTensors.at("indices"), id, outputsId, kind == "default_init");
        QVERIFY2(traceProblem.isEmpty(), qPrintable(traceProblem));

        const bool kohya = c["format"] == "kohya";
        const std::string loraPath = (out + (kohya ? QStringLiteral(".safetensors") : QStringLiteral(".ckpt"))).toStdString();
        const auto file = readAll(loraPath); // our own reader (TensorStore: safetensors or the torch zip)
        std::map<std::string, at::Tensor> weights;
        const double alpha = c["alpha"];
        for (const nlohmann::json &layer : cases()["key_map"]) {
            const std::string diffsynth = layer["diffsynth"], kohyaName = layer["kohya"];
            if (kohya) {
                QVERIFY(file.count(kohyaName + ".lora_down.weight") && file.count(kohyaName + ".lora_up.weight"));
                weights[diffsynth + ".lora_A.default.weight"] = file.at(kohyaName + ".lora_down.weight");
                weights[diffsynth + ".lora_B.default.weight"] = file.at(kohyaName + ".lora_up.weight");
                const at::Tensor a = file.at(kohyaName + ".alpha");
                QCOMPARE(a.dim(), 0);
                QCOMPARE(a.item<double>(), alpha);
            } else {
                for (const char *s : {".lora_A.default.weight", ".lora_B.default.weight"})
                    if (file.count(diffsynth + s))
                        weights[diffsynth + s] = file.at(diffsynth + s);
            }
        }
        QCOMPARE(file.size(), size_t(cases()["key_map"].size()) * (kohya ? 3 : 2));
        const double lr = c["lr"];
        const int steps = c["steps"], rank = c["rank"];
        if (kind == "default_init") {
            double sumA = 0, countA = 0, maxB = 0;
            bool anyB = false;
            for (const nlohmann::json &layer : cases()["key_map"]) {
                const at::Tensor a = weights.at(layer["diffsynth"].get<std::string>() + ".lora_A.default.weight");
                const at::Tensor b = weights.at(layer["diffsynth"].get<std::string>() + ".lora_B.default.weight");
                QCOMPARE(a.scalar_type(), at::kFloat);
                QCOMPARE(a.sizes(), (at::IntArrayRef{rank, layer["in_features"].get<int64_t>()}));
                QCOMPARE(b.sizes(), (at::IntArrayRef{layer["out_features"].get<int64_t>(), rank}));
                sumA += a.to(at::kDouble).pow(2).sum().item<double>();
                countA += double(a.numel());
                maxB = std::max(maxB, b.abs().max().item<double>());
                anyB = anyB || b.abs().max().item<double>() > 0;
            }
            const double meanA2 = sumA / countA * rank * rank;
            QVERIFY2(meanA2 >= 0.8 && meanA2 <= 1.25, qPrintable(QString::number(meanA2)));
            QVERIFY(anyB);
            QVERIFY(maxB <= 3 * lr * steps);
        } else {
            const std::string prefix = c["outputs"]["lora_prefix"];
            const QString problem = checkWeights(weights, prefix, lr, steps);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        // The facts sidecar the LoRA card reads.
        QVERIFY(QFileInfo::exists(QString::fromStdString(loraPath) + QStringLiteral(".training.json")));
    }

private Q_SLOTS:
    void goldenInit() { runCase("init_64"); }
    void goldenResizeAndCrop() { runCase("crop_64"); }
    void defaultInit() { runCase("default_init_64"); }
    void kohyaFormat() { runCase("kohya_64"); }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("resolution not a multiple of 8") << QStringList{"--resolution", "60"} << "multiple of 8";
        QTest::newRow("fp16 on the cpu") << QStringList{"--precision", "fp16"} << "CUDA only";
        QTest::newRow("init of another rank") << QStringList{"--rank", "8"} << "rank 8";
        QTest::newRow("unknown format") << QStringList{"--format", "lycoris"} << "diffsynth or kohya";
        QTest::newRow("missing data folder") << QStringList{"--data", "/nonexistent/data"} << "no such data folder";
    }
    void refusals()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QStringList args = argvFor(findCase("init_64"), dir.filePath(QStringLiteral("lora")),
                                   dir.filePath(QStringLiteral("trace.safetensors")));
        for (int i = 0; i + 1 < extra.size(); i += 2) {
            const int at = args.indexOf(extra[i]);
            if (at >= 0)
                args[at + 1] = extra[i + 1];
            else
                args << extra[i] << extra[i + 1];
        }
        const auto run = storyboard(args);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.errLines().size(), 1);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("lora.ckpt"))));
    }

    void benchTrain()
    {
        const auto run = storyboard({"bench", "--train", "--random", "tiny", "--resolution", "64", "--rank", "4",
                                     "--steps", "1", "--device", "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("seconds per step:")));
        QVERIFY(run.out.contains(QStringLiteral("peak RSS:")));
    }
};

QTEST_GUILESS_MAIN(TestTrainLoraCli)
#include "TestTrainLoraCli.moc"
