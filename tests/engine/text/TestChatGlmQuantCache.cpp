// Issue 16, "int8 lower still": the quantized text encoder written once to a cache file and memory-mapped from it
// gives exactly the embeddings of quantizing in memory; a cache of other weights, a corrupt one, an unwritable
// folder and a cancelled load are each handled without a wrong result or a stray file.

#include "GoldenFixture.h"

#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"
#include "engine/text/ChatGlmEncoder.h"
#include "engine/text/ChatGlmQuantCache.h"
#include "engine/text/ChatGlmTokenizer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace studio::engine;

namespace {

std::string teConfig()
{
    return golden::kolorsPath("text_encoder/config.json");
}

std::string teWeights()
{
    return golden::kolorsPath("text_encoder/model.safetensors");
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden);
}

} // namespace

class TestChatGlmQuantCache : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<ChatGlmTokenizer> m_tokenizer;

    std::vector<TokenizedPrompt> prompts() const
    {
        std::vector<TokenizedPrompt> batch;
        for (const QJsonValue &c : golden::cases()["text_encoder"].toArray())
            for (const std::string &prompt : golden::strings(c.toObject()["prompt"]))
                batch.push_back(m_tokenizer->encode(prompt));
        return batch;
    }

    std::unique_ptr<ChatGlmEncoder> load(const std::string &weights, int bits, const std::string &cacheDir,
                                         const std::function<bool()> &cancelled = {}) const
    {
        return ChatGlmEncoder::load(teConfig(), weights, at::kFloat, at::kCPU, QuantizationChoice(bits, cacheDir),
                                    cancelled);
    }

    static bool sameEmbeddings(const PromptEmbeddings &a, const PromptEmbeddings &b)
    {
        return at::equal(a.promptEmbeds, b.promptEmbeds) && at::equal(a.pooled, b.pooled);
    }

private Q_SLOTS:
    void initTestCase() { m_tokenizer = ChatGlmTokenizer::load(golden::kolorsPath("tokenizer/tokenizer.model")); }

    void writtenOnceThenMapped()
    {
        QTemporaryDir cache;
        for (const int bits : {8, 4}) {
            const PromptEmbeddings inMemory = load(teWeights(), bits, {})->encode(prompts());
            const auto first = load(teWeights(), bits, cache.path().toStdString());
            QCOMPARE(int(first->quantCache().use), int(QuantCacheUse::Written));
            QVERIFY(QFile::exists(QString::fromStdString(first->quantCache().path)));
            QVERIFY(sameEmbeddings(first->encode(prompts()), inMemory));
            // The file holds the integers and scales of every block Linear, as ChatGLM3's quantize() makes them.
            const auto file = SafetensorsFile::open(first->quantCache().path);
            QCOMPARE(file->metadata().at("bits"), std::to_string(bits));
            const SafetensorsEntry *qkv = file->find("encoder.layers.0.self_attention.query_key_value.values");
            QVERIFY(qkv);
            QCOMPARE(qkv->dtype, bits == 8 ? at::kChar : at::kByte);

            const auto modified = std::filesystem::last_write_time(first->quantCache().path);
            const auto second = load(teWeights(), bits, cache.path().toStdString());
            QCOMPARE(int(second->quantCache().use), int(QuantCacheUse::Mapped));
            QCOMPARE(second->quantCache().path, first->quantCache().path);
            QCOMPARE(std::filesystem::last_write_time(second->quantCache().path), modified);
            QVERIFY(sameEmbeddings(second->encode(prompts()), inMemory));
            QVERIFY(sameEmbeddings(second->encode(prompts()), inMemory)); // after its pages were given back
        }
        QCOMPARE(filesIn(cache.path()).size(), 2); // one file per bit width, no temporaries left
    }

    void changedWeightsOrCorruptCacheAreRewritten()
    {
        QTemporaryDir model, cache;
        const QString weights = model.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(QFile::copy(QString::fromStdString(teWeights()), weights));
        const PromptEmbeddings expected = load(teWeights(), 8, {})->encode(prompts());
        const std::string path = load(weights.toStdString(), 8, cache.path().toStdString())->quantCache().path;

        // The model was replaced in place (same path, newer file): its old quantization must not be used.
        const std::string file = weights.toStdString();
        std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(5));
        auto encoder = load(weights.toStdString(), 8, cache.path().toStdString());
        QCOMPARE(int(encoder->quantCache().use), int(QuantCacheUse::Written));
        QCOMPARE(encoder->quantCache().path, path);
        encoder.reset();

        // A truncated or foreign file under the cache's name.
        for (const QByteArray &junk : {QByteArray("not a safetensors file"), QByteArray(8, '\xff')}) {
            QFile file(QString::fromStdString(path));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(junk);
            file.close();
            encoder = load(weights.toStdString(), 8, cache.path().toStdString());
            QCOMPARE(int(encoder->quantCache().use), int(QuantCacheUse::Written));
            QVERIFY(sameEmbeddings(encoder->encode(prompts()), expected));
        }
    }

    // A folder that cannot be made (a file stands in its way): the encoder still loads, quantized in memory, and
    // says why the cache was not used.
    void unwritableFolderFallsBackToMemory()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const auto encoder = load(teWeights(), 8, dir.filePath(QStringLiteral("file/cache")).toStdString());
        QCOMPARE(int(encoder->quantCache().use), int(QuantCacheUse::Fallback));
        QVERIFY(!encoder->quantCache().problem.empty());
        QVERIFY(sameEmbeddings(encoder->encode(prompts()), load(teWeights(), 8, {})->encode(prompts())));
    }

    void cancellingWhileWritingLeavesNoFile()
    {
        QTemporaryDir cache;
        int loadingPolls = 0; // how often reading the weights alone asks
        load(teWeights(), 4, {}, [&loadingPolls] { return ++loadingPolls < 0; });
        int polls = 0;
        const int cancelAt = loadingPolls + 2; // two layers into writing the cache
        try {
            load(teWeights(), 4, cache.path().toStdString(), [&] { return ++polls >= cancelAt; });
            QFAIL("the load was not cancelled");
        } catch (const EngineError &error) {
            QCOMPARE(int(error.code()), int(EngineError::Code::Cancelled));
        }
        QCOMPARE(polls, cancelAt);
        QVERIFY(filesIn(cache.path()).isEmpty());
    }

    void oneFilePerModelFolder()
    {
        QTemporaryDir a, b;
        QVERIFY(QFile::copy(QString::fromStdString(teWeights()), a.filePath(QStringLiteral("model.safetensors"))));
        QVERIFY(QFile::copy(QString::fromStdString(teWeights()), b.filePath(QStringLiteral("model.safetensors"))));
        const TensorStore first = TensorStore::open(a.filePath(QStringLiteral("model.safetensors")).toStdString());
        const TensorStore second = TensorStore::open(b.filePath(QStringLiteral("model.safetensors")).toStdString());
        QCOMPARE(quantCachePath("/cache", first, 8), quantCachePath("/cache", first, 8));
        QVERIFY(quantCachePath("/cache", first, 8) != quantCachePath("/cache", second, 8));
        QVERIFY(quantCachePath("/cache", first, 8) != quantCachePath("/cache", first, 4));
    }
};

QTEST_GUILESS_MAIN(TestChatGlmQuantCache)
#include "TestChatGlmQuantCache.moc"
