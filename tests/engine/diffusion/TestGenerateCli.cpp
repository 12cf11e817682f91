// `storyboard generate | render | bench` as a user runs them (QProcess on the built executable), with the tiny
// Kolors model of the golden fixtures.

#include "GoldenData.h"
#include "StoryboardProcess.h"

#include "engine/api/Generation.h"
#include "engine/io/SafetensorsFile.h"
#include "story/PngMetadata.h"
#include "story/ProjectFile.h"
#include "story/labels/AigcLabel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

using namespace studio;

namespace {

using studio_test::storyboard;
using Run = studio_test::CliRun;

QString tinyModel()
{
    return QString::fromStdString(golden::modelDir());
}

} // namespace

class TestGenerateCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The quantized text encoder's cache goes here, not into the user's cache folder (the CLI inherits it).
        qputenv("STORYBOARD_CACHE_DIR", QFile::encodeName(m_dir.filePath(QStringLiteral("cache"))));
    }

    // Every visible golden run through the CLI: latents and pixels. The LoRA run goes through twice, with the
    // kohya file and the DiffSynth file at the scales that give the same effective scale.
    void generateReproducesGolden()
    {
        const auto cases = golden::cases();
        const auto &lora = cases["lora"];
        struct LoraArgs
        {
            QStringList args;
            QString format;
        };
        for (const auto &run : cases["pipeline"]) {
            std::vector<LoraArgs> loraRuns{{}};
            if (run["lora"].get<bool>()) {
                auto file = [&](const char *key) {
                    return QString::fromStdString(golden::modelDir() + "/" + lora["files"][key].get<std::string>());
                };
                loraRuns = {
                    {{"--lora", file("kohya_safetensors"), "--lora-scale",
                      QString::number(lora["kohya_multiplier"].get<double>())},
                     "kohya"},
                    {{"--lora", file("diffsynth_ckpt"), "--lora-scale",
                      QString::number(lora["diffsynth_lora_alpha"].get<double>())},
                     "diffsynth"},
                };
            }
            for (const LoraArgs &loraRun : loraRuns)
                generateOne(run, loraRun.args, loraRun.format);
        }
    }

private:
    void generateOne(const nlohmann::json &run, const QStringList &loraArgs, const QString &loraFormat)
    {
        {
            const QString id = QString::fromStdString(run["id"].get<std::string>()) + loraFormat;
            const QString png = m_dir.filePath(id + ".png");
            const QString latents = m_dir.filePath(id + ".safetensors");
            QStringList args{"generate",
                             "--model",
                             tinyModel(),
                             "--prompt",
                             QString::fromStdString(run["prompt"].get<std::string>()),
                             "--seed",
                             QString::number(run["seed"].get<qint64>()),
                             "--steps",
                             QString::number(run["num_inference_steps"].get<int>()),
                             "--cfg",
                             QString::number(run["guidance_scale"].get<double>()),
                             "--sampler",
                             QString::fromStdString(run["scheduler"].get<std::string>()),
                             "--width",
                             QString::number(run["width"].get<int>()),
                             "--height",
                             QString::number(run["height"].get<int>()),
                             "--device",
                             "cpu",
                             "--out",
                             png,
                             "--latents-out",
                             latents};
            if (!run["negative_prompt"].is_null())
                args << "--negative" << QString::fromStdString(run["negative_prompt"].get<std::string>());
            args << loraArgs;
            const Run result = storyboard(args);
            QVERIFY2(result.exitCode == 0, qPrintable(id + ": " + result.err));
            QVERIFY(result.out.contains(png));

            const at::Tensor mine = studio::engine::SafetensorsFile::open(latents.toStdString())->tensor("latents");
            QCOMPARE(mine.scalar_type(), at::kFloat);
            const at::Tensor ref = golden::tensor(run["outputs"]["final_latents"]);
            GOLDEN_NEAR(mine, ref, 1e-4 * golden::maxAbs(ref), id + " latents");

            QImage image(png);
            QVERIFY2(!image.isNull(), qPrintable(png));
            image = image.convertToFormat(QImage::Format_RGB888);
            QCOMPARE(image.width(), run["width"].get<int>());
            QCOMPARE(image.height(), run["height"].get<int>());
            at::Tensor pixels = at::empty({image.height(), image.width(), 3}, at::kByte);
            for (int y = 0; y < image.height(); ++y)
                std::memcpy(pixels[y].data_ptr<uint8_t>(), image.constScanLine(y), size_t(image.width()) * 3);
            const at::Tensor refU8 = golden::tensor(run["outputs"]["image_u8"]).to(at::kInt);
            GOLDEN_NEAR(pixels.to(at::kInt), refU8, 1.0, id + " pixels");
            QVERIFY((pixels.to(at::kInt) == refU8).to(at::kDouble).mean().item<double>() >= 0.99);

            QString error;
            const auto chunks = story::PngMetadata::readTextChunks(png, &error);
            QVERIFY2(chunks.has_value(), qPrintable(error));
            const auto parameters = story::PngMetadata::find(*chunks, QStringLiteral("parameters"));
            QVERIFY(parameters.has_value());
            QVERIFY(parameters->contains(QStringLiteral("Seed: %1").arg(run["seed"].get<qint64>())));
            const auto json = story::PngMetadata::find(*chunks, QStringLiteral("storyboard_studio"));
            QVERIFY(json.has_value());
            // The implicit AI label: one XMP packet, a single generated image.
            int xmpPackets = 0;
            for (const story::PngTextChunk &c : *chunks)
                xmpPackets += c.keyword == QLatin1String("XML:com.adobe.xmp") ? 1 : 0;
            QCOMPARE(xmpPackets, 1);
            const auto label =
                story::AigcLabel::fromXmp(*story::PngMetadata::find(*chunks, QStringLiteral("XML:com.adobe.xmp")));
            QVERIFY(label && label->source == story::AigcLabel::Source::Generated && !label->produceId.isEmpty());
            const QJsonObject object = QJsonDocument::fromJson(json->toUtf8()).object();
            QCOMPARE(object.value("seed").toInteger(), run["seed"].get<qint64>());
            QCOMPARE(object.value("sampler").toString(), QString::fromStdString(run["scheduler"].get<std::string>()));
            QVERIFY(!json->contains(QDir(tinyModel()).absolutePath())); // no absolute paths in published files
            if (loraFormat.isEmpty()) {
                QVERIFY(!object.contains("lora"));
            } else {
                const QJsonObject lora = object.value("lora").toObject();
                QCOMPARE(lora.value("format").toString(), loraFormat);
                QCOMPARE(lora.value("effectiveScale").toDouble(), run["lora_effective_scale"].get<double>());
                QVERIFY(result.out.contains("effective scale"));
            }
        }
    }

private Q_SLOTS:

    void generateRefusesAbsurdArguments_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("width 0") << QStringList{"--width", "0"} << "width";
        QTest::newRow("width not multiple of 8") << QStringList{"--width", "100"} << "multiple of 8";
        QTest::newRow("beyond memory") << QStringList{"--height", "100000"} << "exceeds";
        QTest::newRow("steps 0") << QStringList{"--steps", "0"} << "steps";
        QTest::newRow("steps huge") << QStringList{"--steps", "99999"} << "steps";
        QTest::newRow("steps text") << QStringList{"--steps", "ten"} << "--steps";
        QTest::newRow("cfg nan") << QStringList{"--cfg", "nan"} << "--cfg";
        QTest::newRow("cfg inf") << QStringList{"--cfg", "inf"} << "--cfg";
        QTest::newRow("unknown sampler") << QStringList{"--sampler", "heun"} << "unknown sampler";
        QTest::newRow("bad device") << QStringList{"--device", "gpu"} << "--device";
        QTest::newRow("bad cuda index") << QStringList{"--device", "cuda:x"} << "cuda:N";
        QTest::newRow("bad text encoder device") << QStringList{"--text-encoder-device", "gpu"}
                                                 << "--text-encoder-device \"gpu\" is not auto, cpu, cuda or cuda:N";
        QTest::newRow("bad unet offload") << QStringList{"--unet-offload", "layers"} << "--unet-offload";
        QTest::newRow("negative seed") << QStringList{"--seed", "-1"} << "--seed";
        QTest::newRow("missing model") << QStringList{"--model", "/nonexistent/model"} << "model";
    }

    void generateRefusesAbsurdArguments()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        const QString png = m_dir.filePath("refused.png");
        QStringList args{"generate", "--model", tinyModel(), "--prompt", "a cat", "--width", "64", "--height",
                         "64",       "--steps", "2",         "--device", "cpu",   "--out",   png};
        args << extra; // later options win in QCommandLineParser::value()
        const Run run = storyboard(args);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith("storyboard generate: "), qPrintable(run.err));
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(png));
    }

    // Issue 16 points 2 and 4 on the command line: every rendering command offers the placement choices in the one
    // vocabulary, a GPU choice this machine cannot serve is refused naming the option, and on the CPU the choices
    // give the very same image.
    void placementOptions()
    {
        for (const char *command : {"generate", "render", "bench"}) {
            const Run help = storyboard({command, "--help"});
            QCOMPARE(help.exitCode, 0);
            for (const char *text : {"--device <DEVICE>", "--text-encoder-device <DEVICE>", "auto|cpu|cuda[:N]",
                                     "--unet-offload <MODE>", "none|blocks"})
                QVERIFY2(help.out.contains(QLatin1String(text)), qPrintable(QString(command) + ": " + text));
        }
        const QStringList base{"generate", "--model", tinyModel(), "--prompt", "a cat",  "--negative", "blurry",
                               "--width",  "64",      "--height",  "64",      "--steps", "2",          "--device",
                               "cpu",      "--seed",  "5"};
        const QString refused = m_dir.filePath("placement-refused.png");
        const bool cuda = studio::engine::Generator::cudaAvailable();
        const Run noGpu = storyboard(base + QStringList{"--text-encoder-device", cuda ? "cuda:99" : "cuda", "--out",
                                                        refused});
        QCOMPARE(noGpu.exitCode, 1);
        QVERIFY2(noGpu.err.contains("--text-encoder-device"), qPrintable(noGpu.err));
        QVERIFY2(noGpu.err.contains(cuda ? "numbered from 0" : "not available"), qPrintable(noGpu.err));
        QVERIFY(!QFileInfo::exists(refused));

        const QString plainPng = m_dir.filePath("placement-plain.png");
        const QString placedPng = m_dir.filePath("placement-placed.png");
        const Run plain = storyboard(base + QStringList{"--out", plainPng});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        const Run placed = storyboard(
            base + QStringList{"--text-encoder-device", "cpu", "--unet-offload", "blocks", "--out", placedPng});
        QVERIFY2(placed.exitCode == 0, qPrintable(placed.err));
        const QImage a(plainPng), b(placedPng);
        QVERIFY(!a.isNull());
        QCOMPARE(b, a);

        const Run bench = storyboard({"bench", "--random", "tiny", "--steps", "1", "--device", "cpu",
                                      "--text-encoder-device", "cpu", "--unet-offload", "blocks"});
        QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
        QVERIFY2(bench.out.contains("text encoder: cpu, unet offload: blocks"), qPrintable(bench.out));
    }

    // Issue 16 point 3: a quantized text encoder changes the image, so the PNG says so in both texts (A1111's
    // `parameters` under our own key, and our JSON chunk); an unquantized one adds nothing.
    void textEncoderQuantizationIsRecorded()
    {
        const QStringList base{"generate", "--model", tinyModel(), "--prompt", "a cat", "--width", "64",
                               "--height", "64", "--steps", "2", "--device", "cpu", "--seed", "5"};
        for (const char *quant : {"none", "int8", "int4"}) {
            const QString png = m_dir.filePath(QStringLiteral("quant-%1.png").arg(quant));
            const Run run = storyboard(base + QStringList{"--text-encoder-quant", quant, "--out", png});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            QString error;
            const auto chunks = story::PngMetadata::readTextChunks(png, &error);
            QVERIFY2(chunks.has_value(), qPrintable(error));
            const QString parameters = *story::PngMetadata::find(*chunks, QStringLiteral("parameters"));
            const QJsonObject ours =
                QJsonDocument::fromJson(story::PngMetadata::find(*chunks, QStringLiteral("storyboard_studio"))->toUtf8())
                    .object();
            if (QLatin1String(quant) == QLatin1String("none")) {
                QVERIFY2(!parameters.contains("Text encoder quantization"), qPrintable(parameters));
                QVERIFY(!ours.contains("textEncoderQuant"));
            } else {
                QVERIFY2(parameters.contains(QStringLiteral("Text encoder quantization: %1").arg(quant)),
                         qPrintable(parameters));
                QCOMPARE(ours.value("textEncoderQuant").toString(), QString::fromLatin1(quant));
            }
        }
    }

    // Issue 16, int8 below the unquantized encoder on the CPU: the first quantized run writes the cache file into
    // the default folder, the next maps it, and the image is the same as quantizing in memory (--weight-cache none).
    void quantizedWeightsAreCachedForTheNextRun()
    {
        const QDir cache(m_dir.filePath(QStringLiteral("cache/storyboard-studio/quantized-weights")));
        const QStringList base{"generate", "--model", tinyModel(), "--prompt", "a cat", "--width", "64",
                               "--height", "64", "--steps", "2", "--device", "cpu", "--seed", "9",
                               "--text-encoder-quant", "int8"};
        QStringList images;
        for (const QStringList &extra : {QStringList{}, QStringList{}, QStringList{"--weight-cache", "none"}}) {
            images << m_dir.filePath(QStringLiteral("cached-%1.png").arg(images.size()));
            const Run run = storyboard(base + extra + QStringList{"--out", images.last()});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            const QStringList files = QDir(cache.path()).entryList(QDir::Files); // other tests add int4's
            QCOMPARE(files.filter(QRegularExpression("^chatglm3-int8-[0-9a-f]{16}\\.safetensors$")).size(), 1);
            QVERIFY2(files.filter(QStringLiteral(".part")).isEmpty(), qPrintable(files.join(' '))); // no temporary
        }
        const QImage first(images[0]);
        QVERIFY(!first.isNull());
        QCOMPARE(QImage(images[1]), first);
        QCOMPARE(QImage(images[2]), first);
    }

    // Issue 16 point 5: the estimate per phase with the placement and quantization choices in the one vocabulary.
    void memoryEstimateCommand()
    {
        const Run run = storyboard({"memory-estimate", "--model", tinyModel(), "--device", "cpu", "--width", "64",
                                    "--height", "64", "--text-encoder-quant", "int8", "--low-vram"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const char *text : {"estimate at 64x64:", "encoding the prompts", "sampling", "decoding",
                                 "text encoder: cpu, int8, released after encoding, quantized weights mapped from",
                                 "fits"})
            QVERIFY2(run.out.contains(QLatin1String(text)), qPrintable(QString(text) + "\n" + run.out));
        const Run bad = storyboard({"memory-estimate", "--model", tinyModel(), "--unet-offload", "layers"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--unet-offload"), qPrintable(bad.err));
    }

    void generateNeedsItsRequiredOptions()
    {
        const Run noPrompt = storyboard({"generate", "--model", tinyModel(), "--out", m_dir.filePath("x.png")});
        QCOMPARE(noPrompt.exitCode, 1);
        QVERIFY(noPrompt.err.contains("--prompt is required"));
        const Run noFolder =
            storyboard({"generate", "--model", tinyModel(), "--prompt", "x", "--out", m_dir.filePath("missing/x.png")});
        QCOMPARE(noFolder.exitCode, 1);
        QVERIFY(noFolder.err.contains("does not exist"));
        const Run help = storyboard({"generate", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--latents-out"));
    }

    void renderAddsChosenVariants()
    {
        story::Project project;
        project.title = "cli render";
        project.style.negativePrompt = "blurry";
        for (int i = 0; i < story::kPanelCount; ++i) {
            story::Panel &panel = project.panels[size_t(i)];
            panel.prompt = QStringLiteral("panel %1, a red kite over the sea").arg(i + 1);
            panel.seed = 100 + i;
            panel.steps = 2;
            panel.width = 64;
            panel.height = 64;
            panel.sampler = i % 2 ? "euler_a" : "dpmpp_2m";
        }
        const QString storyPath = m_dir.filePath("story/story.json");
        QVERIFY(QDir().mkpath(m_dir.filePath("story")));
        QString error;
        QVERIFY2(story::ProjectFile::save(project, storyPath, &error), qPrintable(error));

        const Run run = storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "1,3", "--device", "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto loaded = story::ProjectFile::load(storyPath, &error);
        QVERIFY2(loaded.has_value(), qPrintable(error));
        QSet<QString> produceIds;
        for (int i = 0; i < story::kPanelCount; ++i) {
            const story::Panel &panel = loaded->panels[size_t(i)];
            if (i == 0 || i == 2) {
                QCOMPARE(int(panel.variants.size()), 1);
                QCOMPARE(panel.chosenVariant, 0);
                QCOMPARE(panel.variants[0].seed, qint64(100 + i));
                QCOMPARE(panel.variants[0].parameters.value("steps").toInt(), 2);
                QCOMPARE(panel.variants[0].parameters.value("sampler").toString(), panel.sampler);
                const QString image = m_dir.filePath("story/" + panel.variants[0].path);
                QVERIFY2(QImage(image).size() == QSize(64, 64), qPrintable(image));
                const auto chunks = story::PngMetadata::readTextChunks(image, &error);
                QVERIFY(chunks && story::PngMetadata::find(*chunks, "parameters"));
                const auto xmp = story::PngMetadata::find(*chunks, "XML:com.adobe.xmp");
                const auto label = xmp ? story::AigcLabel::fromXmp(*xmp) : std::nullopt;
                QVERIFY(label && label->source == story::AigcLabel::Source::Generated);
                QVERIFY(!produceIds.contains(label->produceId)); // one id per file
                produceIds.insert(label->produceId);
            } else {
                QVERIFY(panel.variants.isEmpty());
            }
        }
        // Rendering again adds a second variant and chooses it.
        QCOMPARE(storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "3", "--device", "cpu"}).exitCode,
                 0);
        const auto again = story::ProjectFile::load(storyPath, &error);
        QCOMPARE(int(again->panels[2].variants.size()), 2);
        QCOMPARE(again->panels[2].chosenVariant, 1);

        // The story's LoRA is merged (here the kohya file copied into the story folder, at the story's multiplier);
        // --lora-scale overrides the multiplier; a LoRA the engine refuses stops the render before any image.
        const auto cases = golden::cases();
        const QString kohya = QString::fromStdString(
            golden::modelDir() + "/" + cases["lora"]["files"]["kohya_safetensors"].get<std::string>());
        QVERIFY(QFile::copy(kohya, m_dir.filePath("story/style.safetensors")));
        story::Project withLora = *again;
        withLora.lora.path = "style.safetensors";
        withLora.lora.scale = 1.0;
        QVERIFY2(story::ProjectFile::save(withLora, storyPath, &error), qPrintable(error));
        const Run loraRun = storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "2", "--device", "cpu"});
        QVERIFY2(loraRun.exitCode == 0, qPrintable(loraRun.err));
        const Run halfRun = storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "2", "--device", "cpu",
                                        "--lora-scale", "0.5"});
        QVERIFY2(halfRun.exitCode == 0, qPrintable(halfRun.err));
        const auto rendered = story::ProjectFile::load(storyPath, &error);
        QVERIFY2(rendered.has_value(), qPrintable(error));
        QCOMPARE(int(rendered->panels[1].variants.size()), 2);
        const double alphaOverRank = cases["lora"]["kohya_alpha"].get<double>() / cases["lora"]["rank"].get<double>();
        for (const auto &[variant, multiplier] : {std::pair{0, 1.0}, std::pair{1, 0.5}}) {
            const QJsonObject used = rendered->panels[1].variants[variant].parameters.value("lora").toObject();
            QCOMPARE(used.value("file").toString(), QStringLiteral("style.safetensors"));
            QCOMPARE(used.value("format").toString(), QStringLiteral("kohya"));
            QCOMPARE(used.value("scale").toDouble(), multiplier);
            QCOMPARE(used.value("effectiveScale").toDouble(), multiplier * alphaOverRank);
        }
        QFile garbage(m_dir.filePath("story/style.safetensors"));
        QVERIFY(garbage.open(QIODevice::WriteOnly | QIODevice::Truncate));
        garbage.write("not a LoRA at all");
        garbage.close();
        const Run badLora = storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "2", "--device", "cpu"});
        QCOMPARE(badLora.exitCode, 1);
        QVERIFY2(badLora.err.contains("style.safetensors"), qPrintable(badLora.err));
        QCOMPARE(int(story::ProjectFile::load(storyPath, &error)->panels[1].variants.size()), 2);

        const Run badPanel = storyboard({"render", storyPath, "--model", tinyModel(), "--panels", "9"});
        QCOMPARE(badPanel.exitCode, 1);
        QVERIFY(badPanel.err.contains("--panels"));
        const Run noStory = storyboard({"render", m_dir.filePath("none.json"), "--model", tinyModel()});
        QCOMPARE(noStory.exitCode, 1);
    }

    void benchPrintsFigures()
    {
        const Run run = storyboard({"bench", "--random", "tiny", "--steps", "2", "--device", "cpu"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const char *line : {"median step:", "text encode:", "vae decode:", "peak RSS:", "peak private memory:",
                                 "CUDA max allocated:", "final latents finite: yes"})
            QVERIFY2(run.out.contains(line), line);
        const Run both = storyboard({"bench", "--random", "tiny", "--model", tinyModel()});
        QCOMPARE(both.exitCode, 1);
        const Run model = storyboard(
            {"bench", "--model", tinyModel(), "--width", "64", "--height", "64", "--steps", "2", "--device", "cpu"});
        QVERIFY2(model.exitCode == 0, qPrintable(model.err));
    }
};

QTEST_MAIN(TestGenerateCli)
#include "TestGenerateCli.moc"
