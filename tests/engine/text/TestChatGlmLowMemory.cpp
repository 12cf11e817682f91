// Issue 16 for the text encoder on the tiny fixture: float16 pickle shards used in place (exact against float32
// weights of the same values), and ChatGLM3's int8/int4 weight quantization with stated bounds on how far the
// prompt embeddings move.

#include "GoldenFixture.h"

#include "engine/common/EngineError.h"
#include "engine/io/TensorStore.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/text/ChatGlmEncoder.h"
#include "engine/text/ChatGlmQuantization.h"
#include "engine/text/ChatGlmTokenizer.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace studio::engine;

namespace {

std::string teConfig()
{
    return golden::kolorsPath("text_encoder/config.json");
}

// The fixture's text encoder converted by `convert`, as Hugging Face ships ChatGLM3: two torch.save shards with
// the "transformer." names plus pytorch_model.bin.index.json. Returns the index path.
std::string writePickleShards(const QString &dir, const std::function<at::Tensor(const at::Tensor &)> &convert)
{
    const TensorStore store = TensorStore::open(golden::kolorsPath("text_encoder/model.safetensors"));
    const std::vector<std::string> names = store.names();
    std::vector<std::pair<std::string, at::Tensor>> parts[2];
    nlohmann::json weightMap = nlohmann::json::object();
    for (size_t i = 0; i < names.size(); ++i) {
        const int shard = i < names.size() / 2 ? 0 : 1;
        parts[shard].emplace_back(names[i], convert(store.get(names[i])));
        weightMap[names[i]] = shard == 0 ? "pytorch_model-00001-of-00002.bin" : "pytorch_model-00002-of-00002.bin";
    }
    writeTorchSave((dir + "/pytorch_model-00001-of-00002.bin").toStdString(), parts[0], "archive", true);
    writeTorchSave((dir + "/pytorch_model-00002-of-00002.bin").toStdString(), parts[1], "archive", true);
    const std::string index = (dir + "/pytorch_model.bin.index.json").toStdString();
    std::ofstream(index) << nlohmann::json{{"metadata", {{"total_size", 0}}}, {"weight_map", weightMap}}.dump();
    return index;
}

struct Drift
{
    double maxAbs = 0, minCosine = 1; // over all tokens of all prompts; cosine per token over the hidden size
};

Drift drift(const at::Tensor &actual, const at::Tensor &reference)
{
    const at::Tensor a = actual.to(at::kDouble), r = reference.to(at::kDouble);
    Drift d;
    d.maxAbs = (a - r).abs().max().item<double>();
    const at::Tensor cos = (a * r).sum(-1) / (a.norm(2, -1) * r.norm(2, -1)).clamp_min(1e-30);
    d.minCosine = cos.min().item<double>();
    return d;
}

} // namespace

class TestChatGlmLowMemory : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<ChatGlmTokenizer> m_tokenizer;

    std::vector<TokenizedPrompt> goldenPrompts() const
    {
        std::vector<TokenizedPrompt> batch;
        for (const QJsonValue &c : golden::cases()["text_encoder"].toArray())
            for (const std::string &prompt : golden::strings(c.toObject()["prompt"]))
                batch.push_back(m_tokenizer->encode(prompt));
        return batch;
    }

    PromptEmbeddings encode(const std::string &weights, int bits) const
    {
        return ChatGlmEncoder::load(teConfig(), weights, at::kFloat, at::kCPU, bits)->encode(goldenPrompts());
    }

private Q_SLOTS:
    void initTestCase() { m_tokenizer = ChatGlmTokenizer::load(golden::kolorsPath("tokenizer/tokenizer.model")); }

    void float16ShardsEqualRoundedFloat32()
    {
        QTemporaryDir half, rounded;
        const std::string halfIndex = writePickleShards(half.path(), [](const at::Tensor &t) { return t.to(at::kHalf); });
        const std::string roundedIndex =
            writePickleShards(rounded.path(), [](const at::Tensor &t) { return t.to(at::kHalf).to(at::kFloat); });
        const auto encoder = ChatGlmEncoder::load(teConfig(), halfIndex, at::kFloat, at::kCPU);
        const PromptEmbeddings first = encoder->encode(goldenPrompts());
        QCOMPARE(first.promptEmbeds.scalar_type(), at::kFloat);
        QVERIFY(at::equal(first.promptEmbeds, encode(roundedIndex, 0).promptEmbeds));
        // Each block's pages were given back after it ran; the second pass reads them from the file again.
        const PromptEmbeddings second = encoder->encode(goldenPrompts());
        QVERIFY(at::equal(first.promptEmbeds, second.promptEmbeds));
        QVERIFY(at::equal(first.pooled, second.pooled));
    }

    // ChatGLM3's layout: per-row absmax scale in float16, int8 values, int4 two per byte (even column high).
    void quantizationScheme()
    {
        const at::Tensor w = at::tensor({0.7f, -0.1f, 0.0f, 0.35f, 0.0f, 0.0f, 0.0f, 0.0f}).reshape({2, 4});
        const QuantizedWeight q4 = quantizeWeight(w, 4);
        QCOMPARE(q4.values.scalar_type(), at::kByte);
        QCOMPARE(q4.values.sizes(), (at::IntArrayRef{2, 2}));
        QCOMPARE(q4.scale.scalar_type(), at::kHalf);
        QCOMPARE(int(q4.values[0][0].item<uint8_t>()), 0x7F); // 7 and -1
        QCOMPARE(int(q4.values[0][1].item<uint8_t>()), 0x04); // 0 and 4 (0.35 / 0.1 = 3.5, rounded to even)
        QCOMPARE(q4.scale[1].item<float>(), 0.0f);            // an all-zero row
        QVERIFY(at::allclose(dequantizeWeight(q4, at::kFloat), w, 0, 0.1 / 2 + 1e-3));

        const QuantizedWeight q8 = quantizeWeight(w, 8);
        QCOMPARE(q8.values.scalar_type(), at::kChar);
        QCOMPARE(int(q8.values[0][0].item<int8_t>()), 127);
        QCOMPARE(int(q8.values[0][1].item<int8_t>()), -18); // -0.1 / (0.7 / 127) = -18.14
        QVERIFY(at::allclose(dequantizeWeight(q8, at::kFloat), w, 0, 0.7 / 127 / 2 + 1e-4));

        // Every byte: its high and low nibbles read back as two's-complement values in [-8, 7].
        QuantizedWeight bytes;
        bytes.bits = 4;
        bytes.inFeatures = 512;
        bytes.values = at::arange(256, at::TensorOptions().dtype(at::kInt)).to(at::kByte).unsqueeze(0);
        bytes.scale = at::ones({1}, at::kHalf);
        const at::Tensor levels = dequantizeWeight(bytes, at::kFloat)[0];
        for (int b = 0; b < 256; ++b) {
            const auto nibble = [](int n) { return n >= 8 ? n - 16 : n; };
            QCOMPARE(levels[2 * b].item<float>(), float(nibble(b >> 4)));
            QCOMPARE(levels[2 * b + 1].item<float>(), float(nibble(b & 0x0F)));
        }

        QVERIFY_EXCEPTION_THROWN(quantizeWeight(w, 3), EngineError);
        QVERIFY_EXCEPTION_THROWN(quantizeWeight(at::ones({2, 3}), 4), EngineError); // odd columns for int4
        QVERIFY_EXCEPTION_THROWN(
            ChatGlmEncoder::load(teConfig(), golden::kolorsPath("text_encoder/model.safetensors"), at::kFloat,
                                 at::kCPU, 2),
            EngineError);
    }

    // The product that dequantizes a few output rows at a time (bounded temporaries) is the whole product.
    void quantizedLinearInChunksIsTheWholeProduct()
    {
        at::manual_seed(3);
        const at::Tensor w = at::randn({10, 6}), bias = at::randn({10}), x = at::randn({2, 3, 6});
        for (int bits : {8, 4}) {
            const QuantizedWeight q = quantizeWeight(w, bits);
            const at::Tensor dequantized = dequantizeWeight(q, at::kFloat);
            QVERIFY(at::allclose(quantizedLinear(x, q, bias, 3), at::linear(x, dequantized, bias), 1e-6, 1e-6));
            QVERIFY(at::allclose(quantizedLinear(x, q, at::Tensor(), 4), at::linear(x, dequantized), 1e-6, 1e-6));
            QCOMPARE(quantizedLinear(x, q, bias, 3).sizes(), (at::IntArrayRef{2, 3, 10}));
        }
    }

    // How far int8 / int4 move the prompt embeddings (hidden_states[-2]) of every golden prompt from float32.
    // Measured on this fixture (hidden size 64, so coarser than at 4096): int8 max abs 0.070 of a 5.7 scale
    // (1.2 %), min cosine per token 0.999894; int4 max abs 1.06 (19 %), min cosine 0.9597. The bounds leave about
    // 2x room on both.
    void quantizedEmbeddingsStayClose()
    {
        const std::string weights = golden::kolorsPath("text_encoder/model.safetensors");
        const PromptEmbeddings reference = encode(weights, 0);
        const double scale = reference.promptEmbeds.abs().max().item<double>();
        const Drift int8 = drift(encode(weights, 8).promptEmbeds, reference.promptEmbeds);
        const Drift int4 = drift(encode(weights, 4).promptEmbeds, reference.promptEmbeds);
        qInfo("embedding scale (max abs) %.4g; int8: max abs %.4g, min cosine per token %.6f; int4: max abs %.4g, "
              "min cosine per token %.6f",
              scale, int8.maxAbs, int8.minCosine, int4.maxAbs, int4.minCosine);
        QVERIFY(int8.maxAbs > 0); // it did quantize
        QVERIFY(int8.maxAbs < int4.maxAbs);
        QVERIFY2(int8.minCosine > kInt8MinCosine && int8.maxAbs < kInt8MaxAbs * scale, "int8 moved too far");
        QVERIFY2(int4.minCosine > kInt4MinCosine && int4.maxAbs < kInt4MaxAbs * scale, "int4 moved too far");
    }

private:
    // Stated bounds (see quantizedEmbeddingsStayClose).
    static constexpr double kInt8MinCosine = 0.9998, kInt8MaxAbs = 0.025; // max abs as a fraction of the scale
    static constexpr double kInt4MinCosine = 0.92, kInt4MaxAbs = 0.4;
};

QTEST_GUILESS_MAIN(TestChatGlmLowMemory)
#include "TestChatGlmLowMemory.moc"
