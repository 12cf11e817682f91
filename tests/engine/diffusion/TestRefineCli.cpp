// The refine contract of `storyboard generate | encode | tokenize` (refine-tiny README) on the built tool: every
// visible img2img, hires fix, weighted-prompt and refusal case, the bit-identical pairs, batch count and the
// parameters written into the PNG.

#include "RefineGolden.h"
#include "StoryboardProcess.h"

#include "engine/io/SafetensorsFile.h"
#include "story/A1111Parameters.h"
#include "story/PngMetadata.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace studio;
using studio_test::storyboard;
using Run = studio_test::CliRun;

using golden::bytesOf;
using golden::latentsOf;

class TestRefineCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // Runs a generate case and compares its latents and PNG with the reference.
    void checkGenerate(const nlohmann::json &c, const std::string &section)
    {
        const QString id = refine::qs(c["id"]);
        const QString png = m_dir.filePath(id + ".png");
        const QString latents = m_dir.filePath(id + ".safetensors");
        QStringList args = refine::cliArgs(c["cli_args"]);
        args << "--out" << png << "--latents-out" << latents;
        const Run run = storyboard(args);
        QVERIFY2(run.exitCode == 0, qPrintable(id + ": " + run.err));
        const auto &outputs = c["outputs"];
        QString why;
        const at::Tensor ref = refine::tensor(outputs["final_latents"]);
        QVERIFY2(refine::within(latentsOf(latents), ref, 1e-4, 0.0, &why), qPrintable(id + " latents: " + why));
        QVERIFY2(refine::imageMatches(refine::pixelsOf(png), refine::tensor(outputs["image_u8"]), &why),
                 qPrintable(id + " image: " + why));
        (void)section;
    }

    QJsonObject ourChunk(const QString &png)
    {
        QString error;
        const auto chunks = story::PngMetadata::readTextChunks(png, &error);
        if (!chunks)
            return {};
        const auto json = story::PngMetadata::find(*chunks, QStringLiteral("storyboard_studio"));
        return json ? QJsonDocument::fromJson(json->toUtf8()).object() : QJsonObject();
    }

    story::A1111Parameters a1111(const QString &png)
    {
        QString error;
        const auto chunks = story::PngMetadata::readTextChunks(png, &error);
        const auto text = chunks ? story::PngMetadata::find(*chunks, QStringLiteral("parameters")) : std::nullopt;
        return text ? story::A1111Parameters::parse(*text) : story::A1111Parameters();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void img2imgMatchesTheReference_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["img2img"].size(); ++i)
            QTest::newRow(refine::cases()["img2img"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void img2imgMatchesTheReference()
    {
        QFETCH(int, index);
        checkGenerate(refine::cases()["img2img"][size_t(index)], "img2img");
    }

    void hiresFixMatchesTheReference_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["hires"].size(); ++i)
            QTest::newRow(refine::cases()["hires"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void hiresFixMatchesTheReference()
    {
        QFETCH(int, index);
        const auto &c = refine::cases()["hires"][size_t(index)];
        checkGenerate(c, "hires");
        const QString png = m_dir.filePath(refine::qs(c["id"]) + ".png");
        QCOMPARE(QImage(png).height(), c["output_hw"][0].get<int>());
        QCOMPARE(QImage(png).width(), c["output_hw"][1].get<int>());
    }

    void weightedGenerateMatchesTheReference()
    {
        for (const auto &c : refine::cases()["generate_weighted"])
            checkGenerate(c, "generate_weighted");
    }

    void encodeWeightsThePrompts_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["encode"].size(); ++i)
            QTest::newRow(refine::cases()["encode"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void encodeWeightsThePrompts()
    {
        QFETCH(int, index);
        const auto &c = refine::cases()["encode"][size_t(index)];
        const QString id = refine::qs(c["id"]);
        const QString file = m_dir.filePath(id + ".safetensors");
        QStringList args = refine::cliArgs(c["cli_args"]);
        args << "--out" << file;
        const Run run = storyboard(args);
        QVERIFY2(run.exitCode == 0, qPrintable(id + ": " + run.err));
        const auto written = engine::SafetensorsFile::open(file.toStdString());
        for (const char *name :
             {"prompt_embeds", "pooled_prompt_embeds", "negative_prompt_embeds", "negative_pooled_prompt_embeds"}) {
            if (!c["outputs"].contains(name))
                continue;
            QString why;
            QVERIFY2(refine::within(written->tensor(name), refine::tensor(c["outputs"][name]), 2e-5, 1.0, &why),
                     qPrintable(id + " " + name + ": " + why));
        }
    }

    void equalPairsGiveIdenticalFiles()
    {
        for (const auto &pair : refine::cases()["equal_pairs"]) {
            const QString id = refine::qs(pair["id"]);
            QByteArray files[2];
            int n = 0;
            for (const char *side : {"cli_args_a", "cli_args_b"}) {
                const QString file = m_dir.filePath(id + side + ".safetensors");
                QStringList args = refine::cliArgs(pair[side]);
                args << "--out" << file;
                const Run run = storyboard(args);
                QVERIFY2(run.exitCode == 0, qPrintable(id + ": " + run.err));
                files[n++] = bytesOf(file);
            }
            QVERIFY(!files[0].isEmpty());
            QVERIFY2(files[0] == files[1], qPrintable(id));
        }
    }

    void refusalsWriteNothing_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["refuse"].size(); ++i)
            QTest::newRow(refine::cases()["refuse"][i]["id"].get<std::string>().c_str()) << int(i);
        QTest::newRow("strength below 0") << -1;
        QTest::newRow("weight that is a dot") << -2;
        QTest::newRow("weighted negative") << -3;
        QTest::newRow("hires scale 0") << -4;
    }
    void refusalsWriteNothing()
    {
        QFETCH(int, index);
        const QString init = QString::fromStdString(refine::dir()) + "/init_panel_64x64.png";
        QStringList args;
        if (index >= 0)
            args = refine::cliArgs(refine::cases()["refuse"][size_t(index)]["cli_args"]);
        else if (index == -1)
            args = refine::cliArgs({"generate", "--prompt", "a cat", "--steps", "4", "--width", "64", "--height", "64",
                                    "--init-image", "init_panel_64x64.png", "--strength=-0.5"});
        else if (index == -2)
            args = refine::cliArgs({"encode", "--prompt", "(x:.)"});
        else if (index == -3)
            args = refine::cliArgs({"generate", "--prompt", "a cat", "--negative", "(blur:1.2.3)", "--steps", "2",
                                    "--width", "64", "--height", "64"});
        else
            args = refine::cliArgs({"generate", "--prompt", "a cat", "--steps", "2", "--width", "64", "--height", "64",
                                    "--hires-scale", "0"});
        const bool encode = args.first() == QLatin1String("encode");
        const QString out = m_dir.filePath(QStringLiteral("refused%1").arg(index) +
                                           (encode ? QStringLiteral(".safetensors") : QStringLiteral(".png")));
        args << "--out" << out;
        const Run run = storyboard(args);
        QVERIFY2(run.exitCode >= 1 && run.exitCode <= 127, qPrintable(run.err));
        QVERIFY(!run.err.trimmed().isEmpty());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(out));
    }

    // A1111's batch count: N files, seeds seed, seed+1, ...; image i equals a single run with seed + i.
    void batchCountRendersConsecutiveSeeds()
    {
        const QString png = m_dir.filePath("batch.png");
        const QStringList base{"generate", "--model", QString::fromStdString(refine::modelDir()),
                               "--prompt", "a cat",   "--steps",
                               "2",        "--width", "64",
                               "--height", "64",      "--device",
                               "cpu",      "--cfg",   "1"};
        const Run run = storyboard(base + QStringList{"--seed", "7", "--batch-count", "3", "--out", png});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(png));
        for (int i = 0; i < 3; ++i) {
            const QString file = m_dir.filePath(QStringLiteral("batch-%1.png").arg(i + 1));
            QVERIFY2(QFileInfo::exists(file), qPrintable(file));
            const QJsonObject json = ourChunk(file);
            QCOMPARE(json.value("seed").toInteger(), 7 + i);
            QCOMPARE(json.value("batchIndex").toInt(), i);
            QCOMPARE(a1111(file).seed(), std::optional<qint64>(7 + i));
        }
        const QString single = m_dir.filePath("single-seed-8.png");
        const Run one = storyboard(base + QStringList{"--seed", "8", "--out", single});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        QCOMPARE(refine::pixelsOf(single).equal(refine::pixelsOf(m_dir.filePath("batch-2.png"))), true);
        QVERIFY(!ourChunk(single).contains("batchIndex"));
    }

    // What makes a refined or hires image reproducible is in both chunks.
    void refineParametersAreWritten()
    {
        const auto &i2i = refine::cases()["img2img"][0];
        const QString i2iPng = m_dir.filePath(refine::qs(i2i["id"]) + "-params.png");
        QStringList args = refine::cliArgs(i2i["cli_args"]);
        args << "--out" << i2iPng;
        QVERIFY(storyboard(args).exitCode == 0);
        const QJsonObject json = ourChunk(i2iPng);
        QCOMPARE(json.value("strength").toDouble(), i2i["strength"].get<double>());
        QCOMPARE(json.value("denoisingSteps").toInt(), i2i["denoising_steps"].get<int>());
        const QJsonObject init = json.value("initImage").toObject();
        QCOMPARE(init.value("file").toString(), refine::qs(i2i["init_image"]));
        QFile initFile(QString::fromStdString(refine::dir()) + "/" + refine::qs(i2i["init_image"]));
        QVERIFY(initFile.open(QIODevice::ReadOnly));
        QCOMPARE(init.value("sha256").toString(),
                 QString::fromLatin1(QCryptographicHash::hash(initFile.readAll(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(a1111(i2iPng).value("Denoising strength"),
                 story::A1111Parameters::formatNumber(i2i["strength"].get<double>()));

        const auto &hires = refine::cases()["hires"][1]; // --hires-steps given, truncated size
        const QString hiresPng = m_dir.filePath(refine::qs(hires["id"]) + "-params.png");
        args = refine::cliArgs(hires["cli_args"]);
        args << "--out" << hiresPng;
        QVERIFY(storyboard(args).exitCode == 0);
        const story::A1111Parameters text = a1111(hiresPng);
        QCOMPARE(text.value("Hires upscale"), story::A1111Parameters::formatNumber(hires["hires_scale"].get<double>()));
        QCOMPARE(text.value("Hires upscaler"), QStringLiteral("Latent"));
        QCOMPARE(text.value("Hires steps"), QString::number(hires["hires_steps_effective"].get<int>()));
        QCOMPARE(text.value("Denoising strength"),
                 story::A1111Parameters::formatNumber(hires["hires_strength"].get<double>()));
        QCOMPARE(text.size(), std::optional<QSize>(QSize(hires["width"].get<int>(), hires["height"].get<int>())));
        const QJsonObject hiresJson = ourChunk(hiresPng).value("hires").toObject();
        QCOMPARE(hiresJson.value("height").toInt(), hires["output_hw"][0].get<int>());
        QCOMPARE(hiresJson.value("width").toInt(), hires["output_hw"][1].get<int>());
    }

    void tokenizeShowsWeights()
    {
        const auto &c = refine::cases()["generate_weighted"][0];
        const Run run = storyboard({"tokenize", "--model", QString::fromStdString(refine::modelDir()), "--prompt",
                                    refine::qs(c["prompt"]), "--weights"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json.value("text").toString(), refine::qs(c["prompt_weighting"]["syntax_free_text"]));
        const QJsonArray pieces = json.value("pieces").toArray();
        const auto &expected = c["prompt_weighting"]["piece_weights"];
        QCOMPARE(size_t(pieces.size()), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(pieces[int(i)].toArray()[0].toString(), refine::qs(expected[i][0]));
            QCOMPARE(float(pieces[int(i)].toArray()[1].toDouble()), float(expected[i][1].get<double>()));
        }
        // Without --weights the brackets are ordinary text, as before.
        const Run plain = storyboard(
            {"tokenize", "--model", QString::fromStdString(refine::modelDir()), "--prompt", refine::qs(c["prompt"])});
        QVERIFY(!QJsonDocument::fromJson(plain.out.toUtf8()).object().contains("weights"));
    }
};

QTEST_GUILESS_MAIN(TestRefineCli)
#include "TestRefineCli.moc"
