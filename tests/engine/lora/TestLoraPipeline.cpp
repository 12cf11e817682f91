// The golden LoRA run `lora_euler_cfg_64x64` (= euler_cfg_64x64 with the LoRA merged at s = 0.75) through the real
// KolorsPipeline, with both file formats: kohya at --lora-scale 1.0 (alpha 3 / rank 4) and DiffSynth at 0.75.
// Tolerances are the golden README's pipeline ones. Taking the LoRA out again gives the plain run bit for bit.
#include "LoraTestSupport.h"

#include "engine/api/LoraApi.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/io/TensorStore.h"

#include <torch/torch.h>

#include <QtTest>

using namespace studio::engine;
using namespace lora_test;

namespace {

nlohmann::json loraRun()
{
    const nlohmann::json cases = loadCases(); // kept alive: the loop walks inside it
    for (const auto &run : cases["pipeline"])
        if (run.value("lora", false))
            return run;
    return {};
}

double maxAbs(const at::Tensor &t)
{
    return t.to(at::kDouble).abs().max().item<double>();
}

SampleRequest requestFor(const nlohmann::json &run)
{
    SampleRequest request;
    request.prompt = run["prompt"].get<std::string>();
    if (!run["negative_prompt"].is_null())
        request.negativePrompt = run["negative_prompt"].get<std::string>();
    request.seed = run["seed"].get<uint64_t>();
    request.steps = run["num_inference_steps"].get<int>();
    request.guidance = run["guidance_scale"].get<double>();
    request.sampler = *samplerFromName(run["scheduler"].get<std::string>());
    request.width = run["width"].get<int>();
    request.height = run["height"].get<int>();
    return request;
}

struct Run
{
    PipelineResult result;
    std::vector<at::Tensor> stepLatents;
};

} // namespace

class TestLoraPipeline : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<KolorsPipeline> m_pipeline;
    nlohmann::json m_run;

    Run generate(const LoraSpec &lora = {})
    {
        Run run;
        PipelineCallbacks callbacks;
        callbacks.stepLatents = [&](int, const at::Tensor &x) { run.stepLatents.push_back(x.cpu().clone()); };
        SampleRequest request = requestFor(m_run);
        request.lora = lora;
        run.result = m_pipeline->generate(request, callbacks);
        return run;
    }

    void compareWithGolden(const Run &run, const QString &what)
    {
        const auto &outputs = m_run["outputs"];
        const at::Tensor steps = expectedTensor(outputs["step_latents"].get<std::string>());
        QCOMPARE(int64_t(run.stepLatents.size()), steps.size(0));
        for (size_t i = 0; i < run.stepLatents.size(); ++i) {
            const at::Tensor ref = steps[int64_t(i)];
            const double diff = maxAbs(run.stepLatents[i] - ref);
            QVERIFY2(diff <= 1e-4 * maxAbs(ref), qPrintable(what + QString(" step %1 latents: %2").arg(i).arg(diff)));
        }
        const at::Tensor finalRef = expectedTensor(outputs["final_latents"].get<std::string>());
        const double finalDiff = maxAbs(run.result.finalLatents - finalRef);
        QVERIFY2(finalDiff <= 1e-4 * maxAbs(finalRef), qPrintable(what + QString(" final latents: %1").arg(finalDiff)));
        const at::Tensor imageRef = expectedTensor(outputs["image_float"].get<std::string>());
        const double imageDiff = maxAbs(run.result.imageFloat - imageRef);
        QVERIFY2(imageDiff <= 1e-4, qPrintable(what + QString(" image_float: %1").arg(imageDiff)));
        const at::Tensor u8 = run.result.image.to(at::kInt);
        const at::Tensor u8Ref = expectedTensor(outputs["image_u8"].get<std::string>()).to(at::kInt);
        QVERIFY2(maxAbs(u8 - u8Ref) <= 1.0, qPrintable(what + " image_u8 differs by more than one level"));
        QVERIFY2((u8 == u8Ref).to(at::kDouble).mean().item<double>() >= 0.99,
                 qPrintable(what + " image_u8: fewer than 99% of values exact"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(1);
        m_run = loraRun();
        QVERIFY2(!m_run.is_null(), "cases.json has no pipeline run with \"lora\": true");
        m_pipeline = KolorsPipeline::load(goldenDir(), KolorsPipeline::defaultOptions(c10::kCPU));
    }

    void bothFormatsReproduceTheGoldenRun()
    {
        const auto lora = loadCases()["lora"];
        const double effective = m_run["lora_effective_scale"].get<double>();
        QCOMPARE(effective, lora["effective_scale"].get<double>());
        const Run plain = generate();

        struct File
        {
            std::string path;
            double scale;
            std::string format;
        };
        const std::vector<File> files = {
            {goldenDir() + "/" + lora["files"]["kohya_safetensors"].get<std::string>(),
             lora["kohya_multiplier"].get<double>(), "kohya"},
            {goldenDir() + "/" + lora["files"]["diffsynth_ckpt"].get<std::string>(),
             lora["diffsynth_lora_alpha"].get<double>(), "diffsynth"},
        };
        for (const File &file : files) {
            QCOMPARE(*inspectLora(file.path, file.scale).effectiveScale, effective);
            const Run run = generate(LoraSpec{file.path, file.scale});
            compareWithGolden(run, QString::fromStdString(file.path));
            QCOMPARE(run.result.loraFormat, file.format);
            QCOMPARE(run.result.loraEffectiveScaleMin, effective);
            QCOMPARE(run.result.loraEffectiveScaleMax, effective);
            // The same LoRA again is not merged twice (a second merge would double the delta).
            compareWithGolden(generate(LoraSpec{file.path, file.scale}), QString::fromStdString(file.path) + " again");
        }

        // Without the LoRA the run is the plain one again, bit for bit, and it is not the LoRA run.
        const Run again = generate();
        QVERIFY(again.result.loraFormat.empty());
        QVERIFY(torch::equal(again.result.finalLatents, plain.result.finalLatents));
        QVERIFY(torch::equal(again.result.image, plain.result.image));
        const at::Tensor finalRef = expectedTensor(m_run["outputs"]["final_latents"].get<std::string>());
        QVERIFY(maxAbs(plain.result.finalLatents - finalRef) > 1e-2 * maxAbs(finalRef));
    }

    // Low-memory CPU mode gives back the UNet's mapped pages before each text encoding (issue 16); the weights the
    // LoRA merge wrote to are private copies and must survive that, or the run would silently lose the LoRA.
    void lowMemoryModeKeepsTheMergedLora()
    {
        PipelineOptions options = KolorsPipeline::defaultOptions(c10::kCPU);
        options.releaseTextEncoder = true;
        m_pipeline = KolorsPipeline::load(goldenDir(), options);
        const auto lora = loadCases()["lora"];
        const LoraSpec spec{goldenDir() + "/" + lora["files"]["kohya_safetensors"].get<std::string>(),
                            lora["kohya_multiplier"].get<double>()};
        compareWithGolden(generate(spec), "low-memory mode");
        SampleRequest other = requestFor(m_run);
        other.prompt += ", at night"; // encoding again: the pages are given back once more, the LoRA stays merged
        other.lora = spec;
        m_pipeline->generate(other);
        compareWithGolden(generate(spec), "low-memory mode, after another prompt");
    }
};

QTEST_APPLESS_MAIN(TestLoraPipeline)
#include "TestLoraPipeline.moc"
