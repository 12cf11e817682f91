// img2img, the hires fix and weighted prompts in the engine (refine-tiny README), on the path the studio's worker
// takes (the Generator facade) and inside the pipeline, where the generator draws, the noised start, every step's
// latents and the timesteps are checked against the reference.

#include "RefineGolden.h"

#include "engine/api/Generation.h"
#include "engine/api/Refine.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/diffusion/RefinePasses.h"
#include "engine/imaging/PilResample.h"

#include <QtTest>

using namespace studio::engine;

namespace {

std::string initPath(const nlohmann::json &c)
{
    return refine::dir() + "/" + c["init_image"].get<std::string>();
}

GenerationRequest requestFor(const nlohmann::json &c)
{
    GenerationRequest r;
    r.prompt = c["prompt"].get<std::string>();
    if (c.contains("negative_prompt") && !c["negative_prompt"].is_null())
        r.negativePrompt = c["negative_prompt"].get<std::string>();
    r.seed = c["seed"].get<uint64_t>();
    r.steps = c["steps"].get<int>();
    r.cfg = c["guidance_scale"].get<double>();
    r.sampler = c["sampler"].get<std::string>();
    r.width = c["width"].get<int>();
    r.height = c["height"].get<int>();
    if (c.contains("init_image")) {
        r.initImage = loadInitImage(initPath(c));
        r.strength = c["strength"].get<double>();
    }
    if (c.contains("hires_scale")) {
        r.hiresScale = c["hires_scale"].get<double>();
        r.hiresStrength = c["hires_strength"].get<double>();
        r.hiresSteps = c["hires_steps"].is_null() ? 0 : c["hires_steps"].get<int>();
    }
    return r;
}

SampleRequest sampleFor(const nlohmann::json &c)
{
    const GenerationRequest g = requestFor(c);
    SampleRequest s;
    s.prompt = g.prompt;
    if (!g.negativePrompt.empty())
        s.negativePrompt = g.negativePrompt;
    s.seed = g.seed;
    s.steps = g.steps;
    s.guidance = g.cfg;
    s.sampler = *samplerFromName(g.sampler);
    s.width = g.width;
    s.height = g.height;
    if (!g.initImage.isNull()) {
        s.initImage = g.initImage;
        s.strength = g.strength;
    }
    if (g.hiresScale > 0)
        s.hires = HiresOptions{g.hiresScale, g.hiresStrength, g.hiresSteps};
    return s;
}

at::Tensor stacked(const std::vector<at::Tensor> &tensors)
{
    return at::stack(tensors);
}

} // namespace

class TestRefineEngine : public QObject
{
    Q_OBJECT

    Generator m_generator;
    std::unique_ptr<KolorsPipeline> m_pipeline;

    void checkFacade(const nlohmann::json &c)
    {
        const QString id = refine::qs(c["id"]);
        GenerationRequest request = requestFor(c);
        request.keepLatents = true;
        int lastStep = 0, total = 0;
        request.onProgress = [&](int step, int steps) {
            lastStep = step;
            total = steps;
        };
        const GenerationResult r = m_generator.generate(request);
        const at::Tensor latents = at::from_blob(const_cast<float *>(r.latents.data()), r.latentShape, at::kFloat);
        QString why;
        QVERIFY2(refine::within(latents, refine::tensor(c["outputs"]["final_latents"]), 1e-4, 0.0, &why),
                 qPrintable(id + " latents: " + why));
        const at::Tensor u8 = at::from_blob(const_cast<uint8_t *>(r.rgb.data()), {r.height, r.width, 3}, at::kByte);
        QVERIFY2(refine::imageMatches(u8, refine::tensor(c["outputs"]["image_u8"]), &why),
                 qPrintable(id + " image: " + why));
        QCOMPARE(lastStep, total);
        QCOMPARE(total, r.denoisingSteps);
    }

    struct Trace
    {
        std::vector<at::Tensor> draws, timesteps, steps;
        PipelineCallbacks callbacks()
        {
            PipelineCallbacks c;
            c.noiseDrawn = [this](const at::Tensor &t) { draws.push_back(t.clone()); };
            c.unetCalled = [this](int, const at::Tensor &t, const at::Tensor &, const at::Tensor &) {
                timesteps.push_back(t.clone());
            };
            c.stepLatents = [this](int, const at::Tensor &x) { steps.push_back(x.cpu().clone()); };
            return c;
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        Generator::setThreads(1);
        ModelSettings settings;
        settings.modelDir = refine::modelDir();
        settings.device = ComputeDevice::Cpu;
        m_generator.load(settings);
        m_pipeline = KolorsPipeline::load(refine::modelDir(), PipelineOptions{});
    }

    void img2imgThroughTheFacade_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["img2img"].size(); ++i)
            QTest::newRow(refine::cases()["img2img"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void img2imgThroughTheFacade()
    {
        QFETCH(int, index);
        checkFacade(refine::cases()["img2img"][size_t(index)]);
    }

    void img2imgStepByStep_data() { img2imgThroughTheFacade_data(); }
    void img2imgStepByStep()
    {
        QFETCH(int, index);
        const auto &c = refine::cases()["img2img"][size_t(index)];
        const auto &out = c["outputs"];
        const QString id = refine::qs(c["id"]);
        QString why;
        const SampleRequest request = sampleFor(c);
        // The init image as the VAE sees it (Lanczos when the sizes differ).
        const at::Tensor input = initImageTensor(*request.initImage, request.width, request.height);
        QVERIFY2(refine::within(input, refine::tensor(out["vae_input"]), 0.0, 1.0, &why), qPrintable(id + ": " + why));

        Trace trace;
        const PipelineResult r = m_pipeline->generate(request, trace.callbacks());
        QVERIFY2(refine::within(stacked(trace.draws), refine::tensor(out["randn_draws"]), 1e-6, 1.0, &why),
                 qPrintable(id + " draws: " + why));
        const at::Tensor timesteps = stacked(trace.timesteps);
        QVERIFY2(
            refine::within(timesteps.to(at::kDouble), refine::tensor(out["timesteps"]).to(at::kDouble), 0.0, 1.0, &why),
            qPrintable(id + " timesteps: " + why));
        QCOMPARE(int(trace.steps.size()), c["denoising_steps"].get<int>());
        QVERIFY2(refine::within(stacked(trace.steps), refine::tensor(out["step_latents"]), 1e-4, 0.0, &why),
                 qPrintable(id + " step latents: " + why));
        QVERIFY2(refine::within(r.imageFloat, refine::tensor(out["image_float"]), 1e-4, 1.0, &why),
                 qPrintable(id + " image_float: " + why));
    }

    void lanczosResizeMatchesPillow()
    {
        for (const auto &c : refine::cases()["img2img"]) {
            const RgbImage image = loadInitImage(initPath(c));
            const RgbImage sized =
                resizeLikePil(image, c["width"].get<int>(), c["height"].get<int>(), PilFilter::Lanczos);
            const at::Tensor ref = refine::tensor(c["outputs"]["init_image_u8"]);
            const at::Tensor ours =
                at::from_blob(const_cast<uint8_t *>(sized.pixels.data()), {sized.height, sized.width, 3}, at::kByte);
            QVERIFY2(ours.equal(ref), c["id"].get<std::string>().c_str());
        }
    }

    void hiresThroughTheFacade_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < refine::cases()["hires"].size(); ++i)
            QTest::newRow(refine::cases()["hires"][i]["id"].get<std::string>().c_str()) << int(i);
    }
    void hiresThroughTheFacade()
    {
        QFETCH(int, index);
        checkFacade(refine::cases()["hires"][size_t(index)]);
    }

    void hiresStepByStep_data() { hiresThroughTheFacade_data(); }
    void hiresStepByStep()
    {
        QFETCH(int, index);
        const auto &c = refine::cases()["hires"][size_t(index)];
        const auto &out = c["outputs"];
        const QString id = refine::qs(c["id"]);
        QString why;
        Trace trace;
        const PipelineResult r = m_pipeline->generate(sampleFor(c), trace.callbacks());
        // Each pass draws from its own generator seeded with the seed: pass 1 at the base size, pass 2 at the hires
        // size.
        const at::Tensor pass1Draws = refine::tensor(out["pass1_randn_draws"]);
        const size_t firstDraws = size_t(pass1Draws.size(0));
        QCOMPARE(trace.draws.size(), firstDraws + size_t(refine::tensor(out["pass2_randn_draws"]).size(0)));
        const std::vector<at::Tensor> drawsOf1(trace.draws.begin(), trace.draws.begin() + std::ptrdiff_t(firstDraws));
        const std::vector<at::Tensor> drawsOf2(trace.draws.begin() + std::ptrdiff_t(firstDraws), trace.draws.end());
        QVERIFY2(refine::within(stacked(drawsOf1), pass1Draws, 1e-6, 1.0, &why), qPrintable(id + " draws 1: " + why));
        QVERIFY2(refine::within(stacked(drawsOf2), refine::tensor(out["pass2_randn_draws"]), 1e-6, 1.0, &why),
                 qPrintable(id + " draws 2: " + why));
        const at::Tensor timesteps = at::cat({refine::tensor(out["pass1_timesteps"]).to(at::kDouble),
                                              refine::tensor(out["pass2_timesteps"]).to(at::kDouble)});
        QVERIFY2(refine::within(stacked(trace.timesteps).to(at::kDouble), timesteps, 0.0, 1.0, &why),
                 qPrintable(id + " timesteps: " + why));
        const int firstPass = c["steps"].get<int>();
        const at::Tensor pass1 = trace.steps[size_t(firstPass - 1)];
        QVERIFY2(refine::within(pass1, refine::tensor(out["pass1_final_latents"]), 1e-4, 0.0, &why),
                 qPrintable(id + " pass 1: " + why));
        const auto &hw = c["upscaled_latent_hw"];
        const at::Tensor upscaled = upscaleLatents(pass1, hw[0].get<int64_t>(), hw[1].get<int64_t>());
        QVERIFY2(refine::within(upscaled, refine::tensor(out["upscaled_latents"]), 1e-5, 0.0, &why),
                 qPrintable(id + " upscaled: " + why));
        const std::vector<at::Tensor> second(trace.steps.begin() + firstPass, trace.steps.end());
        QVERIFY2(refine::within(stacked(second), refine::tensor(out["pass2_step_latents"]), 1e-4, 0.0, &why),
                 qPrintable(id + " pass 2 steps: " + why));
        QCOMPARE(int(r.image.size(0)), c["output_hw"][0].get<int>());
        QCOMPARE(int(r.image.size(1)), c["output_hw"][1].get<int>());
    }

    void weightedGenerateThroughTheFacade()
    {
        for (const auto &c : refine::cases()["generate_weighted"])
            checkFacade(c);
    }

    void weightedPromptsReachTheUNet()
    {
        for (const auto &c : refine::cases()["generate_weighted"]) {
            const Conditioning conditioning = m_pipeline->encodePrompts(sampleFor(c));
            const at::Tensor embeds = conditioning.encoderHiddenStates; // [negative, positive]
            QString why;
            QVERIFY2(
                refine::within(embeds[1].unsqueeze(0), refine::tensor(c["outputs"]["prompt_embeds"]), 2e-5, 1.0, &why),
                qPrintable(why));
            QVERIFY2(refine::within(embeds[0].unsqueeze(0), refine::tensor(c["outputs"]["negative_prompt_embeds"]),
                                    2e-5, 1.0, &why),
                     qPrintable(why));
        }
    }

    void stepsAndSizesFollowTheContract()
    {
        QCOMPARE(denoisingSteps(6, 0.6), 3);
        QCOMPARE(denoisingSteps(10, 0.15), 1);
        QCOMPARE(denoisingSteps(4, 0.2), 0);
        QCOMPARE(denoisingSteps(4, 1.0), 4);
        for (const auto &c : refine::cases()["hires"]) {
            const HiresSize size =
                hiresSize(c["width"].get<int>(), c["height"].get<int>(), c["hires_scale"].get<double>());
            QCOMPARE(size.height, c["output_hw"][0].get<int>());
            QCOMPARE(size.width, c["output_hw"][1].get<int>());
            const int steps = c["hires_steps_effective"].get<int>();
            QCOMPARE(denoisingSteps(steps, c["hires_strength"].get<double>()), c["pass2_denoising_steps"].get<int>());
        }
        const HiresSize truncated = hiresSize(56, 64, 1.42);
        QCOMPARE(truncated.width, 72);
        QCOMPARE(truncated.height, 88);
    }

    void refusalsNameTheProblem()
    {
        GenerationRequest r = requestFor(refine::cases()["img2img"][0]);
        auto refused = [&](const GenerationRequest &request, const char *word) {
            try {
                m_generator.validate(request);
            } catch (const EngineError &e) {
                return e.code() == EngineError::Code::BadArgument &&
                       std::string(e.what()).find(word) != std::string::npos;
            }
            return false;
        };
        GenerationRequest bad = r;
        bad.strength = 1.5;
        QVERIFY(refused(bad, "strength"));
        bad.strength = 0.1; // int(6 x 0.1) = 0
        QVERIFY(refused(bad, "no denoising step"));
        bad = r;
        bad.hiresScale = 2.0;
        QVERIFY(refused(bad, "together"));
        bad = requestFor(refine::cases()["hires"][0]);
        bad.hiresStrength = 0.1;
        QVERIFY(refused(bad, "no denoising step"));
        bad.hiresStrength = 0.5;
        bad.hiresScale = 100.0;
        QVERIFY(refused(bad, "beyond"));
        bad.hiresScale = -1.0;
        QVERIFY(refused(bad, "positive"));
        bad = r;
        bad.prompt = "a (cat:1.2.3)";
        QVERIFY(refused(bad, "not a number"));
    }
};

QTEST_GUILESS_MAIN(TestRefineEngine)
#include "TestRefineEngine.moc"
