#include "CraftedFiles.h"

#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/PickleReader.h"
#include "engine/io/TensorStore.h"
#include "engine/io/TorchPickle.h"

#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>

using namespace studio::engine;

namespace {

using Tensors = std::vector<std::pair<std::string, at::Tensor>>;

Tensors read(const crafted::Bytes &file)
{
    return readTorchPickle(reinterpret_cast<const uint8_t *>(file.data()), file.size(), "test.ckpt", nullptr);
}

// The EngineError message of reading `file`, or "" when it loads.
QString refusal(const crafted::Bytes &file, EngineError::Code expected = EngineError::Code::BadFile)
{
    try {
        read(file);
    } catch (const EngineError &e) {
        if (e.code() != expected)
            return QString("wrong code %1: %2").arg(e.codeName(), e.what());
        return QString::fromStdString(e.what());
    }
    return QString();
}

std::map<std::string, at::Tensor> byName(const Tensors &tensors)
{
    return std::map<std::string, at::Tensor>(tensors.begin(), tensors.end());
}

crafted::Bytes pickleSave(const c10::IValue &value)
{
    const std::vector<char> bytes = torch::jit::pickle_save(value);
    return crafted::Bytes(bytes.begin(), bytes.end());
}

// A one-tensor state dict {"w": tensor} around `tensorOps` (a crafted tensor expression).
crafted::Bytes oneTensor(const crafted::Pickle &tensorOps)
{
    crafted::Pickle p;
    p.proto().emptyDict().string("w").raw(tensorOps.bytes()).setItem().stop();
    return p.bytes();
}

} // namespace

class TestTorchPickle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loraFixtureFromPythonTorchSave()
    {
        // A real torch.save (zip) file: DiffSynth's LoRA format. It must match the same LoRA in kohya format.
        const std::string dir = STUDIO_TEST_DATA_DIR "/golden/kolors-tiny/";
        const auto ckpt = byName(loadTorchPickle(dir + "lora/lora_diffsynth.ckpt"));
        const auto kohya = SafetensorsFile::open(dir + "lora/lora_kohya.safetensors");
        QFile casesFile(QString::fromStdString(dir + "cases.json"));
        QVERIFY(casesFile.open(QIODevice::ReadOnly));
        const QJsonObject lora = QJsonDocument::fromJson(casesFile.readAll()).object()["lora"].toObject();
        const QJsonArray keyMap = lora["key_map"].toArray();
        QCOMPARE(int(ckpt.size()), 2 * keyMap.size());
        for (const QJsonValue &v : keyMap) {
            const QJsonObject layer = v.toObject();
            std::string stem = layer["diffsynth"].toString().toStdString();
            stem = stem.substr(0, stem.size() - std::string(".weight").size());
            const std::string k = layer["kohya"].toString().toStdString();
            const at::Tensor down = ckpt.at(stem + ".lora_A.default.weight");
            const at::Tensor up = ckpt.at(stem + ".lora_B.default.weight");
            QCOMPARE(down.scalar_type(), at::kFloat);
            QCOMPARE(down.size(0), int64_t(lora["rank"].toInt()));
            QVERIFY(at::equal(down, kohya->tensor(k + ".lora_down.weight")));
            QVERIFY(at::equal(up, kohya->tensor(k + ".lora_up.weight")));
        }
        // TensorStore takes .ckpt files too.
        const TensorStore store = TensorStore::open(dir + "lora/lora_diffsynth.ckpt");
        QCOMPARE(store.size(), ckpt.size());
    }

    void roundTripThroughLibTorchPickleSave()
    {
        c10::Dict<std::string, at::Tensor> dict;
        dict.insert("f32", at::randn({3, 4}));
        dict.insert("f16", at::randn({5}).to(at::kHalf));
        dict.insert("bf16", at::randn({2, 2}).to(at::kBFloat16));
        dict.insert("i64", at::arange(7, at::kLong));
        dict.insert("u8", at::arange(9, at::kByte).view({3, 3}));
        dict.insert("bool", at::tensor(std::vector<int64_t>{1, 0, 1}).to(at::kBool));
        dict.insert("strided", at::randn({4, 6}).t());                     // non-contiguous
        dict.insert("slice", at::arange(20, at::kFloat).narrow(0, 5, 10)); // storage offset
        dict.insert("scalar", at::scalar_tensor(2.5));
        dict.insert("empty", at::empty({0, 3}));
        const auto loaded = byName(read(pickleSave(dict)));
        QCOMPARE(loaded.size(), size_t(dict.size()));
        for (const auto &item : dict) {
            const at::Tensor &got = loaded.at(item.key());
            QCOMPARE(got.scalar_type(), item.value().scalar_type());
            QVERIFY2(got.sizes() == item.value().sizes(), item.key().c_str());
            QVERIFY2(at::equal(got, item.value()), item.key().c_str());
        }
    }

    void stateDictWrapperAndNesting()
    {
        c10::Dict<std::string, at::Tensor> weights;
        weights.insert("a.weight", at::ones({2}));
        c10::impl::GenericDict inner(c10::StringType::get(), c10::AnyType::get());
        inner.insert("x", at::zeros({1}));
        c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
        root.insert("state_dict", weights);
        root.insert("epoch", int64_t(3));
        root.insert("name", std::string("lora"));
        root.insert("other", inner);
        // {"state_dict": ...} wins; the rest is ignored.
        auto loaded = byName(read(pickleSave(root)));
        QCOMPARE(loaded.size(), size_t(1));
        QVERIFY(at::equal(loaded.at("a.weight"), at::ones({2})));
        // Without it, nested dicts are flattened with "." and plain values skipped.
        (void)root.erase("state_dict");
        root.insert("unet", weights);
        loaded = byName(read(pickleSave(root)));
        QCOMPARE(loaded.size(), size_t(2));
        QVERIFY(loaded.count("unet.a.weight"));
        QVERIFY(loaded.count("other.x"));
    }

    void orderedDictStateDictWithMetadata()
    {
        // module.state_dict() pickles as OrderedDict() + SETITEMS + BUILD({"_metadata": ...}).
        crafted::Pickle tensor;
        tensor.tensor("FloatStorage", "0", 3, {3}, {1});
        crafted::Pickle p;
        p.proto()
            .global("collections", "OrderedDict")
            .emptyTuple()
            .reduce()
            .mark()
            .string("w")
            .raw(tensor.bytes())
            .setItems();
        p.emptyDict()
            .string("_metadata")
            .global("collections", "OrderedDict")
            .emptyTuple()
            .reduce()
            .setItem()
            .build()
            .stop();
        const auto loaded = read(crafted::archive(p.bytes(), {{"0", crafted::floats({1, 2, 3})}}));
        QCOMPARE(loaded.size(), size_t(1));
        QVERIFY(at::equal(loaded[0].second, at::tensor(std::vector<float>{1, 2, 3})));
    }

    void tensorsViewTheFileWhenAligned()
    {
        crafted::Pickle tensor;
        tensor.tensor("FloatStorage", "0", 4, {2, 2}, {2, 1});
        const crafted::Bytes file = crafted::archive(oneTensor(tensor), {{"0", crafted::floats({1, 2, 3, 4})}});
        const auto *begin = reinterpret_cast<const uint8_t *>(file.data());
        const Tensors loaded = read(file);
        const auto *data = static_cast<const uint8_t *>(loaded[0].second.data_ptr());
        QVERIFY(data >= begin && data < begin + file.size()); // a view, not a copy
        // Unaligned records are copied once, with the same values.
        const crafted::Bytes unaligned = crafted::zip(
            {{"archive/data.pkl", oneTensor(tensor)}, {"archive/data/0", crafted::floats({1, 2, 3, 4})}}, 0, false);
        const Tensors copied = read(unaligned);
        QVERIFY(at::equal(copied[0].second, loaded[0].second));
    }

    void hostileGlobalsAreRefusedAndNothingRuns_data()
    {
        QTest::addColumn<QByteArray>("module");
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("os.system") << QByteArray("os") << QByteArray("system");
        QTest::newRow("posix.system") << QByteArray("posix") << QByteArray("system");
        QTest::newRow("builtins.eval") << QByteArray("builtins") << QByteArray("eval");
        QTest::newRow("builtins.exec") << QByteArray("builtins") << QByteArray("exec");
        QTest::newRow("subprocess.Popen") << QByteArray("subprocess") << QByteArray("Popen");
        QTest::newRow("torch.load") << QByteArray("torch") << QByteArray("load");
        QTest::newRow("numpy") << QByteArray("numpy.core.multiarray") << QByteArray("_reconstruct");
    }
    void hostileGlobalsAreRefusedAndNothingRuns()
    {
        QFETCH(QByteArray, module);
        QFETCH(QByteArray, name);
        QTemporaryDir tmp;
        const std::string marker = (tmp.path() + "/pwned").toStdString();
        // The classic __reduce__ payload: callable(args) builds the dict value.
        crafted::Pickle p;
        p.proto()
            .emptyDict()
            .string("w")
            .global(module.toStdString(), name.toStdString())
            .string("touch " + marker)
            .tuple1()
            .reduce()
            .setItem()
            .stop();
        QString message = refusal(crafted::archive(p.bytes()));
        QVERIFY2(message.contains("refused") && message.contains(module + "." + name), qPrintable(message));
        // Same through protocol 4's STACK_GLOBAL.
        crafted::Pickle q;
        q.proto(4)
            .emptyDict()
            .string("w")
            .string(module.toStdString())
            .string(name.toStdString())
            .stackGlobal()
            .string("touch " + marker)
            .tuple1()
            .reduce()
            .setItem()
            .stop();
        message = refusal(crafted::archive(q.bytes()));
        QVERIFY2(message.contains("refused") && message.contains(module + "." + name), qPrintable(message));
        QVERIFY(!QFile::exists(QString::fromStdString(marker)));
    }

    void hostileOpcodesAreRefused()
    {
        crafted::Pickle inst; // INST os.system: instantiate a class from the stream
        inst.proto().emptyDict().string("w").mark().string("id").inst("os", "system").setItem().stop();
        QVERIFY(refusal(crafted::archive(inst.bytes())).contains("refused"));

        crafted::Pickle newObj; // NEWOBJ on an allowed global is still not a state dict
        newObj.proto().global("collections", "OrderedDict").emptyTuple().newObj().stop();
        QVERIFY(refusal(crafted::archive(newObj.bytes())).contains("refused"));

        crafted::Pickle buildOnTensor; // BUILD (calls __setstate__) on anything but an OrderedDict
        crafted::Pickle t;
        t.tensor("FloatStorage", "0", 1, {1}, {1});
        buildOnTensor.proto().emptyDict().string("w").raw(t.bytes()).emptyDict().build().setItem().stop();
        QVERIFY(!refusal(crafted::archive(buildOnTensor.bytes(), {{"0", crafted::floats({1})}})).isEmpty());

        crafted::Pickle callNonGlobal; // REDUCE on a string
        callNonGlobal.proto().string("os.system").emptyTuple().reduce().stop();
        QVERIFY(!refusal(crafted::archive(callNonGlobal.bytes())).isEmpty());

        crafted::Pickle orderedWithArgs; // OrderedDict([...]) is not how torch writes it
        orderedWithArgs.proto().global("collections", "OrderedDict").emptyList().tuple1().reduce().stop();
        QVERIFY(!refusal(crafted::archive(orderedWithArgs.bytes())).isEmpty());
    }

    void malformedPickles_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const crafted::Pickle &p, const char *expected) {
            QTest::newRow(name) << QByteArray::fromStdString(p.bytes()) << QString(expected);
        };
        row("empty", crafted::Pickle(), "ends in the middle");
        row("truncated", crafted::Pickle().proto().emptyDict().string("w"), "ends in the middle");
        row("no stop", crafted::Pickle().proto().emptyDict(), "ends in the middle");
        row("underflow", crafted::Pickle().proto().setItem().stop(), "empty stack");
        row("two values", crafted::Pickle().proto().emptyDict().emptyDict().stop(), "values on the stack");
        row("not a dict", crafted::Pickle().proto().emptyList().stop(), "not a dict");
        row("int key", crafted::Pickle().proto().emptyDict().integer(1).none().setItem().stop(), "key");
        row("list value", crafted::Pickle().proto().emptyDict().string("w").emptyList().setItem().stop(), "list");
        row("odd dict", crafted::Pickle().proto().emptyDict().mark().string("w").setItems().stop(), "no value");
        row("missing memo", crafted::Pickle().proto().get(7).stop(), "never stored");
        row("no mark", crafted::Pickle().proto().emptyDict().setItems().stop(), "no mark");
        row("self cycle", crafted::Pickle().proto().emptyList().put(0).get(0).append().stop(), "inside itself");
        row("change after nesting",
            crafted::Pickle()
                .proto()
                .emptyDict()
                .string("x")
                .emptyList()
                .put(1)
                .setItem()
                .get(1)
                .none()
                .append()
                .stop(),
            "after placing");
        crafted::Pickle deep;
        deep.proto();
        for (int i = 0; i < 100; ++i)
            deep.emptyList();
        for (int i = 0; i < 99; ++i)
            deep.append();
        row("deep nesting", deep.stop(), "nest deeper");
        row("protocol 0 text", crafted::Pickle().raw("(dp0\n."), "not allowed");
        row("unknown persid", crafted::Pickle().proto().string("x").binPersId().stop(), "persistent id");
        row("unknown opcode", crafted::Pickle().proto().raw("\xff").stop(), "not allowed");
    }
    void malformedPickles()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, expected);
        const QString message = refusal(crafted::archive(pickle.toStdString()));
        QVERIFY2(message.contains(expected) && message.startsWith("test.ckpt: "), qPrintable(message));
    }

    void badTensorsAndStorages_data()
    {
        QTest::addColumn<QString>("storageType");
        QTest::addColumn<int>("numel");
        QTest::addColumn<QVector<int>>("size");
        QTest::addColumn<QVector<int>>("stride");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("expected");
        QTest::newRow("past the storage")
            << "FloatStorage" << 4 << QVector<int>{2, 3} << QVector<int>{3, 1} << 0 << "reaches element";
        QTest::newRow("offset past the end")
            << "FloatStorage" << 4 << QVector<int>{1} << QVector<int>{1} << 4 << "reaches element";
        QTest::newRow("negative stride") << "FloatStorage" << 4 << QVector<int>{2} << QVector<int>{-1} << 1
                                         << "negative";
        QTest::newRow("negative size") << "FloatStorage" << 4 << QVector<int>{-2} << QVector<int>{1} << 0 << "negative";
        QTest::newRow("size/stride rank")
            << "FloatStorage" << 4 << QVector<int>{2, 2} << QVector<int>{1} << 0 << "differ";
        QTest::newRow("record too small")
            << "DoubleStorage" << 4 << QVector<int>{4} << QVector<int>{1} << 0 << "holds 16 bytes";
        QTest::newRow("huge extent") << "FloatStorage" << 4 << QVector<int>{2, 2}
                                     << QVector<int>{2147483647, 2147483647} << 0 << "reaches element";
    }
    void badTensorsAndStorages()
    {
        QFETCH(QString, storageType);
        QFETCH(int, numel);
        QFETCH(QVector<int>, size);
        QFETCH(QVector<int>, stride);
        QFETCH(int, offset);
        QFETCH(QString, expected);
        crafted::Pickle t;
        t.tensor(storageType.toStdString(), "0", numel, std::vector<int32_t>(size.begin(), size.end()),
                 std::vector<int32_t>(stride.begin(), stride.end()), offset);
        const QString message = refusal(crafted::archive(oneTensor(t), {{"0", crafted::floats({1, 2, 3, 4})}}));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void missingStorageRecordAndBadKeys()
    {
        crafted::Pickle t;
        t.tensor("FloatStorage", "7", 1, {1}, {1});
        QVERIFY(refusal(crafted::archive(oneTensor(t))).contains("storage \"7\" is missing"));
        crafted::Pickle escape;
        escape.tensor("FloatStorage", "../data.pkl", 1, {1}, {1});
        QVERIFY(refusal(crafted::archive(oneTensor(escape))).contains("invalid storage key"));
    }

    void badArchives()
    {
        const crafted::Bytes pickle = crafted::Pickle().proto().emptyDict().stop().bytes();
        QVERIFY(refusal(crafted::Bytes()).contains("not a zip"));
        QVERIFY(refusal("PK\x03\x04 this is not really a zip file at all").contains("not a zip"));
        QVERIFY(refusal(crafted::zip({{"archive/other.pkl", pickle}})).contains("data.pkl"));
        QVERIFY(refusal(crafted::zip({{"archive/data.pkl", pickle}}, 8)).contains("compressed"));
        QVERIFY(refusal(crafted::zip({{"a/data.pkl", pickle}, {"b/data.pkl", pickle}})).contains("data.pkl"));
        QVERIFY(refusal(crafted::zip({{"archive/data.pkl", pickle}, {"archive/data.pkl", pickle}})).contains("twice"));
        // Truncating a valid archive anywhere gives an error, never a crash.
        const crafted::Bytes whole = crafted::archive(pickle);
        QVERIFY(refusal(whole).isEmpty());
        for (size_t cut = 0; cut < whole.size(); ++cut)
            QVERIFY(!refusal(whole.substr(0, cut)).isEmpty());
        // The legacy (pre-1.6) format and big-endian archives are named as unsupported.
        QVERIFY(refusal("\x80\x02\x8a\x0a"
                        "l\xfc\x9c"
                        "F\xf9 j\xa8P\x19.",
                        EngineError::Code::Unsupported)
                    .contains("legacy"));
        QVERIFY(refusal(crafted::zip({{"archive/data.pkl", pickle}, {"archive/byteorder", "big"}}),
                        EngineError::Code::Unsupported)
                    .contains("big-endian"));
    }

    // Pickle bombs: a few hundred bytes that ask for billions of visits, millions of one-byte values, or names
    // that grow at every level. Each is refused by the reader's budget, naming the file, without running long.
    void memoReuseBombIsRefused()
    {
        // d(k+1) = {"x": d(k), "y": d(k)} through the memo: 29 levels are 2^30 entries to walk.
        crafted::Pickle p;
        p.proto().emptyDict().put(0);
        const int levels = 29;
        for (int k = 1; k <= levels; ++k) // each level leaves only the memo holding the one below
            p.pop().emptyDict().string("x").get(k - 1).setItem().string("y").get(k - 1).setItem().put(k);
        p.pop().emptyDict().string("a").get(levels).setItem().stop();
        QVERIFY(p.bytes().size() < 1000);
        const QString message = refusal(crafted::archive(p.bytes()));
        QVERIFY2(message.startsWith("test.ckpt: refused: the pickle needs more than"), qPrintable(message));
    }
    void millionsOfOneByteValuesAreRefused()
    {
        // Five million times "push None, pop it": each builds a value, the result is an empty (valid) dict.
        crafted::Pickle p;
        p.proto().emptyDict();
        crafted::Bytes filler;
        for (int i = 0; i < 5'000'000; ++i)
            filler += "N0";
        p.raw(filler).stop();
        const QString message = refusal(crafted::archive(p.bytes()));
        QVERIFY2(message.startsWith("test.ckpt: refused: the pickle needs more than"), qPrintable(message));
    }
    void longNamesAtEveryLevelAreRefused()
    {
        // One 60 KB key, memoized, names the dict at each of 30 levels and 2,000 tensors in the innermost one:
        // the flattened names would take 2,000 x 30 x 60 KB = 3.6 GB.
        crafted::Pickle t;
        t.tensor("FloatStorage", "0", 1, {1}, {1});
        crafted::Pickle q;
        q.proto().string(std::string(60'000, 'k')).put(0).pop();
        q.emptyDict();
        for (int i = 0; i < 2000; ++i)
            q.string(std::to_string(i)).raw(t.bytes()).setItem();
        for (int level = 0; level < 30; ++level) // {key: the dict below}
            q.put(1).pop().emptyDict().get(0).get(1).setItem();
        q.stop();
        const QString message = refusal(crafted::archive(q.bytes(), {{"0", crafted::floats({1})}}));
        QVERIFY2(message.startsWith("test.ckpt: refused: the pickle needs more than"), qPrintable(message));
    }
    void budgetGrowsWithTheFile()
    {
        // A real state dict never meets the budget: many small tensors in a file of ordinary proportions.
        crafted::Pickle p;
        p.proto().emptyDict();
        std::vector<std::pair<std::string, crafted::Bytes>> storages;
        const int count = 20'000;
        for (int i = 0; i < count; ++i) {
            crafted::Pickle t;
            t.tensor("FloatStorage", std::to_string(i), 1, {1}, {1});
            p.string("layer." + std::to_string(i) + ".weight").raw(t.bytes()).setItem();
            storages.emplace_back(std::to_string(i), crafted::floats({float(i)}));
        }
        const Tensors tensors = read(crafted::archive(p.stop().bytes(), storages));
        QCOMPARE(int(tensors.size()), count);
        const PickleBudget small = PickleBudget::forFile(1000), large = PickleBudget::forFile(100'000'000);
        QVERIFY(large.values > small.values && large.bytes > small.bytes && large.memo > small.memo);
        QVERIFY(PickleBudget::forFile(~uint64_t(0)).bytes <= (uint64_t(1) << 30)); // a cap, whatever the file
    }

    void fileErrorsNameThePath()
    {
        try {
            loadTorchPickle("/nonexistent/model.bin");
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::MissingFile);
            QCOMPARE(QString(e.what()), QString("missing file: /nonexistent/model.bin"));
        }
        QTemporaryDir tmp;
        const std::string path = (tmp.path() + "/evil.bin").toStdString();
        crafted::Pickle p;
        p.proto().emptyDict().string("w").global("os", "system").string("true").tuple1().reduce().setItem().stop();
        std::ofstream(path, std::ios::binary) << crafted::archive(p.bytes());
        try {
            TensorStore::open(path);
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::BadFile);
            QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": refused"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTorchPickle)
#include "TestTorchPickle.moc"
