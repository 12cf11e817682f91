// Device placement (issue 16 points 2 and 4) on the CPU: UNet block streaming visits the blocks in order and
// changes no bit of the output, the text encoder's device is a choice that changes nothing on a CPU run, the
// placement rule, and the refusals of choices this machine cannot serve.

#include "GoldenData.h"

#include "engine/api/Generation.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/KolorsDefaults.h"
#include "engine/diffusion/RandomWeights.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/memory/BlockOffload.h"
#include "engine/memory/DevicePlacement.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

using namespace studio::engine;

namespace {

ModelSettings tinyOnCpu()
{
    ModelSettings s;
    s.modelDir = golden::modelDir();
    s.device = ComputeDevice::Cpu;
    return s;
}

GenerationRequest cfgRequest()
{
    // A golden run with CFG, so both the prompt and the negative prompt are encoded and moved.
    for (const auto &run : golden::cases()["pipeline"]) {
        if (run["guidance_scale"].get<double>() > 1.0 && !run["lora"].get<bool>()) {
            GenerationRequest r;
            r.prompt = run["prompt"].get<std::string>();
            r.seed = run["seed"].get<uint64_t>();
            r.steps = run["num_inference_steps"].get<int>();
            r.cfg = run["guidance_scale"].get<double>();
            r.sampler = run["scheduler"].get<std::string>();
            r.width = run["width"].get<int>();
            r.height = run["height"].get<int>();
            r.keepLatents = true;
            return r;
        }
    }
    throw std::runtime_error("no golden run with CFG");
}

// The UNet of the tiny fixture config with random weights, and inputs of the shapes it takes.
struct TinyUNet
{
    std::shared_ptr<UNet2DConditionModel> unet;
    at::Tensor sample, timestep, context, pooled, timeIds;

    TinyUNet()
    {
        unet = std::make_shared<UNet2DConditionModel>(
            UNetConfig::fromJson(builtInUNetConfig(BuiltInModel::Tiny), "built-in tiny UNet config"));
        fillRandomWeights(*unet, at::kFloat, c10::Device(c10::kCPU), 7);
        unet->eval();
        const UNetConfig &c = unet->config();
        at::manual_seed(3);
        sample = at::randn({1, c.inChannels, 16, 16});
        timestep = at::full({1}, 500.0, at::kFloat);
        context = at::randn({1, 5, c.textHiddenSize()});
        pooled = at::randn({1, c.projectionClassEmbeddingsInputDim - 6 * c.additionTimeEmbedDim});
        timeIds = at::tensor({128.0f, 128.0f, 0.0f, 0.0f, 128.0f, 128.0f}).unsqueeze(0);
    }
    at::Tensor forward() const { return unet->forward(sample, timestep, context, pooled, timeIds); }
};

// Records enter/leave, and can fail a stage on purpose.
class CountingHook : public UNetStageHook
{
public:
    std::vector<std::string> events;
    size_t failAt = size_t(-1);
    c10::Device computeDevice() const override { return c10::Device(c10::kCPU); }
    void enter(size_t stage) override
    {
        events.push_back("enter " + std::to_string(stage));
        if (stage == failAt)
            throw EngineError(EngineError::Code::Internal, "test failure in stage " + std::to_string(stage));
    }
    void leave(size_t stage) override { events.push_back("leave " + std::to_string(stage)); }
};

EngineError::Code errorCode(const std::function<void()> &body, std::string *message = nullptr)
{
    try {
        body();
    } catch (const EngineError &error) {
        if (message)
            *message = error.what();
        return error.code();
    }
    return EngineError::Code::Internal; // "no error" marker: no test expects Internal
}

} // namespace

class TestOffload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Generator::setThreads(1); }

    void stagesFollowTheConfig()
    {
        const TinyUNet tiny;
        const UNetConfig &c = tiny.unet->config();
        std::vector<std::string> expected{"input"};
        for (size_t i = 0; i < c.blockOutChannels.size(); ++i)
            expected.push_back("down_blocks." + std::to_string(i));
        expected.push_back("mid_block");
        for (size_t i = 0; i < c.blockOutChannels.size(); ++i)
            expected.push_back("up_blocks." + std::to_string(i));
        expected.push_back("output");
        const std::vector<UNetStage> stages = tiny.unet->stages();
        std::vector<std::string> names;
        int64_t streamed = 0;
        for (const UNetStage &stage : stages) {
            names.push_back(stage.name);
            for (const auto &module : stage.modules)
                for (const at::Tensor &p : module->parameters())
                    streamed += p.numel();
        }
        QVERIFY(names == expected);
        // Every weight of the UNet belongs to exactly one stage: nothing is left behind on the host.
        int64_t all = 0;
        for (const at::Tensor &p : tiny.unet->parameters())
            all += p.numel();
        QCOMPARE(streamed, all);
    }

    void hookBracketsEveryStageInOrder()
    {
        torch::NoGradGuard noGrad;
        TinyUNet tiny;
        auto hook = std::make_shared<CountingHook>();
        tiny.unet->setStageHook(hook);
        tiny.forward();
        const size_t stages = tiny.unet->stages().size();
        QCOMPARE(hook->events.size(), 2 * stages);
        for (size_t i = 0; i < stages; ++i) {
            QCOMPARE(hook->events[2 * i], "enter " + std::to_string(i));
            QCOMPARE(hook->events[2 * i + 1], "leave " + std::to_string(i));
        }
        // A stage that fails is still left (its weights go back), and nothing after it runs.
        hook->events.clear();
        hook->failAt = 2;
        QCOMPARE(errorCode([&] { tiny.forward(); }), EngineError::Code::Internal);
        const std::vector<std::string> failed{"enter 0", "leave 0", "enter 1", "leave 1", "enter 2", "leave 2"};
        QVERIFY(hook->events == failed);
    }

    void streamedForwardIsBitIdenticalAndPutsTheWeightsBack()
    {
        torch::NoGradGuard noGrad;
        TinyUNet tiny;
        const at::Tensor resident = tiny.forward();
        std::vector<const void *> storage;
        for (const at::Tensor &p : tiny.unet->parameters())
            storage.push_back(p.data_ptr());

        auto offload = std::make_shared<BlockOffload>(tiny.unet->stages(), c10::Device(c10::kCPU));
        std::vector<std::string> visited;
        offload->onEnter = [&](size_t, const std::string &name) { visited.push_back(name); };
        tiny.unet->setStageHook(offload);
        QVERIFY(tiny.unet->device() == c10::Device(c10::kCPU));
        const at::Tensor streamed = tiny.forward();
        const at::Tensor again = tiny.forward();

        QVERIFY(at::equal(resident, streamed));
        QVERIFY(at::equal(resident, again));
        std::vector<std::string> expected;
        for (const UNetStage &stage : tiny.unet->stages())
            expected.push_back(stage.name);
        std::vector<std::string> twice = expected;
        twice.insert(twice.end(), expected.begin(), expected.end());
        QVERIFY(visited == twice);
        // After the passes every weight is back in its own host storage.
        size_t i = 0;
        for (const at::Tensor &p : tiny.unet->parameters())
            QVERIFY(p.data_ptr() == storage[i++]);
    }

    void generateWithBlockOffloadIsBitIdentical()
    {
        const GenerationRequest request = cfgRequest();
        Generator plain;
        plain.load(tinyOnCpu());
        const GenerationResult a = plain.generate(request);

        ModelSettings streamed = tinyOnCpu();
        streamed.unetOffload = UNetOffload::Blocks;
        Generator offloaded;
        offloaded.load(streamed);
        const GenerationResult b = offloaded.generate(request);
        QVERIFY(a.rgb == b.rgb);
        QVERIFY(a.latents == b.latents);
        QCOMPARE(b.device, a.device);
    }

    void textEncoderOnTheCpuEqualsTheDefault()
    {
        GenerationRequest request = cfgRequest();
        Generator plain;
        plain.load(tinyOnCpu());
        const GenerationResult a = plain.generate(request);
        QCOMPARE(a.textEncoderDevice, a.device);

        ModelSettings onCpu = tinyOnCpu();
        onCpu.textEncoderDevice = ComputeDevice::Cpu;
        Generator g;
        g.load(onCpu);
        const GenerationResult b = g.generate(request);
        QVERIFY(a.rgb == b.rgb);
        QCOMPARE(b.textEncoderDevice, std::string("cpu"));
        // The prompt cache keeps working: a new seed encodes nothing.
        request.seed += 1;
        QCOMPARE(g.generate(request).timings.promptsEncoded, 0);
        // A changed choice is a different model: load() builds a new pipeline.
        QVERIFY(!(onCpu == tinyOnCpu()));
    }

    void placementRule()
    {
        // Sizes of the real Kolors parts in fp16 (REFERENCE.md 1.1/1.4), on cards users own.
        TextEncoderFit fit;
        fit.textEncoderBytes = int64_t(12487168064);
        fit.unetBytes = int64_t(5160000000);
        fit.vaeBytes = int64_t(167000000);
        fit.releaseTextEncoder = true;
        const int64_t encodeNeed = fit.textEncoderBytes + fit.vaeBytes + kTextEncodeWorkspaceBytes;
        fit.freeBytes = encodeNeed;
        QVERIFY(textEncoderFitsOnGpu(fit));
        fit.freeBytes = encodeNeed - 1;
        QVERIFY(!textEncoderFitsOnGpu(fit));
        // Without release it must fit next to the UNet and the sampling workspace.
        fit.releaseTextEncoder = false;
        fit.freeBytes = encodeNeed;
        QVERIFY(!textEncoderFitsOnGpu(fit));
        fit.freeBytes = fit.textEncoderBytes + fit.unetBytes + fit.vaeBytes + kSamplingWorkspaceBytes;
        QVERIFY(textEncoderFitsOnGpu(fit));
        // Unknown free memory keeps the old behaviour (on the GPU).
        fit.freeBytes = -1;
        QVERIFY(textEncoderFitsOnGpu(fit));
    }

    void deviceVocabulary()
    {
        ComputeDevice device = ComputeDevice::Auto;
        int index = -1;
        QVERIFY(parseComputeDevice("cuda:1", &device, &index));
        QCOMPARE(int(device), int(ComputeDevice::Cuda));
        QCOMPARE(index, 1);
        QCOMPARE(computeDeviceName(device, index), std::string("cuda:1"));
        QVERIFY(parseComputeDevice("cpu", &device, &index));
        QCOMPARE(index, 0);
        QCOMPARE(computeDeviceName(device, index), std::string("cpu"));
        for (const char *bad : {"cuda:", "cuda:x", "cuda:-1", "gpu", "CPU", "cuda:1:2", ""})
            QVERIFY2(!parseComputeDevice(bad, &device, &index), bad);
        UNetOffload offload = UNetOffload::None;
        QVERIFY(parseUNetOffload("blocks", &offload));
        QCOMPARE(int(offload), int(UNetOffload::Blocks));
        QVERIFY(!parseUNetOffload("layers", &offload));
    }

    void cudaChoicesTheMachineCannotServeAreRefused()
    {
        ModelSettings settings = tinyOnCpu();
        settings.textEncoderDevice = ComputeDevice::Cuda;
        settings.textEncoderDeviceIndex = Generator::cudaAvailable() ? 999 : 0;
        Generator g;
        std::string message;
        QCOMPARE(errorCode([&] { g.load(settings); }, &message), EngineError::Code::Unsupported);
        QVERIFY2(message.find("--text-encoder-device") != std::string::npos, message.c_str());
        QVERIFY2(message.find(Generator::cudaAvailable() ? "numbered from 0" : "not available") != std::string::npos,
                 message.c_str());
        QVERIFY(!g.isLoaded());
    }
};

QTEST_GUILESS_MAIN(TestOffload)
#include "TestOffload.moc"
