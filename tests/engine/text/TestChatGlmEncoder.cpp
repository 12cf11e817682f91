#include "GoldenFixture.h"

#include "engine/common/EngineError.h"
#include "engine/io/TensorStore.h"
#include "engine/text/ChatGlmEncoder.h"
#include "engine/text/ChatGlmModel.h"
#include "engine/text/ChatGlmRotary.h"
#include "engine/text/ChatGlmTokenizer.h"

#include <ATen/core/Dict.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/jit/serialization/pickle.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace studio::engine;

namespace {

std::vector<std::string> promptsOf(const QJsonValue &value, size_t count)
{
    // A null negative prompt is encoded as "" (force_zeros_for_empty_prompt is false).
    std::vector<std::string> out = golden::strings(value);
    if (out.empty())
        out.assign(count, std::string());
    return out;
}

std::string teConfig()
{
    return golden::kolorsPath("text_encoder/config.json");
}
std::string teWeights()
{
    return golden::kolorsPath("text_encoder/model.safetensors");
}

void writeText(const QString &path, const std::string &text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

// The golden text encoder as transformers' save_pretrained() writes it: no "transformer." prefix, sharded into
// `shards` files with model.safetensors.index.json. Returns the index path.
QString writeShardedCopy(const QString &dir, int shards)
{
    const TensorStore original = TensorStore::open(teWeights());
    const std::vector<std::string> names = original.names();
    nlohmann::json weightMap = nlohmann::json::object();
    std::vector<std::vector<std::pair<std::string, at::Tensor>>> parts(shards);
    for (size_t i = 0; i < names.size(); ++i) {
        const std::string stripped = names[i].substr(std::string("transformer.").size());
        const int shard = int(i * shards / names.size());
        parts[shard].emplace_back(stripped, original.get(names[i]));
        weightMap[stripped] = QString("model-%1-of-%2.safetensors")
                                  .arg(shard + 1, 5, 10, QChar('0'))
                                  .arg(shards, 5, 10, QChar('0'))
                                  .toStdString();
    }
    for (int s = 0; s < shards; ++s)
        writeSafetensors(
            (dir + "/" + QString::fromStdString(weightMap[parts[s].front().first].get<std::string>())).toStdString(),
            parts[s]);
    const QString index = dir + "/model.safetensors.index.json";
    writeText(index, nlohmann::json{{"metadata", {{"total_size", 0}}}, {"weight_map", weightMap}}.dump(2));
    return index;
}

} // namespace

class TestChatGlmEncoder : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<ChatGlmTokenizer> m_tokenizer;
    std::unique_ptr<ChatGlmEncoder> m_encoder;

    std::vector<TokenizedPrompt> tokenize(const std::vector<std::string> &prompts) const
    {
        std::vector<TokenizedPrompt> batch;
        for (const std::string &p : prompts)
            batch.push_back(m_tokenizer->encode(p));
        return batch;
    }

    static void compare(const at::Tensor &actual, const QString &name)
    {
        const at::Tensor reference = golden::tensor(name);
        QVERIFY2(actual.sizes() == reference.sizes(), qPrintable(name));
        double diff = 0, limit = 0;
        const bool ok = golden::closeEnough(actual, reference, &diff, &limit);
        qInfo("%s: max abs diff %.3g (limit %.3g)", qPrintable(name), diff, limit);
        QVERIFY2(ok, qPrintable(QString("%1: max abs diff %2 > %3").arg(name).arg(diff).arg(limit)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_tokenizer = ChatGlmTokenizer::load(golden::kolorsPath("tokenizer/tokenizer.model"));
        m_encoder = ChatGlmEncoder::load(teConfig(), teWeights(), at::kFloat, at::kCPU);
    }

    void configIsRead()
    {
        const ChatGlmConfig &c = m_encoder->config();
        QCOMPARE(c.numLayers, int64_t(3));
        QCOMPARE(c.hiddenSize, int64_t(64));
        QCOMPARE(c.numHeads, int64_t(4));
        QCOMPARE(c.kvChannels, int64_t(16));
        QCOMPARE(c.kvGroups, int64_t(2));
        QCOMPARE(c.ffnHiddenSize, int64_t(128));
        QCOMPARE(c.vocabSize, int64_t(1536));
        QCOMPARE(c.qkvSize(), int64_t(128));
        QCOMPARE(c.rotaryFrequencies(), int64_t(4));
        QCOMPARE(m_encoder->hiddenSize(), int64_t(64));
    }

    void goldenCases_data()
    {
        QTest::addColumn<int>("index");
        const QJsonArray cases = golden::cases()["text_encoder"].toArray();
        QVERIFY(cases.size() >= 5);
        for (int i = 0; i < cases.size(); ++i)
            QTest::newRow(qPrintable(cases[i].toObject()["id"].toString())) << i;
    }
    void goldenCases()
    {
        QFETCH(int, index);
        const QJsonObject c = golden::cases()["text_encoder"].toArray()[index].toObject();
        const QJsonObject outputs = c["outputs"].toObject();
        const std::vector<std::string> prompts = promptsOf(c["prompt"], 1);
        const std::vector<std::string> negatives = promptsOf(c["negative_prompt"], prompts.size());

        const PromptEmbeddings positive = m_encoder->encode(tokenize(prompts));
        QCOMPARE(positive.promptEmbeds.scalar_type(), at::kFloat);
        compare(positive.promptEmbeds, outputs["prompt_embeds"].toString());
        compare(positive.pooled, outputs["pooled_prompt_embeds"].toString());
        const PromptEmbeddings negative = m_encoder->encode(tokenize(negatives));
        compare(negative.promptEmbeds, outputs["negative_prompt_embeds"].toString());
        compare(negative.pooled, outputs["negative_pooled_prompt_embeds"].toString());
    }

    void hiddenStatesLayerByLayer()
    {
        const QJsonObject debug = golden::cases()["text_encoder_debug"].toObject();
        const std::vector<at::Tensor> states =
            m_encoder->hiddenStates(tokenize({debug["prompt"].toString().toStdString()}));
        const at::Tensor reference = golden::tensor(debug["outputs"].toObject()["hidden_states"].toString());
        QCOMPARE(int64_t(states.size()), reference.size(0));
        for (size_t i = 0; i < states.size(); ++i) {
            double diff = 0, limit = 0;
            const bool ok = golden::closeEnough(states[i], reference[int64_t(i)], &diff, &limit);
            QVERIFY2(ok, qPrintable(QString("hidden state %1: max abs diff %2 > %3").arg(i).arg(diff).arg(limit)));
        }
    }

    void paddingMaskRules()
    {
        // Two padded positions, then three real ones.
        const at::Tensor mask = at::tensor(std::vector<int64_t>{0, 0, 1, 1, 1}).view({1, 5});
        const at::Tensor masked = ChatGlmModel::paddingMask(mask)[0][0];
        for (int q = 0; q < 5; ++q) {
            for (int k = 0; k < 5; ++k) {
                const bool expected = q < 2 ? false : (k < 2 || k > q);
                QCOMPARE(masked[q][k].item<bool>(), expected);
            }
        }
        // No padding: plain causal.
        const at::Tensor causal = ChatGlmModel::paddingMask(at::ones({1, 4}, at::kLong))[0][0];
        QVERIFY(at::equal(causal, at::ones({4, 4}, at::kBool).triu(1)));
    }

    void shardedWithoutPrefixGivesIdenticalEmbeddings()
    {
        QTemporaryDir tmp;
        const QString index = writeShardedCopy(tmp.path(), 3);
        const auto sharded = ChatGlmEncoder::load(teConfig(), index.toStdString(), at::kFloat, at::kCPU);
        const std::vector<TokenizedPrompt> batch = tokenize({"一只戴眼镜的橘猫", "a tiny dragon"});
        const PromptEmbeddings a = m_encoder->encode(batch);
        const PromptEmbeddings b = sharded->encode(batch);
        QVERIFY(at::equal(a.promptEmbeds, b.promptEmbeds));
        QVERIFY(at::equal(a.pooled, b.pooled));
    }

    void pickleShardsGiveIdenticalEmbeddings()
    {
        // Like the original Kolors text_encoder/: pytorch_model-0000i-of-0000n.bin (torch.save zips) with the
        // "transformer." prefix and pytorch_model.bin.index.json.
        QTemporaryDir tmp;
        const TensorStore original = TensorStore::open(teWeights());
        const std::vector<std::string> names = original.names();
        nlohmann::json weightMap = nlohmann::json::object();
        c10::Dict<std::string, at::Tensor> shards[2];
        for (size_t i = 0; i < names.size(); ++i) {
            const int shard = i < names.size() / 2 ? 0 : 1;
            shards[shard].insert(names[i], original.get(names[i]).clone());
            weightMap[names[i]] = "pytorch_model-0000" + std::to_string(shard + 1) + "-of-00002.bin";
        }
        for (int s = 0; s < 2; ++s) {
            const std::vector<char> bytes = torch::jit::pickle_save(shards[s]);
            std::ofstream(tmp.filePath(QString("pytorch_model-0000%1-of-00002.bin").arg(s + 1)).toStdString(),
                          std::ios::binary)
                .write(bytes.data(), std::streamsize(bytes.size()));
        }
        const QString index = tmp.path() + "/pytorch_model.bin.index.json";
        writeText(index, nlohmann::json{{"weight_map", weightMap}}.dump());
        const auto pickled = ChatGlmEncoder::load(teConfig(), index.toStdString(), at::kFloat, at::kCPU);
        const std::vector<TokenizedPrompt> batch = tokenize({"第3格：superhero 飞过城市上空"});
        QVERIFY(at::equal(m_encoder->encode(batch).promptEmbeds, pickled->encode(batch).promptEmbeds));
        QVERIFY(at::equal(m_encoder->encode(batch).pooled, pickled->encode(batch).pooled));
    }

    void missingTensorIsNamed()
    {
        QTemporaryDir tmp;
        const TensorStore original = TensorStore::open(teWeights());
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const std::string &name : original.names())
            if (name != "transformer.encoder.layers.1.mlp.dense_4h_to_h.weight")
                tensors.emplace_back(name, original.get(name));
        const QString path = tmp.path() + "/model.safetensors";
        writeSafetensors(path.toStdString(), tensors);
        try {
            ChatGlmEncoder::load(teConfig(), path.toStdString(), at::kFloat, at::kCPU);
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::MissingWeight);
            QVERIFY2(QString(e.what()).contains("\"encoder.layers.1.mlp.dense_4h_to_h.weight\""), e.what());
            QVERIFY2(QString(e.what()).contains(path), e.what()); // the full path of the checkpoint
            QVERIFY2(QString(e.what()).startsWith("text encoder: "), e.what());
        }
    }

    void storedRotaryFrequenciesMustMatchTheConfig()
    {
        QTemporaryDir tmp;
        const TensorStore original = TensorStore::open(teWeights());
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const std::string &name : original.names())
            tensors.emplace_back(name,
                                 name == "transformer.rotary_pos_emb.inv_freq" ? at::ones({3}) : original.get(name));
        const QString path = tmp.path() + "/model.safetensors";
        writeSafetensors(path.toStdString(), tensors);
        try {
            ChatGlmEncoder::load(teConfig(), path.toStdString(), at::kFloat, at::kCPU);
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::BadConfig);
            QVERIFY2(QString(e.what()).contains("\"rotary_pos_emb.inv_freq\"") && QString(e.what()).contains(path),
                     e.what());
        }
    }

    void configErrorsAreNamed()
    {
        QTemporaryDir tmp;
        const QString path = tmp.path() + "/config.json";
        writeText(path, R"({"num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "ffn_hidden_size": 8})");
        try {
            ChatGlmConfig::fromFile(path.toStdString());
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::BadConfig);
            QVERIFY2(QString(e.what()).contains("padded_vocab_size") || QString(e.what()).contains("vocab_size"),
                     e.what());
        }
        writeText(path, R"({"num_layers": 2, "hidden_size": 64, "num_attention_heads": 3, "ffn_hidden_size": 8,
                  "padded_vocab_size": 10, "multi_query_attention": true, "multi_query_group_num": 2})");
        QVERIFY_THROWS_EXCEPTION(EngineError, ChatGlmConfig::fromFile(path.toStdString()));
        writeText(path, R"({"num_layers": -1, "hidden_size": 64, "num_attention_heads": 4, "ffn_hidden_size": 8,
                  "padded_vocab_size": 10})");
        QVERIFY_THROWS_EXCEPTION(EngineError, ChatGlmConfig::fromFile(path.toStdString()));
    }

    void badBatches()
    {
        QVERIFY_THROWS_EXCEPTION(EngineError, m_encoder->encode({}));
        std::vector<TokenizedPrompt> mixed = {m_tokenizer->encode("a", 256), m_tokenizer->encode("a", 8)};
        QVERIFY_THROWS_EXCEPTION(EngineError, m_encoder->encode(mixed));
        TokenizedPrompt outside = m_tokenizer->encode("a", 8);
        outside.inputIds.back() = m_encoder->config().vocabSize;
        QVERIFY_THROWS_EXCEPTION(EngineError, m_encoder->encode({outside}));
    }

    void rotaryLeavesTheTailAlone()
    {
        // kv_channels 12 (the hidden fixtures' "rotary dim 6"): 3 frequencies, dims 0..5 rotate, 6..11 do not.
        ChatGlmConfig config;
        config.kvChannels = 12;
        QCOMPARE(config.rotaryFrequencies(), int64_t(3));
        const at::Tensor positions = at::arange(5, at::kLong).view({1, 5});
        const at::Tensor cache = chatGlmRotaryCache(positions, config, at::kFloat);
        QCOMPARE(cache.sizes(), (c10::IntArrayRef{1, 5, 3, 2}));
        const at::Tensor x = at::randn({1, 5, 2, 12});
        const at::Tensor y = applyChatGlmRotary(x, cache);
        QVERIFY(at::equal(y.narrow(-1, 6, 6), x.narrow(-1, 6, 6)));
        for (int pos = 0; pos < 5; ++pos) {
            for (int i = 0; i < 3; ++i) {
                const double angle = pos * std::pow(10000.0, -2.0 * i / 6.0);
                const double x0 = x[0][pos][1][2 * i].item<double>(), x1 = x[0][pos][1][2 * i + 1].item<double>();
                QVERIFY(std::abs(y[0][pos][1][2 * i].item<double>() - (x0 * std::cos(angle) - x1 * std::sin(angle))) <
                        1e-4);
                QVERIFY(std::abs(y[0][pos][1][2 * i + 1].item<double>() -
                                 (x1 * std::cos(angle) + x0 * std::sin(angle))) < 1e-4);
            }
        }
    }

    void otherSizesLoadAndRun()
    {
        // Sizes the visible fixture does not have (projection != hidden, 3 KV groups, kv_channels 12), stored the
        // way the hidden fixture is: sharded, no prefix. No reference values exist, so check shapes, finiteness,
        // padding independence of real rows' outputs and batch consistency.
        QTemporaryDir tmp;
        const int64_t layers = 2, hidden = 40, heads = 6, kv = 12, groups = 3, ffn = 24, vocab = 1600;
        writeText(tmp.path() + "/config.json", nlohmann::json{{"num_layers", layers},
                                                              {"hidden_size", hidden},
                                                              {"num_attention_heads", heads},
                                                              {"kv_channels", kv},
                                                              {"multi_query_attention", true},
                                                              {"multi_query_group_num", groups},
                                                              {"ffn_hidden_size", ffn},
                                                              {"padded_vocab_size", vocab},
                                                              {"add_qkv_bias", true},
                                                              {"add_bias_linear", false},
                                                              {"layernorm_epsilon", 1e-5},
                                                              {"rmsnorm", true}}
                                                   .dump());
        at::manual_seed(7);
        std::vector<std::pair<std::string, at::Tensor>> weights = {
            {"embedding.word_embeddings.weight", at::randn({vocab, hidden})},
            {"encoder.final_layernorm.weight", at::ones({hidden})},
            {"output_layer.weight", at::randn({vocab, hidden})}};
        for (int64_t l = 0; l < layers; ++l) {
            const std::string p = "encoder.layers." + std::to_string(l) + ".";
            weights.emplace_back(p + "input_layernorm.weight", 1 + 0.1 * at::randn({hidden}));
            weights.emplace_back(p + "post_attention_layernorm.weight", 1 + 0.1 * at::randn({hidden}));
            weights.emplace_back(p + "self_attention.query_key_value.weight",
                                 0.2 * at::randn({heads * kv + 2 * groups * kv, hidden}));
            weights.emplace_back(p + "self_attention.query_key_value.bias",
                                 0.1 * at::randn({heads * kv + 2 * groups * kv}));
            weights.emplace_back(p + "self_attention.dense.weight", 0.2 * at::randn({hidden, heads * kv}));
            weights.emplace_back(p + "mlp.dense_h_to_4h.weight", 0.2 * at::randn({2 * ffn, hidden}));
            weights.emplace_back(p + "mlp.dense_4h_to_h.weight", 0.2 * at::randn({hidden, ffn}));
        }
        nlohmann::json map = nlohmann::json::object();
        std::vector<std::pair<std::string, at::Tensor>> shard[2];
        for (size_t i = 0; i < weights.size(); ++i) {
            shard[i % 2].push_back(weights[i]);
            map[weights[i].first] = "model-0000" + std::to_string(i % 2 + 1) + "-of-00002.safetensors";
        }
        writeSafetensors((tmp.path() + "/model-00001-of-00002.safetensors").toStdString(), shard[0]);
        writeSafetensors((tmp.path() + "/model-00002-of-00002.safetensors").toStdString(), shard[1]);
        writeText(tmp.path() + "/model.safetensors.index.json", nlohmann::json{{"weight_map", map}}.dump());
        const auto encoder =
            ChatGlmEncoder::load((tmp.path() + "/config.json").toStdString(),
                                 (tmp.path() + "/model.safetensors.index.json").toStdString(), at::kFloat, at::kCPU);
        const std::vector<TokenizedPrompt> both = tokenize({"一只戴眼镜的橘猫", "a tiny dragon flying over the city"});
        const PromptEmbeddings together = encoder->encode(both);
        QCOMPARE(together.promptEmbeds.sizes(), (c10::IntArrayRef{2, 256, hidden}));
        QCOMPARE(together.pooled.sizes(), (c10::IntArrayRef{2, hidden}));
        QVERIFY(at::isfinite(together.promptEmbeds).all().item<bool>());
        for (int64_t row = 0; row < 2; ++row) {
            const PromptEmbeddings alone = encoder->encode({both[size_t(row)]});
            QVERIFY(at::allclose(alone.promptEmbeds[0], together.promptEmbeds[row], 1e-5, 1e-5));
            QVERIFY(at::allclose(alone.pooled[0], together.pooled[row], 1e-5, 1e-5));
        }
        // Real tokens attend only to real tokens: a shorter padding (maxLength 64) leaves their outputs unchanged.
        const TokenizedPrompt shortPad = m_tokenizer->encode("一只戴眼镜的橘猫", 64);
        const at::Tensor shortStates = encoder->encode({shortPad}).promptEmbeds[0];
        const int64_t real = shortPad.realTokens;
        QVERIFY(at::allclose(shortStates.narrow(0, 64 - real, real),
                             together.promptEmbeds[0].narrow(0, 256 - real, real), 1e-5, 1e-5));
    }

    void float16NeedsCuda()
    {
        try {
            ChatGlmEncoder::load(teConfig(), teWeights(), at::kHalf, at::kCPU);
            QFAIL("no error");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::BadArgument);
        }
    }

    void halfPrecisionRunsOnCpuWhenAsked()
    {
        // fp16/bf16 are meant for CUDA; on the CPU they must at least load and give finite values of that dtype.
        const auto encoder = ChatGlmEncoder::load(teConfig(), teWeights(), at::kBFloat16, at::kCPU);
        const PromptEmbeddings e = encoder->encode(tokenize({"a cat"}));
        QCOMPARE(e.promptEmbeds.scalar_type(), at::kBFloat16);
        QVERIFY(at::isfinite(e.promptEmbeds).all().item<bool>());
        const PromptEmbeddings reference = m_encoder->encode(tokenize({"a cat"}));
        const double diff = (e.promptEmbeds.to(at::kFloat) - reference.promptEmbeds).abs().max().item<double>();
        QVERIFY2(diff < 0.1 * std::max(1.0, reference.promptEmbeds.abs().max().item<double>()),
                 qPrintable(QString::number(diff)));
    }
};

QTEST_GUILESS_MAIN(TestChatGlmEncoder)
#include "TestChatGlmEncoder.moc"
