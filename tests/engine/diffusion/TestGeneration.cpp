// The torch-free facade (engine/api/Generation.h) as the CLI and the worker use it.

#include "GoldenData.h"

#include "engine/api/Generation.h"
#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"

#include <QTemporaryDir>

#include <filesystem>

using namespace studio::engine;

namespace {

const nlohmann::json &goldenRun(const std::string &id)
{
    for (const auto &run : golden::cases()["pipeline"])
        if (run["id"] == id)
            return run;
    throw std::runtime_error("no golden run " + id);
}

GenerationRequest requestFor(const nlohmann::json &run)
{
    GenerationRequest r;
    r.prompt = run["prompt"].get<std::string>();
    r.negativePrompt = run["negative_prompt"].is_null() ? std::string() : run["negative_prompt"].get<std::string>();
    r.seed = run["seed"].get<uint64_t>();
    r.steps = run["num_inference_steps"].get<int>();
    r.cfg = run["guidance_scale"].get<double>();
    r.sampler = run["scheduler"].get<std::string>();
    r.width = run["width"].get<int>();
    r.height = run["height"].get<int>();
    return r;
}

ModelSettings tinyOnCpu()
{
    ModelSettings s;
    s.modelDir = golden::modelDir();
    s.device = ComputeDevice::Cpu;
    return s;
}

EngineError::Code errorCode(const std::function<void()> &body)
{
    try {
        body();
    } catch (const EngineError &error) {
        return error.code();
    }
    return EngineError::Code::Internal; // "no error" marker: no test expects Internal
}

} // namespace

class TestGeneration : public QObject
{
    Q_OBJECT

    Generator m_generator;

private Q_SLOTS:
    void initTestCase()
    {
        Generator::setThreads(1);
        m_generator.load(tinyOnCpu());
        QVERIFY(m_generator.isLoaded());
    }

    void matchesGoldenAndReportsParameters()
    {
        const auto &run = goldenRun("euler_cfg_64x64");
        GenerationRequest request = requestFor(run);
        request.keepLatents = true;
        int progressCalls = 0;
        request.onProgress = [&](int, int steps) {
            ++progressCalls;
            QCOMPARE(steps, request.steps);
        };
        const GenerationResult r = m_generator.generate(request);
        QCOMPARE(progressCalls, request.steps);
        // Every reported parameter is the fixture's (hidden checks use other sizes, seeds and samplers).
        QCOMPARE(r.width, run["width"].get<int>());
        QCOMPARE(r.height, run["height"].get<int>());
        QCOMPARE(r.seed, run["seed"].get<uint64_t>());
        QCOMPARE(r.steps, run["num_inference_steps"].get<int>());
        QCOMPARE(r.cfg, run["guidance_scale"].get<double>());
        QCOMPARE(r.sampler, run["scheduler"].get<std::string>());
        QVERIFY(r.cfgApplied);
        QCOMPARE(r.device, std::string("cpu"));
        QCOMPARE(r.precision, std::string("fp32"));
        QCOMPARE(r.prompt, request.prompt);
        QCOMPARE(r.negativePrompt, request.negativePrompt);
        QCOMPARE(r.model, golden::modelDir());
        QCOMPARE(int(r.timings.stepMs.size()), r.steps);
        QVERIFY(r.timings.medianStepMs() >= 0);

        const at::Tensor latents = at::tensor(r.latents).reshape(r.latentShape);
        const at::Tensor ref = golden::tensor(run["outputs"]["final_latents"]);
        GOLDEN_NEAR(latents, ref, 1e-4 * golden::maxAbs(ref), "final latents");
        const at::Tensor rgb =
            at::from_blob(const_cast<uint8_t *>(r.rgb.data()), {r.height, r.width, 3}, at::kByte).to(at::kInt);
        GOLDEN_NEAR(rgb, golden::tensor(run["outputs"]["image_u8"]).to(at::kInt), 1.0, "image_u8");
    }

    void keepsTheModelForEqualSettings()
    {
        const GenerationRequest request = requestFor(goldenRun("euler_nocfg_64x96"));
        m_generator.generate(request);
        m_generator.load(tinyOnCpu()); // same settings: nothing reloads, the prompt cache survives
        const GenerationResult cached = m_generator.generate(request);
        QCOMPARE(cached.timings.promptsEncoded, 0);
        QCOMPARE(cached.timings.textEncodeMs, 0.0);
        // The memory switches change no weights: the loaded model takes them, its prompt cache survives.
        ModelSettings tiled = tinyOnCpu();
        tiled.vaeTiling = Switch::On;
        tiled.releaseTextEncoder = Switch::On;
        m_generator.load(tiled);
        QVERIFY(m_generator.settings() == tiled);
        QCOMPARE(m_generator.generate(request).timings.promptsEncoded, 0);
        // Another folder is another model: a fresh pipeline encodes again.
        QTemporaryDir tmp;
        const std::string link = (tmp.path() + "/kolors-link").toStdString();
        std::filesystem::create_directory_symlink(tinyOnCpu().modelDir, link);
        ModelSettings other = tinyOnCpu();
        other.modelDir = link;
        m_generator.load(other);
        QCOMPARE(m_generator.generate(request).timings.promptsEncoded, 1); // guidance 1: the prompt only
        m_generator.load(tinyOnCpu());
    }

    // An out-of-memory retry decodes the latents it has: here the run is cancelled just before decoding, which
    // leaves them the same way. Decoding them again gives the full run's image without a single step.
    // Quitting never waits for a whole model to load: the flag is polled between the tensors, and the first
    // poll that says yes ends the load with nothing half-loaded.
    void loadingLooksAtTheCancelFlag()
    {
        Generator generator;
        int polls = 0;
        try {
            generator.load(tinyOnCpu(), [&] { return ++polls > 3; });
            QFAIL("not cancelled");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::Cancelled);
        }
        QCOMPARE(polls, 4);
        QVERIFY(!generator.isLoaded());
    }

    // Decoding looks at the flag between the VAE's blocks, not only before it starts.
    void decodingLooksAtTheCancelFlag()
    {
        GenerationRequest request = requestFor(goldenRun("euler_a_cfg_64x64"));
        int steps = 0, pollsAfterSampling = 0;
        request.onProgress = [&](int, int) { ++steps; };
        // The poll before decoding answers no, the first one inside the VAE yes.
        request.isCancelled = [&] { return steps == request.steps && ++pollsAfterSampling > 1; };
        try {
            m_generator.generate(request);
            QFAIL("not cancelled");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::Cancelled);
            QVERIFY2(std::string(e.what()).find("while decoding") != std::string::npos, e.what());
        }
        QCOMPARE(pollsAfterSampling, 2);
        QVERIFY(m_generator.hasUndecodedImage()); // an out-of-memory retry could decode them again
        request.isCancelled = nullptr;
        m_generator.generate(request); // a new run forgets them
        QVERIFY(!m_generator.hasUndecodedImage());
    }

    void decodeAgainUsesTheSampledLatents()
    {
        GenerationRequest request = requestFor(goldenRun("euler_a_cfg_64x64"));
        const GenerationResult whole = m_generator.generate(request);
        QVERIFY(!m_generator.hasUndecodedImage());
        int steps = 0;
        request.onProgress = [&](int, int) { ++steps; };
        request.isCancelled = [&] { return steps == request.steps; }; // after the last step, before the VAE
        try {
            m_generator.generate(request);
            QFAIL("not cancelled");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::Cancelled);
        }
        QVERIFY(m_generator.hasUndecodedImage());
        request.isCancelled = nullptr;
        steps = 0;
        const GenerationResult again = m_generator.decodeAgain(request);
        QCOMPARE(steps, 0);
        QVERIFY(again.rgb == whole.rgb);
        QCOMPARE(again.seed, whole.seed);
        QVERIFY(!m_generator.hasUndecodedImage());
    }

    void sameSeedSameBytes()
    {
        GenerationRequest request = requestFor(goldenRun("euler_a_cfg_64x64"));
        const GenerationResult a = m_generator.generate(request);
        const GenerationResult b = m_generator.generate(request);
        QVERIFY(a.rgb == b.rgb);
    }

    void previewsEveryNSteps()
    {
        GenerationRequest request = requestFor(goldenRun("dpmpp_2m_karras_nocfg_64x96"));
        std::vector<PreviewImage> previews;
        request.previewEvery = 2;
        request.onPreview = [&](const PreviewImage &p) { previews.push_back(p); };
        m_generator.generate(request);
        QCOMPARE(int(previews.size()), request.steps / 2);
        QCOMPARE(previews.front().step, 2);
        QCOMPARE(previews.front().width, 12);
        QCOMPARE(previews.front().height, 8);
        QCOMPARE(previews.front().rgb.size(), size_t(12 * 8 * 3));
    }

    void cancelThrowsCancelled()
    {
        GenerationRequest request = requestFor(goldenRun("ddim_cfg_64x64"));
        int last = 0;
        request.onProgress = [&](int step, int) { last = step; };
        request.isCancelled = [&] { return last >= 2; };
        QCOMPARE(errorCode([&] { m_generator.generate(request); }), EngineError::Code::Cancelled);
        QCOMPARE(last, 2);
    }

    void absurdRequestsAreRefused()
    {
        GenerationRequest good = requestFor(goldenRun("euler_cfg_64x64"));
        auto refused = [&](const std::function<void(GenerationRequest &)> &change) {
            GenerationRequest r = good;
            change(r);
            Generator unloaded; // validate works before any model is loaded, too
            return errorCode([&] { unloaded.validate(r); }) == EngineError::Code::BadArgument &&
                   errorCode([&] { m_generator.generate(r); }) == EngineError::Code::BadArgument;
        };
        QVERIFY(refused([](GenerationRequest &r) { r.sampler = "heun"; }));
        QVERIFY(refused([](GenerationRequest &r) { r.width = 0; }));
        QVERIFY(refused([](GenerationRequest &r) { r.height = 100; }));
        QVERIFY(refused([](GenerationRequest &r) { r.width = 1 << 20; }));
        QVERIFY(refused([](GenerationRequest &r) { r.steps = 0; }));
        QVERIFY(refused([](GenerationRequest &r) { r.steps = 1000000; }));
        QVERIFY(refused([](GenerationRequest &r) { r.cfg = std::nan(""); }));
        QVERIFY(refused([](GenerationRequest &r) { r.cfg = -HUGE_VAL; }));
        Generator empty;
        QCOMPARE(errorCode([&] { empty.generate(good); }), EngineError::Code::BadArgument);
    }

    void deviceAndPrecisionChoices()
    {
        if (!Generator::cudaAvailable()) {
            ModelSettings cuda = tinyOnCpu();
            cuda.device = ComputeDevice::Cuda;
            Generator g;
            QCOMPARE(errorCode([&] { g.load(cuda); }), EngineError::Code::Unsupported);
        }
        ModelSettings halfOnCpu = tinyOnCpu();
        halfOnCpu.precision = ComputePrecision::Float16;
        Generator g;
        QCOMPARE(errorCode([&] { g.load(halfOnCpu); }), EngineError::Code::BadArgument);
        ModelSettings missing = tinyOnCpu();
        missing.modelDir = golden::modelDir() + "/no-such-folder";
        QCOMPARE(errorCode([&] { g.load(missing); }), EngineError::Code::MissingFile);
        QVERIFY(!g.isLoaded());

        ComputeDevice device;
        QVERIFY(parseComputeDevice("cuda", &device) && device == ComputeDevice::Cuda);
        QVERIFY(!parseComputeDevice("gpu", &device));
        ComputePrecision precision;
        QVERIFY(parseComputePrecision("fp16", &precision) && precision == ComputePrecision::Float16);
        QVERIFY(!parseComputePrecision("half", &precision));
    }

    void randomTinyModelRuns()
    {
        Generator g;
        g.loadRandom("tiny", ComputeDevice::Cpu, ComputePrecision::Auto, true);
        GenerationRequest r;
        r.prompt = "ignored";
        r.steps = 2;
        r.width = 48;
        r.height = 40;
        const GenerationResult result = g.generate(r);
        QCOMPARE(result.rgb.size(), size_t(48 * 40 * 3));
        QCOMPARE(result.model, std::string("random-tiny"));
        QCOMPARE(errorCode([&] { g.loadRandom("huge", ComputeDevice::Cpu, ComputePrecision::Auto); }),
                 EngineError::Code::BadArgument);
    }

    void writesLatentsFile()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/l.safetensors").toStdString();
        const std::vector<float> values{1.5f, -2.0f, 0.25f, 4.0f, 5.0f, 6.0f};
        Generator::writeLatents(path, values, {1, 1, 2, 3});
        const auto file = SafetensorsFile::open(path);
        const at::Tensor t = file->tensor("latents");
        QCOMPARE(t.scalar_type(), at::kFloat);
        QCOMPARE(t.sizes(), (at::IntArrayRef{1, 1, 2, 3}));
        QCOMPARE(t[0][0][1][2].item<float>(), 6.0f);
        QCOMPARE(errorCode([&] { Generator::writeLatents(path, values, {1, 5}); }), EngineError::Code::BadArgument);
    }
};

QTEST_APPLESS_MAIN(TestGeneration)
#include "TestGeneration.moc"
