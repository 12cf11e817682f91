// The training engine piece by piece against training-tiny: the data set and Pillow-exact images, the cached
// latents and captions, the first step's draws and gradients, the LoRA names, gradient checkpointing, the torch.save
// writer, resume and Ctrl+C, previews, the trained file rendering again, and hostile data sets.
#include "TrainingGolden.h"

#include "engine/api/Generation.h"
#include "engine/api/LoraApi.h"
#include "engine/api/Training.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/io/TorchPickle.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/lora/UnetBlockLayout.h"
#include "engine/training/LoraOptimizer.h"
#include "engine/training/MetadataCsv.h"
#include "engine/training/TrainableLora.h"
#include "engine/training/TrainingDataSet.h"
#include "engine/training/TrainingInputs.h"
#include "engine/training/TrainingStep.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace studio::engine;
using namespace training_golden;

namespace {

PipelineOptions cpuOptions()
{
    return KolorsPipeline::defaultOptions(c10::Device(c10::kCPU));
}

// The fixture's tiny model, loaded once for the tests that need its networks.
KolorsPipeline::Components &tinyModel()
{
    static KolorsPipeline::Components parts = KolorsPipeline::loadComponents(modelDir(), cpuOptions());
    return parts;
}

TrainingOptions goldenOptions(const std::string &id, const QString &out)
{
    const nlohmann::json &c = findCase(id);
    TrainingOptions o;
    o.modelDir = modelDir();
    o.dataDir = fixtureDir() + "/" + c["data"].get<std::string>();
    o.outputPath = out.toStdString();
    o.rank = c["rank"];
    o.alpha = c["alpha"];
    o.steps = c["steps"];
    o.learningRate = c["lr"];
    o.seed = c["seed"];
    o.resolution = c["resolution"];
    if (!c["init"].is_null())
        o.initLora = fixtureDir() + "/" + c["init"].get<std::string>();
    o.device = ComputeDevice::Cpu;
    o.precision = TrainingPrecision::Float32;
    return o;
}

std::map<std::string, at::Tensor> byName(const std::vector<std::pair<std::string, at::Tensor>> &tensors)
{
    return {tensors.begin(), tensors.end()};
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A data folder with one metadata.csv and copies of fixture images.
QString makeDataSet(const QTemporaryDir &dir, const QByteArray &csv, const QStringList &images)
{
    const QString root = dir.filePath(QStringLiteral("data"));
    QDir().mkpath(root);
    writeFile(root + QStringLiteral("/metadata.csv"), csv);
    for (const QString &image : images)
        QFile::copy(QString::fromStdString(fixtureDir()) + QStringLiteral("/data/train/0.png"), root + "/" + image);
    return root;
}

QString trainingError(const TrainingOptions &options)
{
    try {
        trainLora(options);
    } catch (const EngineError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvFollowsRfc4180()
    {
        const CsvTable t = parseCsv("\xEF\xBB\xBFtext,file_name,extra\r\n\"a, \"\"b\"\"\",1.png,x\r\n\r\nc,2.png\n", "t");
        QCOMPARE(t.column("file_name"), 1);
        QCOMPARE(t.rows.size(), size_t(2));
        QCOMPARE(QString::fromStdString(t.rows[0][0]), QStringLiteral("a, \"b\""));
        QCOMPARE(QString::fromStdString(t.rows[1][2]), QString());
        QCOMPARE(t.rowLines[1], 4);
        const char *broken[] = {"file_name,text\n1.png,\"never closed\n", "file_name,text\n1.png,a \"quoted\" word\n",
                                "file_name,text\n1.png,\"x\"y\n", "file_name,text\n1.png,a,b\n"};
        for (const char *text : broken)
            QVERIFY_EXCEPTION_THROWN(parseCsv(text, "t"), EngineError);
    }

    void cropPlansMatchTorchvision()
    {
        for (const char *id : {"init_64", "crop_64"}) {
            const nlohmann::json &c = findCase(id);
            for (const nlohmann::json &image : c["images"]) {
                const SquareCrop plan = planSquareCrop(image["source_size_wh"][0], image["source_size_wh"][1], 64);
                QCOMPARE(plan.resizedWidth, image["resized_wh"][0].get<int>());
                QCOMPARE(plan.resizedHeight, image["resized_wh"][1].get<int>());
                QCOMPARE(plan.top, image["crop_top_left"][0].get<int>());
                QCOMPARE(plan.left, image["crop_top_left"][1].get<int>());
            }
        }
        QCOMPARE(planSquareCrop(100, 125, 100).top, 12); // 12.5 rounds half to even
        QCOMPARE(planSquareCrop(100, 121, 100).top, 10); // 10.5
        QCOMPARE(planSquareCrop(100, 115, 100).top, 8);  // 7.5
    }

    void pixelsAreExact()
    {
        for (const std::string id : {"init_64", "crop_64"}) {
            const TrainingDataSet data = TrainingDataSet::open(fixtureDir() + "/" + findCase(id)["data"].get<std::string>());
            const at::Tensor u8 = expected(id + "/debug/pixels_u8"), pixels = expected(id + "/debug/pixels");
            QCOMPARE(int64_t(data.rows.size()), u8.size(0));
            for (size_t i = 0; i < data.rows.size(); ++i) {
                const RgbImage image = loadTrainingImage(data.rows[i].path, 64);
                const at::Tensor mine = at::from_blob(const_cast<uint8_t *>(image.pixels.data()), {64, 64, 3}, at::kByte);
                QVERIFY2(at::equal(mine, u8[int64_t(i)]), data.rows[i].fileName.c_str());
                QVERIFY(at::equal(imageToPixels(image)[0], pixels[int64_t(i)]));
            }
        }
    }

    void cachedInputsMatchGolden()
    {
        for (const std::string id : {"init_64", "crop_64"}) {
            const TrainingDataSet data = TrainingDataSet::open(fixtureDir() + "/" + findCase(id)["data"].get<std::string>());
            const TrainingInputs inputs = encodeTrainingInputs(data, 64, *tinyModel().promptEncoder, *tinyModel().vae, {}, {});
            const at::Tensor latents = expected(id + "/debug/latents");
            for (size_t i = 0; i < data.rows.size(); ++i)
                QVERIFY(at::allclose(inputs.latents[i][0], latents[int64_t(i)], 1e-5, 1e-5));
            if (id == "init_64") {
                QCOMPARE(inputs.promptEmbeds.size(), size_t(3)); // rows 0 and 3 share a caption
                const at::Tensor embeds = expected(id + "/debug/prompt_embeds"), pooled = expected(id + "/debug/pooled_prompt_embeds");
                for (size_t i = 0; i < data.rows.size(); ++i) {
                    const size_t caption = inputs.captionOfRow[i];
                    QVERIFY(at::allclose(inputs.promptEmbeds[caption][0], embeds[int64_t(i)], 1e-4, 1e-5));
                    QVERIFY(at::allclose(inputs.pooled[caption][0], pooled[int64_t(i)], 1e-4, 1e-5));
                }
            }
        }
    }

    void firstStepMatchesGolden()
    {
        KolorsPipeline::Components &m = tinyModel();
        const nlohmann::json &c = findCase("init_64");
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(m.unetConfig, "unet config");
        TrainableLora lora(*m.unet, layout, 4, 2.0, c10::kCPU);
        lora.initFromFile(fixtureDir() + "/lora_init.ckpt");
        const TrainingDataSet data = TrainingDataSet::open(fixtureDir() + "/data");
        const TrainingInputs inputs = encodeTrainingInputs(data, 64, *m.promptEncoder, *m.vae, {}, {});
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(c["seed"].get<uint64_t>());
        const StepDraw draw = drawStep(generator, 4, {1, 4, 8, 8}, 1100);
        QCOMPARE(draw.index, int64_t(2));
        QCOMPARE(draw.timestep, int64_t(903));
        QVERIFY(at::equal(draw.noise[0], expected("init_64/debug/noise")[0][0]));
        const at::Tensor alphas = TrainSchedule::fromConfig(SchedulerConfig::fromFolderConfig(
                                                                SamplerKind::Euler, m.schedulerConfig, "scheduler"))
                                      .alphasCumprod;
        StepInputs step{inputs.latents[2], inputs.promptEmbeds[inputs.captionOfRow[2]],
                        inputs.pooled[inputs.captionOfRow[2]], 64};
        LoraAdamW optimizer(lora.parameters(), 1e-3);
        LossScaler scaler(false);
        const StepOutcome outcome = runTrainingStep(*m.unet, step, draw, alphas, lora.parameters(), optimizer, scaler);
        QVERIFY(std::fabs(outcome.loss - c["trace_values"]["loss"][0].get<double>()) < 5e-5);
        // Step 1's gradients (still in .grad) and weights after the first update.
        int checked = 0;
        for (const TrainableLora::Layer &layer : lora.layers())
            for (const bool down : {true, false}) {
                const std::string key = layer.diffsynth + (down ? ".lora_A.default.weight" : ".lora_B.default.weight");
                const at::Tensor param = down ? layer.adapter->down : layer.adapter->up;
                if (c["debug"].contains("step0/grad/" + key)) {
                    const at::Tensor ref = expected("init_64/debug/step0/grad/" + key);
                    const double scale = std::max(1e-12, ref.abs().max().item<double>());
                    QVERIFY2((param.grad() - ref).abs().max().item<double>() <= 1e-4 * scale, key.c_str());
                    ++checked;
                }
                const at::Tensor after = expected("init_64/debug/after_step1/" + key);
                QVERIFY2((param.detach() - after).abs().max().item<double>() <= 0.01 * 1e-3 + 1e-6, key.c_str());
            }
        QVERIFY(checked > 0);
    }

    void layerNamesFollowKeyMap()
    {
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(tinyModel().unetConfig, "unet config");
        TrainableLora lora(*tinyModel().unet, layout, 4, 4.0, c10::kCPU);
        std::map<std::string, const TrainableLora::Layer *> byDiffSynth;
        for (const TrainableLora::Layer &layer : lora.layers())
            byDiffSynth[layer.diffsynth] = &layer;
        QCOMPARE(byDiffSynth.size(), cases()["key_map"].size());
        for (const nlohmann::json &entry : cases()["key_map"]) {
            const TrainableLora::Layer *layer = byDiffSynth.at(entry["diffsynth"]);
            QCOMPARE(QString::fromStdString(layer->diffusers), QString::fromStdString(entry["diffusers"]));
            QCOMPARE(QString::fromStdString(layer->kohya), QString::fromStdString(entry["kohya"]));
            QCOMPARE(layer->adapter->down.size(1), entry["in_features"].get<int64_t>());
            QCOMPARE(layer->adapter->up.size(0), entry["out_features"].get<int64_t>());
        }
    }

    void gradientCheckpointingKeepsTheNumbers()
    {
        KolorsPipeline::Components &m = tinyModel();
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(m.unetConfig, "unet config");
        std::vector<at::Tensor> grads[2];
        float losses[2] = {0, 0};
        for (int checkpointing = 0; checkpointing < 2; ++checkpointing) {
            TrainableLora lora(*m.unet, layout, 4, 2.0, c10::kCPU);
            lora.initFromFile(fixtureDir() + "/lora_init.ckpt");
            m.unet->setGradientCheckpointing(checkpointing == 1);
            at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
            const StepDraw draw = drawStep(generator, 1, {1, 4, 8, 8}, 1100);
            at::Generator inputsGenerator = at::make_generator<at::CPUGeneratorImpl>(6);
            StepInputs step{at::randn({1, 4, 8, 8}, inputsGenerator, at::kFloat),
                            at::randn({1, 256, 64}, inputsGenerator, at::kFloat),
                            at::randn({1, 64}, inputsGenerator, at::kFloat), 64};
            LoraAdamW optimizer(lora.parameters(), 1e-3);
            LossScaler scaler(false);
            const auto alphas = at::linspace(0.99, 0.01, 1100, at::kFloat);
            losses[checkpointing] = runTrainingStep(*m.unet, step, draw, alphas, lora.parameters(), optimizer, scaler).loss;
            for (const at::Tensor &p : lora.parameters())
                grads[checkpointing].push_back(p.grad().clone());
        }
        m.unet->setGradientCheckpointing(false);
        QCOMPARE(losses[0], losses[1]);
        int nonZero = 0;
        for (size_t i = 0; i < grads[0].size(); ++i) {
            QVERIFY(at::allclose(grads[0][i], grads[1][i], 1e-5, 1e-7));
            nonZero += grads[1][i].abs().max().item<double>() > 0;
        }
        QCOMPARE(nonZero, int(grads[0].size())); // every layer, the first attention block's included, got gradients
    }

    void torchSaveWriterRoundTrips()
    {
        QTemporaryDir dir;
        const auto init = loadTorchPickle(fixtureDir() + "/lora_init.ckpt");
        const std::string path = dir.filePath(QStringLiteral("copy.ckpt")).toStdString();
        writeTorchSave(path, init, "copy");
        const auto reread = byName(loadTorchPickle(path));
        QCOMPARE(reread.size(), init.size());
        for (const auto &[name, tensor] : init)
            QVERIFY(at::equal(reread.at(name), tensor));
        // The layout torch.save writes: stored entries data.pkl, data/<i>, version "3".
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("PK\x03\x04"));
        QVERIFY(bytes.contains("copy/data.pkl") && bytes.contains("copy/data/271") && bytes.contains("copy/version"));
        QVERIFY(bytes.contains("torch._utils\n_rebuild_tensor_v2\n") && bytes.contains("collections\nOrderedDict\n"));
        QVERIFY(!bytes.contains("restore_type_tag"));
    }

    void resumeContinuesBitIdentically()
    {
        QTemporaryDir dir;
        // Run A: Ctrl+C after step 3 keeps a checkpoint and the resume state.
        TrainingOptions a = goldenOptions("init_64", dir.filePath(QStringLiteral("a.ckpt")));
        int seen = 0;
        TrainingCallbacks stopAfter3;
        stopAfter3.onProgress = [&](const TrainingProgress &p) { seen = p.step; };
        stopAfter3.isCancelled = [&] { return seen >= 3; };
        const TrainingResult stopped = trainLora(a, stopAfter3);
        QVERIFY(stopped.cancelled);
        QCOMPARE(stopped.stepsDone, 3);
        QVERIFY(QFileInfo::exists(QString::fromStdString(stopped.loraPath)));
        QVERIFY(QString::fromStdString(stopped.loraPath).endsWith(QStringLiteral("a-step000003.ckpt")));
        QCOMPARE(inspectLora(stopped.loraPath).layerCount, size_t(136)); // our LoRA reader takes the checkpoint
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("a.ckpt"))));
        // Run B continues; run C goes straight through.
        TrainingOptions b = goldenOptions("init_64", dir.filePath(QStringLiteral("b.ckpt")));
        b.initLora.clear();
        b.resumeFrom = stopped.statePath;
        b.tracePath = dir.filePath(QStringLiteral("b.safetensors")).toStdString();
        const TrainingResult resumed = trainLora(b);
        QCOMPARE(resumed.stepsDone, 6);
        TrainingOptions c = goldenOptions("init_64", dir.filePath(QStringLiteral("c.ckpt")));
        c.tracePath = dir.filePath(QStringLiteral("c.safetensors")).toStdString();
        trainLora(c);
        const auto fromB = byName(loadTorchPickle(b.outputPath)), fromC = byName(loadTorchPickle(c.outputPath));
        QCOMPARE(fromB.size(), size_t(272));
        for (const auto &[name, tensor] : fromC)
            QVERIFY2(at::equal(fromB.at(name), tensor), name.c_str()); // bit for bit
        const auto traceB = SafetensorsFile::open(b.tracePath), traceC = SafetensorsFile::open(c.tracePath);
        for (const char *name : {"loss", "timesteps", "indices"})
            QVERIFY(at::equal(traceB->tensor(name), traceC->tensor(name)));
        // A state from other settings is refused.
        TrainingOptions other = b;
        other.learningRate = 2e-3;
        QVERIFY(trainingError(other).contains(QStringLiteral("other settings")));
    }

    void trainedLorasRenderAndCarryFacts()
    {
        QTemporaryDir dir;
        TrainingOptions o = goldenOptions("default_init_64", dir.filePath(QStringLiteral("style.ckpt")));
        o.steps = 2;
        o.sampleEvery = 2;
        o.samplePrompt = "二次元，一只猫";
        o.sampleSteps = 2;
        o.dataPreparation = "Data-Juicer: 4 of 4 kept";
        std::vector<TrainingSample> samples;
        TrainingCallbacks callbacks;
        callbacks.onSample = [&](const TrainingSample &s) { samples.push_back(s); };
        std::vector<std::string> stages;
        callbacks.onStage = [&](const std::string &stage) { stages.push_back(stage); };
        const TrainingResult result = trainLora(o, callbacks);
        // ChatGLM and the VAE encoder are released before the first step (the preview keeps only the VAE).
        const auto released = std::find(stages.begin(), stages.end(), "releasing encoders");
        QVERIFY(released != stages.end());
        QVERIFY(std::find(stages.begin(), released, "training") == released);
        QCOMPARE(samples.size(), size_t(1));
        QCOMPARE(samples[0].step, 2);
        QCOMPARE(samples[0].width, 64);
        QCOMPARE(samples[0].rgb.size(), size_t(64 * 64 * 3));
        const auto facts = readTrainingFacts(result.loraPath);
        QVERIFY(facts.has_value());
        QCOMPARE(facts->imageCount, 4);
        QCOMPARE(facts->rank, 4);
        QCOMPARE(facts->steps, 2);
        QCOMPARE(QString::fromStdString(facts->dataPreparation), QStringLiteral("Data-Juicer: 4 of 4 kept"));
        QVERIFY(QString::fromStdString(facts->baseModelHash).startsWith(QStringLiteral("sha256:")));

        TrainingOptions k = o;
        k.sampleEvery = 0;
        k.format = LoraFileFormat::Kohya;
        k.outputPath = dir.filePath(QStringLiteral("style.safetensors")).toStdString();
        trainLora(k);
        const LoraInfo kohya = inspectLora(k.outputPath, 1.0, modelDir());
        QCOMPARE(QString::fromStdString(kohya.format), QStringLiteral("kohya"));
        QCOMPARE(*kohya.alpha, 4.0);

        Generator generator;
        ModelSettings settings;
        settings.modelDir = modelDir();
        settings.device = ComputeDevice::Cpu;
        generator.load(settings);
        GenerationRequest request;
        request.prompt = "二次元";
        request.steps = 2;
        request.width = request.height = 64;
        const GenerationResult plain = generator.generate(request);
        for (const std::string &path : {result.loraPath, k.outputPath}) {
            request.lora = {path, 1.0};
            const GenerationResult styled = generator.generate(request);
            QCOMPARE(styled.rgb.size(), plain.rgb.size());
            QVERIFY(styled.rgb != plain.rgb); // B != 0 after two steps: the LoRA changes the image
        }
    }

    void hostileDataSetsGetMessages_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QStringList>("images");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing image") << QByteArray("file_name,text\na.png,x\ngone.png,y\n") << QStringList{"a.png"}
                                       << "gone.png";
        QTest::newRow("broken quoting") << QByteArray("file_name,text\na.png,\"never closed\n") << QStringList{"a.png"}
                                        << "never closed";
        QTest::newRow("empty caption") << QByteArray("file_name,text\na.png,\n") << QStringList{"a.png"} << "empty text";
        QTest::newRow("outside the folder") << QByteArray("file_name,text\n../a.png,x\n") << QStringList{}
                                            << "outside the data folder";
        QTest::newRow("no columns") << QByteArray("image,caption\na.png,x\n") << QStringList{"a.png"}
                                    << "file_name and text";
        QTest::newRow("no rows") << QByteArray("file_name,text\n") << QStringList{} << "no rows";
    }
    void hostileDataSetsGetMessages()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QStringList, images);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString root = makeDataSet(dir, csv, images);
        try {
            inspectTrainingData(root.toStdString());
            QFAIL("accepted");
        } catch (const EngineError &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(message), e.what());
        }
    }

    void hostileImagesGetMessages()
    {
        QTemporaryDir dir;
        const QString root = makeDataSet(dir, "file_name,text\nempty.png,x\n", {});
        writeFile(root + QStringLiteral("/empty.png"), {});
        TrainingOptions o = goldenOptions("default_init_64", dir.filePath(QStringLiteral("o.ckpt")));
        o.dataDir = root.toStdString();
        QVERIFY2(trainingError(o).contains(QStringLiteral("empty.png")), qPrintable(trainingError(o)));
        // A PNG whose header claims 100000 x 100000 pixels is refused before anything is allocated.
        QFile source(QString::fromStdString(fixtureDir()) + QStringLiteral("/data/train/0.png"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray png = source.readAll();
        const char huge[8] = {0, 1, char(0x86), char(0xA0), 0, 1, char(0x86), char(0xA0)};
        png.replace(16, 8, QByteArray(huge, 8));
        writeFile(root + QStringLiteral("/empty.png"), png);
        const QString error = trainingError(o);
        QVERIFY2(error.contains(QStringLiteral("100000")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("o.ckpt"))));
    }
};

QTEST_APPLESS_MAIN(TestTraining)
#include "TestTraining.moc"
