#include "engine/common/EngineError.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <torch/nn/module.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace studio::engine;

namespace {

void writeText(const QString &path, const std::string &text)
{
    std::ofstream(path.toStdString(), std::ios::binary) << text;
}

QString errorOf(const std::function<void()> &f, EngineError::Code *code = nullptr)
{
    try {
        f();
    } catch (const EngineError &e) {
        if (code)
            *code = e.code();
        return QString::fromStdString(e.what());
    }
    return QString();
}

// A module with a Linear-like child, a second parameter and an integer buffer.
struct Tiny : torch::nn::Module
{
    Tiny()
    {
        auto child = register_module("proj", std::make_shared<torch::nn::Module>());
        weight = child->register_parameter("weight", declareWeight({2, 3}), false);
        bias = child->register_parameter("bias", at::zeros({2}), false);
        steps = register_buffer("steps", at::zeros({4}, at::kLong));
    }
    at::Tensor weight, bias, steps;
};

std::vector<std::pair<std::string, at::Tensor>> tinyWeights()
{
    return {{"proj.weight", at::arange(6, at::kFloat).view({2, 3})},
            {"proj.bias", at::ones({2})},
            {"steps", at::arange(4, at::kLong)}};
}

} // namespace

class TestTensorStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shardedIndex()
    {
        QTemporaryDir tmp;
        writeSafetensors((tmp.path() + "/a.safetensors").toStdString(),
                         {{"x", at::ones({2})}, {"extra", at::ones({1})}});
        writeSafetensors((tmp.path() + "/b.safetensors").toStdString(), {{"y", at::zeros({3})}});
        writeText(tmp.path() + "/model.safetensors.index.json",
                  R"({"metadata": {}, "weight_map": {"x": "a.safetensors", "y": "b.safetensors"}})");
        const TensorStore store = TensorStore::open((tmp.path() + "/model.safetensors.index.json").toStdString());
        QCOMPARE(store.names(), (std::vector<std::string>{"x", "y"})); // only what the index lists
        QCOMPARE(store.describe(), std::string("model.safetensors.index.json (2 shards)"));
        QCOMPARE(store.source(), (tmp.path() + "/model.safetensors.index.json").toStdString());
        QCOMPARE(store.find("y")->file, (tmp.path() + "/b.safetensors").toStdString());
        QVERIFY(at::equal(store.get("y"), at::zeros({3})));
        // The fp16 variant name transformers writes is an index too.
        writeText(tmp.path() + "/model.safetensors.index.fp16.json", R"({"weight_map": {"x": "a.safetensors"}})");
        QCOMPARE(TensorStore::open((tmp.path() + "/model.safetensors.index.fp16.json").toStdString()).size(),
                 size_t(1));
    }

    void pickleShardsWithIndex()
    {
        QTemporaryDir tmp;
        c10::Dict<std::string, at::Tensor> one, two;
        one.insert("x", at::ones({2}));
        two.insert("y", at::arange(3, at::kFloat));
        for (const auto &[name, dict] : {std::make_pair("pytorch_model-00001-of-00002.bin", one),
                                         std::make_pair("pytorch_model-00002-of-00002.bin", two)}) {
            const std::vector<char> bytes = torch::jit::pickle_save(dict);
            std::ofstream(tmp.filePath(name).toStdString(), std::ios::binary)
                .write(bytes.data(), std::streamsize(bytes.size()));
        }
        writeText(
            tmp.path() + "/pytorch_model.bin.index.json",
            R"({"weight_map": {"x": "pytorch_model-00001-of-00002.bin", "y": "pytorch_model-00002-of-00002.bin"}})");
        const TensorStore store = TensorStore::open((tmp.path() + "/pytorch_model.bin.index.json").toStdString());
        QCOMPARE(store.size(), size_t(2));
        QVERIFY(at::equal(store.get("y"), at::arange(3, at::kFloat)));
    }

    void indexRules_data()
    {
        QTest::addColumn<QString>("index");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const char *index, EngineError::Code code, const char *expected) {
            QTest::newRow(name) << QString(index) << int(code) << QString(expected);
        };
        row("escapes with ..", R"({"weight_map": {"x": "../a.safetensors"}})", EngineError::Code::BadFile,
            "is not a file name in the index's folder");
        row("absolute path", R"({"weight_map": {"x": "/etc/a.safetensors"}})", EngineError::Code::BadFile,
            "is not a file name");
        row("subfolder", R"({"weight_map": {"x": "sub/a.safetensors"}})", EngineError::Code::BadFile,
            "is not a file name");
        row("backslash", R"({"weight_map": {"x": "..\\a.safetensors"}})", EngineError::Code::BadFile,
            "is not a file name");
        row("missing shard", R"({"weight_map": {"x": "gone.safetensors"}})", EngineError::Code::MissingFile,
            "missing file: ");
        row("tensor not in its shard", R"({"weight_map": {"x": "a.safetensors", "z": "a.safetensors"}})",
            EngineError::Code::MissingWeight, "lists \"z\" in a.safetensors, which does not hold it");
        row("index as shard", R"({"weight_map": {"x": "model.safetensors.index.json"}})", EngineError::Code::BadFile,
            "is not a .safetensors or .bin file");
        row("no weight_map", R"({"metadata": {}})", EngineError::Code::BadFile, "no \"weight_map\"");
        row("empty weight_map", R"({"weight_map": {}})", EngineError::Code::BadFile, "empty");
        row("shard not a string", R"({"weight_map": {"x": 3}})", EngineError::Code::BadFile, "not a string");
        row("not json", R"({"weight_map": )", EngineError::Code::BadFile, "not valid JSON");
    }
    void indexRules()
    {
        QFETCH(QString, index);
        QFETCH(int, code);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        writeSafetensors((tmp.path() + "/a.safetensors").toStdString(), {{"x", at::ones({2})}});
        const QString path = tmp.path() + "/model.safetensors.index.json";
        writeText(path, index.toStdString());
        EngineError::Code actual{};
        const QString message = errorOf([&] { TensorStore::open(path.toStdString()); }, &actual);
        QCOMPARE(int(actual), code);
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(path) || message.contains(tmp.path()), qPrintable(message));
    }

    void prefixStripping()
    {
        const TensorStore store =
            TensorStore::fromTensors({{"transformer.a", at::ones({1})}, {"b", at::ones({1})}}, "mem");
        QVERIFY(store.anyNameStartsWith("transformer."));
        const TensorStore stripped = store.withPrefixStripped("transformer.");
        QCOMPARE(stripped.names(), (std::vector<std::string>{"a", "b"}));
        QVERIFY(!stripped.anyNameStartsWith("transformer."));
        const TensorStore clash =
            TensorStore::fromTensors({{"transformer.a", at::ones({1})}, {"a", at::ones({1})}}, "mem");
        QVERIFY(errorOf([&] { clash.withPrefixStripped("transformer."); }).contains("holds both"));
    }

    void unknownExtension()
    {
        EngineError::Code code{};
        QVERIFY(
            errorOf([] { TensorStore::open("/tmp/weights.gguf"); }, &code).contains("not a known weight file type"));
        QCOMPARE(code, EngineError::Code::BadFile);
    }

    void moduleLoaderCopiesEverything()
    {
        Tiny tiny;
        const TensorStore store = TensorStore::fromTensors(tinyWeights(), "tiny.safetensors");
        LoadOptions options;
        options.dtype = at::kHalf; // floating weights converted, integer buffers kept
        loadModuleWeights(tiny, store, options);
        QCOMPARE(tiny.weight.scalar_type(), at::kHalf);
        QCOMPARE(tiny.steps.scalar_type(), at::kLong);
        QVERIFY(at::equal(tiny.weight, at::arange(6, at::kFloat).view({2, 3}).to(at::kHalf)));
        QVERIFY(at::equal(tiny.steps, at::arange(4, at::kLong)));
        QVERIFY(tiny.weight.is_contiguous());
    }

    void moduleLoaderNamesEveryProblem_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "drop proj.bias" << int(EngineError::Code::MissingWeight)
                                 << "tiny: missing tensor \"proj.bias\" in tiny.safetensors";
        QTest::newRow("unexpected") << "add proj.extra" << int(EngineError::Code::UnexpectedWeight)
                                    << "tiny: unexpected tensor \"proj.extra\" in tiny.safetensors";
        QTest::newRow("shape") << "reshape proj.weight" << int(EngineError::Code::ShapeMismatch)
                               << "tiny: tensor \"proj.weight\" in tiny.safetensors has shape [3, 2], expected [2, 3]";
        QTest::newRow("dtype") << "int proj.weight" << int(EngineError::Code::DtypeMismatch)
                               << "tiny: tensor \"proj.weight\" in tiny.safetensors has dtype Long, expected Float";
        QTest::newRow("float buffer") << "float steps" << int(EngineError::Code::DtypeMismatch)
                                      << "tiny: tensor \"steps\" in tiny.safetensors has dtype Float, expected Long";
    }
    void moduleLoaderNamesEveryProblem()
    {
        QFETCH(QString, change);
        QFETCH(int, code);
        QFETCH(QString, expected);
        std::vector<std::pair<std::string, at::Tensor>> weights;
        for (auto &[name, tensor] : tinyWeights()) {
            if (change == "drop proj.bias" && name == "proj.bias")
                continue;
            if (change == "reshape proj.weight" && name == "proj.weight")
                tensor = tensor.view({3, 2});
            if (change == "int proj.weight" && name == "proj.weight")
                tensor = tensor.to(at::kLong);
            if (change == "float steps" && name == "steps")
                tensor = tensor.to(at::kFloat);
            weights.emplace_back(name, tensor);
        }
        if (change == "add proj.extra")
            weights.emplace_back("proj.extra", at::ones({1}));
        Tiny tiny;
        const at::Tensor biasBefore = tiny.bias.clone();
        EngineError::Code actual{};
        LoadOptions options;
        options.stage = "tiny";
        const QString message = errorOf(
            [&] { loadModuleWeights(tiny, TensorStore::fromTensors(weights, "tiny.safetensors"), options); }, &actual);
        QCOMPARE(int(actual), code);
        QCOMPARE(message, expected);
        QVERIFY(at::equal(tiny.bias, biasBefore)); // nothing copied on failure
    }

    void moduleLoaderIgnoresPrefixesAndCollectsAllProblems()
    {
        auto weights = tinyWeights();
        weights.emplace_back("output_layer.weight", at::ones({5}));
        Tiny tiny;
        LoadOptions options;
        options.ignorePrefixes = {"output_layer."};
        loadModuleWeights(tiny, TensorStore::fromTensors(weights, "t"), options);

        Tiny other;
        const QString message = errorOf([&] {
            loadModuleWeights(other,
                              TensorStore::fromTensors({{"proj.weight", at::ones({1})}, {"zzz", at::ones({1})}}, "t"));
        });
        QVERIFY2(message.contains("\"proj.weight\"") && message.contains("\"proj.bias\"") &&
                     message.contains("\"steps\"") && message.contains("\"zzz\""),
                 qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestTensorStore)
#include "TestTensorStore.moc"
