#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace studio::engine;

namespace {

std::string lengthPrefix(uint64_t length)
{
    std::string out;
    for (int i = 0; i < 8; ++i)
        out.push_back(char((length >> (8 * i)) & 0xFF));
    return out;
}

// A safetensors image: 8-byte length, the header text as given, then `data`.
std::string image(const std::string &header, const std::string &data = std::string())
{
    return lengthPrefix(header.size()) + header + data;
}

// The parse error of an in-memory image, or "" when it parses.
QString parseError(const std::string &bytes)
{
    try {
        SafetensorsFile::parseHeader(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), "x.safetensors");
    } catch (const EngineError &e) {
        if (e.code() != EngineError::Code::BadFile)
            return QString("wrong code: ") + e.codeName();
        return QString::fromStdString(e.what());
    }
    return QString();
}

void writeFile(const QString &path, const std::string &bytes)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << bytes;
}

std::string readFile(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll().toStdString();
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

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validationRules_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string eight(8, '\0');
        auto row = [](const char *name, const std::string &bytes, const char *expected) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(expected);
        };
        row("empty file", "", "too short");
        row("shorter than the length", "abc", "too short");
        row("header longer than the file", lengthPrefix(100) + "{}", "does not fit");
        row("absurd header length", lengthPrefix(~uint64_t(0)) + "{}", "does not fit");
        row("bad json", image("{\"a\": "), "not valid JSON");
        row("not an object", image("[1, 2, 3]"), "not a JSON object");
        row("entry not an object", image(R"({"a": 3})"), "is not an object");
        row("no dtype", image(R"({"a": {"shape": [1], "data_offsets": [0, 4]}})", "abcd"), "no dtype");
        row("no shape", image(R"({"a": {"dtype": "F32", "data_offsets": [0, 4]}})", "abcd"), "no shape");
        row("no offsets", image(R"({"a": {"dtype": "F32", "shape": [1]}})", "abcd"), "data_offsets");
        row("unknown dtype", image(R"({"a": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}})", "a"),
            "unsupported dtype F8_E4M3");
        row("negative dim", image(R"({"a": {"dtype": "U8", "shape": [-1], "data_offsets": [0, 1]}})", "a"),
            "invalid shape");
        row("fractional dim", image(R"({"a": {"dtype": "U8", "shape": [1.5], "data_offsets": [0, 1]}})", "a"),
            "invalid shape");
        row("shape overflow",
            image(R"({"a": {"dtype": "U8", "shape": [4294967296, 4294967296, 4294967296], "data_offsets": [0, 1]}})",
                  "a"),
            "overflows");
        row("shape vs range", image(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})", "abcd"),
            "does not match its shape");
        row("range outside the file", image(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})", "abcd"),
            "outside the data");
        row("reversed range", image(R"({"a": {"dtype": "U8", "shape": [0], "data_offsets": [4, 0]}})", "abcd"),
            "outside the data");
        row("negative offset", image(R"({"a": {"dtype": "U8", "shape": [1], "data_offsets": [-1, 0]}})", "abcd"),
            "invalid data_offsets");
        row("overlap",
            image(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                      "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
                  std::string(8, 'x')),
            "overlap");
        row("metadata not an object", image(R"({"__metadata__": 1})"), "__metadata__");
        row("metadata value not a string", image(R"({"__metadata__": {"a": 1}})"), "__metadata__");
        // Hostile sizes: deep nesting is refused before the JSON is built; a shape with absurdly many dims too.
        row("nesting bomb", image(std::string(1 << 20, '[') + std::string(1 << 20, ']')), "nests deeper");
        row("nesting inside a string is text", image("{\"a\": {\"dtype\": \"[[[[[[[[[[[[\", \"shape\": [1]}}"),
            "no data_offsets");
        std::string dims;
        for (int i = 0; i < 1000; ++i)
            dims += i ? ",1" : "1";
        row("too many dims",
            image("{\"a\": {\"dtype\": \"U8\", \"shape\": [" + dims + "], \"data_offsets\": [0, 1]}}", "a"),
            "more than 64 dimensions");
    }
    void validationRules()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString message = parseError(bytes.toStdString());
        QVERIFY2(message.contains(expected) && message.startsWith("x.safetensors: "), qPrintable(message));
    }

    void validEdgeCases()
    {
        // No tensors at all, and a zero-size tensor with an empty range.
        QVERIFY(parseError(image("{}")).isEmpty());
        QVERIFY(parseError(image(R"({"a": {"dtype": "F32", "shape": [0, 3], "data_offsets": [0, 0]}})")).isEmpty());
        QVERIFY(
            parseError(image(R"({"s": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]}})", "12345678")).isEmpty());
    }

    void roundTripEveryDtype()
    {
        QTemporaryDir tmp;
        const QString path = tmp.path() + "/all.safetensors";
        std::vector<std::pair<std::string, at::Tensor>> tensors = {
            {"f32", at::randn({3, 5})},
            {"f16", at::randn({7}).to(at::kHalf)},
            {"bf16", at::randn({2, 3, 4}).to(at::kBFloat16)},
            {"f64", at::randn({2}, at::kDouble)},
            {"i64", at::arange(-5, 6, at::kLong)},
            {"i32", at::arange(-3, 3, at::kInt).view({2, 3})},
            {"i16", at::arange(4, at::kShort)},
            {"i8", at::arange(-2, 2, at::kChar)},
            {"u8", at::arange(256, at::kInt).to(at::kByte)},
            {"bool", at::tensor(std::vector<int64_t>{1, 0, 0, 1}).to(at::kBool)},
            {"scalar", at::scalar_tensor(3.5)},
            {"empty", at::empty({0, 4})},
            {"transposed", at::randn({3, 4}).t()}, // stored contiguous
        };
        writeSafetensors(path.toStdString(), tensors, {{"format", "pt"}, {"note", "测试"}});
        const auto file = SafetensorsFile::open(path.toStdString());
        QCOMPARE(file->entries().size(), tensors.size());
        QCOMPARE(file->metadata().at("note"), std::string("测试"));
        const std::map<at::ScalarType, std::string> names = {
            {at::kFloat, "F32"}, {at::kHalf, "F16"},  {at::kBFloat16, "BF16"}, {at::kDouble, "F64"},
            {at::kLong, "I64"},  {at::kInt, "I32"},   {at::kShort, "I16"},     {at::kChar, "I8"},
            {at::kByte, "U8"},   {at::kBool, "BOOL"},
        };
        for (const auto &[name, original] : tensors) {
            const at::Tensor loaded = file->tensor(name);
            QCOMPARE(loaded.scalar_type(), original.scalar_type());
            QVERIFY2(loaded.sizes() == original.sizes(), name.c_str());
            QVERIFY2(at::equal(loaded, original), name.c_str());
            QCOMPARE(std::string(safetensorsDtypeName(original.scalar_type())), names.at(original.scalar_type()));
        }
        // The header is padded with spaces to a multiple of 8 and names are sorted.
        const std::string bytes = readFile(path);
        uint64_t length = 0;
        for (int i = 7; i >= 0; --i)
            length = (length << 8) | uint8_t(bytes[size_t(i)]);
        QCOMPARE(length % 8, uint64_t(0));
        QVERIFY(file->entries().front().name < file->entries().back().name);
        QVERIFY(!QFile::exists(path + ".part"));
    }

    void writerRefusesBadNames()
    {
        QTemporaryDir tmp;
        const std::string path = (tmp.path() + "/x.safetensors").toStdString();
        EngineError::Code code{};
        QVERIFY(!errorOf(
                     [&] {
                         writeSafetensors(path, {{"a", at::ones({1})}, {"a", at::ones({1})}});
                     },
                     &code)
                     .isEmpty());
        QCOMPARE(code, EngineError::Code::BadArgument);
        QVERIFY(!errorOf([&] { writeSafetensors(path, {{"__metadata__", at::ones({1})}}); }).isEmpty());
        QVERIFY(!errorOf([&] { writeSafetensors(path, {{"c", at::ones({1}, at::kComplexFloat)}}); }).isEmpty());
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
    }

    void tensorsAreViewsOfTheMapping()
    {
        QTemporaryDir tmp;
        const QString path = tmp.path() + "/v.safetensors";
        writeSafetensors(path.toStdString(), {{"a", at::arange(16, at::kFloat)}, {"b", at::ones({4})}});
        const std::string before = readFile(path);
        at::Tensor a1, a2;
        {
            const auto file = SafetensorsFile::open(path.toStdString());
            a1 = file->tensor("a");
            a2 = file->tensor("a");
        }                                       // the tensors keep the mapping alive
        QCOMPARE(a1.data_ptr(), a2.data_ptr()); // the same bytes, not two copies
        a1.mul_(2);                             // copy-on-write: visible to the other view, never to the file
        QCOMPARE(a2[3].item<float>(), 6.0f);
        QCOMPARE(readFile(path), before);
    }

    void unalignedDataIsCopiedOnce()
    {
        // A header of 13 bytes puts the data at offset 21: not aligned for F32.
        QTemporaryDir tmp;
        const QString path = tmp.path() + "/u.safetensors";
        const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        const float values[2] = {1.5f, -2.0f};
        writeFile(path, image(header, std::string(reinterpret_cast<const char *>(values), 8)));
        QVERIFY((8 + header.size()) % 4 != 0);
        const auto file = SafetensorsFile::open(path.toStdString());
        const at::Tensor a = file->tensor("a");
        QVERIFY(at::equal(a, at::tensor(std::vector<float>{1.5f, -2.0f})));
        QCOMPARE(reinterpret_cast<uintptr_t>(a.data_ptr()) % 4, uintptr_t(0));
    }

    void fileErrors()
    {
        EngineError::Code code{};
        QString message = errorOf([] { SafetensorsFile::open("/nonexistent/a.safetensors"); }, &code);
        QCOMPARE(code, EngineError::Code::MissingFile);
        QCOMPARE(message, QString("missing file: /nonexistent/a.safetensors"));
        QTemporaryDir tmp;
        const QString path = tmp.path() + "/empty.safetensors";
        writeFile(path, "");
        message = errorOf([&] { SafetensorsFile::open(path.toStdString()); }, &code);
        QCOMPARE(code, EngineError::Code::BadFile);
        QVERIFY2(message.startsWith(path + ": too short"), qPrintable(message));
        writeSafetensors((tmp.path() + "/ok.safetensors").toStdString(), {{"a", at::ones({1})}});
        const auto file = SafetensorsFile::open((tmp.path() + "/ok.safetensors").toStdString());
        message = errorOf([&] { file->tensor("b"); }, &code);
        QCOMPARE(code, EngineError::Code::MissingWeight);
        QVERIFY2(message.contains("\"b\"") && message.contains("ok.safetensors"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "TestSafetensors.moc"
