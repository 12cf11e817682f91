#include "engine/common/EngineError.h"
#include "engine/io/ModelFolder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace studio::engine;

namespace {

// Creates an (empty) file, making its folders; locateKolorsModel only looks at names.
void touch(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
}

std::string str(const QString &path)
{
    return QDir::cleanPath(path).toStdString();
}

// The HF Kwai-Kolors layout: text encoder as 7 pickle shards, tokenizer next to it, fp16 UNet.
void makeKolorsHf(const QString &root)
{
    touch(root + "/model_index.json");
    touch(root + "/scheduler/scheduler_config.json");
    touch(root + "/text_encoder/config.json");
    touch(root + "/text_encoder/pytorch_model.bin.index.json");
    for (int i = 1; i <= 7; ++i)
        touch(root + QString("/text_encoder/pytorch_model-%1-of-00007.bin").arg(i, 5, 10, QChar('0')));
    touch(root + "/text_encoder/tokenizer.model");
    touch(root + "/unet/config.json");
    touch(root + "/unet/diffusion_pytorch_model.fp16.safetensors");
    touch(root + "/vae/config.json");
    touch(root + "/vae/diffusion_pytorch_model.fp16.safetensors");
}

// DiffSynth-Studio: <repo>/models/kolors/Kolors with weights only; the tokenizer lives in the Python package.
void makeDiffSynth(const QString &repo, bool withTokenizer = true)
{
    const QString root = repo + "/models/kolors/Kolors";
    touch(root + "/text_encoder/config.json");
    touch(root + "/text_encoder/pytorch_model.bin.index.json");
    touch(root + "/text_encoder/pytorch_model-00001-of-00007.bin");
    touch(root + "/unet/diffusion_pytorch_model.safetensors");
    touch(root + "/vae/diffusion_pytorch_model.safetensors");
    if (withTokenizer)
        touch(repo + "/diffsynth/tokenizer_configs/kolors/tokenizer/tokenizer.model");
}

QString missingMessage(const QString &dir)
{
    try {
        locateKolorsModel(dir.toStdString());
    } catch (const EngineError &error) {
        if (error.code() != EngineError::Code::MissingFile)
            return QStringLiteral("wrong code: ") + error.codeName();
        return QString::fromStdString(error.what());
    }
    return QStringLiteral("no error");
}

} // namespace

class TestModelFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenFixtureIsKolorsDiffusers()
    {
        const QString root = QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny");
        const KolorsModelPaths paths = locateKolorsModel(root.toStdString());
        QCOMPARE(paths.layout, std::string("kolors-diffusers"));
        QCOMPARE(paths.root, str(root));
        QCOMPARE(paths.tokenizerModel, str(root + "/tokenizer/tokenizer.model"));
        QCOMPARE(paths.textEncoderConfig, str(root + "/text_encoder/config.json"));
        QCOMPARE(paths.textEncoderWeights, str(root + "/text_encoder/model.safetensors"));
        QCOMPARE(paths.unetConfig, str(root + "/unet/config.json"));
        QCOMPARE(paths.unetWeights, str(root + "/unet/diffusion_pytorch_model.safetensors"));
        QCOMPARE(paths.vaeConfig, str(root + "/vae/config.json"));
        QCOMPARE(paths.vaeWeights, str(root + "/vae/diffusion_pytorch_model.safetensors"));
        QCOMPARE(paths.schedulerConfig, str(root + "/scheduler/scheduler_config.json"));
    }

    void hfLayoutWithPickleShardsAndFp16()
    {
        QTemporaryDir tmp;
        makeKolorsHf(tmp.path());
        const KolorsModelPaths paths = locateKolorsModel(tmp.path().toStdString());
        QCOMPARE(paths.layout, std::string("kolors-diffusers"));
        QCOMPARE(paths.textEncoderWeights, str(tmp.path() + "/text_encoder/pytorch_model.bin.index.json"));
        QCOMPARE(paths.tokenizerModel, str(tmp.path() + "/text_encoder/tokenizer.model"));
        QCOMPARE(paths.unetWeights, str(tmp.path() + "/unet/diffusion_pytorch_model.fp16.safetensors"));
        QCOMPARE(paths.vaeWeights, str(tmp.path() + "/vae/diffusion_pytorch_model.fp16.safetensors"));
    }

    void preferenceOrder()
    {
        QTemporaryDir tmp;
        makeKolorsHf(tmp.path());
        // The tokenizer/ folder wins over text_encoder/; full precision wins over the fp16 variant;
        // safetensors win over pickles; a sharded index wins over a single file.
        touch(tmp.path() + "/tokenizer/tokenizer.model");
        touch(tmp.path() + "/unet/diffusion_pytorch_model.safetensors");
        touch(tmp.path() + "/text_encoder/model.fp16.safetensors");
        KolorsModelPaths paths = locateKolorsModel(tmp.path().toStdString());
        QCOMPARE(paths.tokenizerModel, str(tmp.path() + "/tokenizer/tokenizer.model"));
        QCOMPARE(paths.unetWeights, str(tmp.path() + "/unet/diffusion_pytorch_model.safetensors"));
        QCOMPARE(paths.textEncoderWeights, str(tmp.path() + "/text_encoder/model.fp16.safetensors"));
        touch(tmp.path() + "/text_encoder/model.safetensors.index.fp16.json");
        paths = locateKolorsModel(tmp.path().toStdString());
        QCOMPARE(paths.textEncoderWeights, str(tmp.path() + "/text_encoder/model.safetensors.index.fp16.json"));
        touch(tmp.path() + "/text_encoder/model.safetensors");
        paths = locateKolorsModel(tmp.path().toStdString());
        QCOMPARE(paths.textEncoderWeights, str(tmp.path() + "/text_encoder/model.safetensors"));
        touch(tmp.path() + "/text_encoder/model.safetensors.index.json");
        paths = locateKolorsModel(tmp.path().toStdString());
        QCOMPARE(paths.textEncoderWeights, str(tmp.path() + "/text_encoder/model.safetensors.index.json"));
    }

    void diffSynthLayout_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("models") << "models";
        QTest::newRow("models/kolors") << "models/kolors";
        QTest::newRow("models/kolors/Kolors") << "models/kolors/Kolors";
    }
    void diffSynthLayout()
    {
        QFETCH(QString, relative);
        QTemporaryDir tmp;
        makeDiffSynth(tmp.path());
        const QString root = tmp.path() + "/models/kolors/Kolors";
        const KolorsModelPaths paths = locateKolorsModel((tmp.path() + "/" + relative).toStdString());
        QCOMPARE(paths.layout, std::string("diffsynth"));
        QCOMPARE(paths.root, str(root));
        QCOMPARE(paths.textEncoderConfig, str(root + "/text_encoder/config.json"));
        QCOMPARE(paths.textEncoderWeights, str(root + "/text_encoder/pytorch_model.bin.index.json"));
        QCOMPARE(paths.tokenizerModel,
                 str(tmp.path() + "/diffsynth/tokenizer_configs/kolors/tokenizer/tokenizer.model"));
        QCOMPARE(paths.unetWeights, str(root + "/unet/diffusion_pytorch_model.safetensors"));
        QCOMPARE(paths.vaeWeights, str(root + "/vae/diffusion_pytorch_model.safetensors"));
        // Not part of DiffSynth's download: left empty for the built-in Kolors values.
        QVERIFY(paths.unetConfig.empty());
        QVERIFY(paths.vaeConfig.empty());
        QVERIFY(paths.schedulerConfig.empty());
    }

    void missingFilesAreNamed_data()
    {
        QTest::addColumn<QString>("remove");
        QTest::addColumn<QString>("expected"); // "missing file: <tmp>/..." prefix of the message
        QTest::newRow("scheduler") << "scheduler/scheduler_config.json"
                                   << "scheduler/scheduler_config.json";
        QTest::newRow("te config") << "text_encoder/config.json"
                                   << "text_encoder/config.json";
        QTest::newRow("unet config") << "unet/config.json"
                                     << "unet/config.json";
        QTest::newRow("vae config") << "vae/config.json"
                                    << "vae/config.json";
        QTest::newRow("te weights") << "text_encoder/pytorch_model.bin.index.json"
                                    << "text_encoder/model.safetensors";
        QTest::newRow("unet weights") << "unet/diffusion_pytorch_model.fp16.safetensors"
                                      << "unet/diffusion_pytorch_model.safetensors";
        QTest::newRow("vae weights") << "vae/diffusion_pytorch_model.fp16.safetensors"
                                     << "vae/diffusion_pytorch_model.safetensors";
        QTest::newRow("tokenizer") << "text_encoder/tokenizer.model"
                                   << "tokenizer/tokenizer.model";
    }
    void missingFilesAreNamed()
    {
        QFETCH(QString, remove);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        makeKolorsHf(tmp.path());
        QVERIFY(QFile::remove(tmp.path() + "/" + remove));
        const QString message = missingMessage(tmp.path());
        QVERIFY2(message.startsWith("missing file: " + tmp.path() + "/" + expected), qPrintable(message));
    }

    void missingWeightMessageListsAlternatives()
    {
        QTemporaryDir tmp;
        makeKolorsHf(tmp.path());
        QVERIFY(QFile::remove(tmp.path() + "/unet/diffusion_pytorch_model.fp16.safetensors"));
        const QString message = missingMessage(tmp.path());
        QVERIFY2(message.contains("diffusion_pytorch_model.fp16.safetensors"), qPrintable(message));
        QVERIFY2(message.contains("diffusion_pytorch_model.safetensors.index.json"), qPrintable(message));
    }

    void diffSynthWithoutTokenizer()
    {
        QTemporaryDir tmp;
        makeDiffSynth(tmp.path(), /*withTokenizer=*/false);
        const QString message = missingMessage(tmp.path() + "/models");
        QVERIFY2(message.startsWith("missing file: " + tmp.path() + "/models/kolors/Kolors/tokenizer/tokenizer.model"),
                 qPrintable(message));
        QVERIFY2(message.contains("diffsynth/tokenizer_configs/kolors/tokenizer/tokenizer.model"), qPrintable(message));
    }

    void notAModelFolder()
    {
        QTemporaryDir tmp;
        touch(tmp.path() + "/readme.txt");
        QString message = missingMessage(tmp.path());
        QVERIFY2(message.startsWith("missing file: " + tmp.path() + "/model_index.json"), qPrintable(message));
        message = missingMessage(tmp.path() + "/does-not-exist");
        QCOMPARE(message, "model folder does not exist: " + tmp.path() + "/does-not-exist");
        message = missingMessage(QString());
        QVERIFY2(message.startsWith("model folder does not exist"), qPrintable(message));
    }

    void tokenizerAloneIsEnoughForTokenCounts()
    {
        QTemporaryDir tmp;
        touch(tmp.path() + "/model_index.json");
        touch(tmp.path() + "/tokenizer/tokenizer.model");
        QCOMPARE(locateKolorsTokenizer(tmp.path().toStdString()), str(tmp.path() + "/tokenizer/tokenizer.model"));
        QVERIFY(missingMessage(tmp.path()).startsWith("missing file: " + tmp.path() + "/text_encoder/config.json"));
    }

    void findWeightFileReturnsEmptyWhenAbsent()
    {
        QTemporaryDir tmp;
        QVERIFY(findWeightFile(tmp.path().toStdString(), "model").empty());
        touch(tmp.path() + "/pytorch_model.fp16.bin");
        QCOMPARE(findWeightFile(tmp.path().toStdString(), "model"), str(tmp.path() + "/pytorch_model.fp16.bin"));
    }
};

QTEST_GUILESS_MAIN(TestModelFolder)
#include "TestModelFolder.moc"
