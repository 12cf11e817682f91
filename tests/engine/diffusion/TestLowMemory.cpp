// Issue 16 on the tiny fixture: weights kept as stored (16-bit, memory-mapped) and upcast layer by layer, mapped
// pages given back, the memory estimate and its refusal, and a random folder in the real model's file formats.

#include "GoldenData.h"

#include "engine/api/Generation.h"
#include "engine/api/MemoryEstimate.h"
#include "engine/api/RandomModelFolder.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <QTemporaryDir>
#include <QFile>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

using namespace studio::engine;

namespace {

std::string unetDir()
{
    return golden::modelDir() + "/unet/";
}

int64_t elementsOf(const TensorInfo &info)
{
    int64_t n = 1;
    for (int64_t d : info.shape)
        n *= d;
    return n;
}

// What the estimate should count, read here from the fixture's weight files themselves (not from its configs
// through the estimate's own code): the text encoder's block Linear weights and the tensors it also loads, the
// UNet's elements in total and in its largest offload stage.
struct FixtureWeights
{
    int64_t linearElements = 0, linearRows = 0, otherTextElements = 0;
    int64_t unetElements = 0, unetLargestStage = 0;
};

FixtureWeights fixtureWeights()
{
    const KolorsModelPaths paths = locateKolorsModel(golden::modelDir());
    FixtureWeights w;
    const TensorStore text = TensorStore::open(paths.textEncoderWeights);
    for (const std::string &name : text.names()) {
        const TensorInfo &info = *text.find(name);
        if (name.find("encoder.layers.") != std::string::npos && info.shape.size() == 2) {
            w.linearElements += elementsOf(info);
            w.linearRows += info.shape[0];
        } else if (name.find("encoder.layers.") != std::string::npos || name.find("word_embeddings") != std::string::npos) {
            w.otherTextElements += elementsOf(info); // norms, the QKV bias, the word embedding
        }
    }
    const TensorStore unet = TensorStore::open(paths.unetWeights);
    std::map<std::string, int64_t> stages;
    for (const std::string &name : unet.names()) {
        const int64_t n = elementsOf(*unet.find(name));
        w.unetElements += n;
        std::string stage;
        if (name.rfind("down_blocks.", 0) == 0 || name.rfind("up_blocks.", 0) == 0)
            stage = name.substr(0, name.find('.', name.find('.') + 1));
        else if (name.rfind("mid_block.", 0) == 0)
            stage = "mid_block";
        stages[stage] += n;
    }
    for (const auto &entry : stages)
        w.unetLargestStage = std::max(w.unetLargestStage, entry.second);
    return w;
}

// The peaks are the largest phase plus the runtime, as documented.
void checkPeaks(const MemoryEstimate &e, bool onCuda)
{
    int64_t privatePeak = 0, residentPeak = 0, vramPeak = 0;
    for (const MemoryPhase &p : e.phases) {
        privatePeak = std::max(privatePeak, p.privateBytes);
        residentPeak = std::max(residentPeak, p.privateBytes + p.mappedBytes);
        vramPeak = std::max(vramPeak, p.vramBytes);
    }
    QCOMPARE(e.privateBytes, kEstimateRuntimeBytes + privatePeak);
    QCOMPARE(e.residentBytes, kEstimateRuntimeBytes + residentPeak);
    QCOMPARE(e.vramBytes, onCuda ? kEstimateCudaContextBytes + vramPeak : int64_t(0));
}

// The fixture's UNet tensors converted by `convert` (e.g. to float16), written to `path`.
void writeConverted(const std::string &path, const std::function<at::Tensor(const at::Tensor &)> &convert)
{
    const TensorStore store = TensorStore::open(unetDir() + "diffusion_pytorch_model.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const std::string &name : store.names())
        tensors.emplace_back(name, convert(store.get(name)));
    writeSafetensors(path, tensors);
}

std::shared_ptr<UNet2DConditionModel> loadUNet(const std::string &weights, bool keepStored)
{
    auto unet = std::make_shared<UNet2DConditionModel>(UNetConfig::fromFile(unetDir() + "config.json"));
    LoadOptions options;
    options.stage = "UNet";
    options.dtype = at::kFloat;
    options.keepStoredFloats = keepStored;
    loadModuleWeights(*unet, TensorStore::open(weights), options);
    unet->setComputeDtype(at::kFloat);
    return unet;
}

at::Tensor runUNet(const UNet2DConditionModel &unet)
{
    torch::NoGradGuard noGrad;
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(7);
    const UNetConfig &c = unet.config();
    const auto options = at::TensorOptions().dtype(at::kFloat);
    const at::Tensor sample = at::randn({2, c.inChannels, 8, 8}, generator, options);
    const at::Tensor context = at::randn({2, 5, c.textHiddenSize()}, generator, options);
    const at::Tensor pooled = at::randn({2, c.projectionClassEmbeddingsInputDim - 6 * c.additionTimeEmbedDim},
                                        generator, options);
    const at::Tensor timeIds = at::tensor({64.0, 64.0, 0.0, 0.0, 64.0, 64.0}, options).repeat({2, 1});
    return unet.forward(sample, at::tensor({500.0}, options), context, pooled, timeIds);
}

double cosine(const at::Tensor &a, const at::Tensor &b)
{
    const at::Tensor x = a.to(at::kDouble).reshape(-1), y = b.to(at::kDouble).reshape(-1);
    return (x.dot(y) / (x.norm() * y.norm())).item<double>();
}

} // namespace

class TestLowMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The fp16 file stays fp16 in memory (no float32 copy) and computing from it equals computing with float32
    // weights that hold the same (fp16-rounded) values: upcasting one layer at a time is exact.
    void float16StorageIsKeptAndEqualsRoundedFloat32()
    {
        QTemporaryDir dir;
        const std::string half = (dir.path() + "/unet.fp16.safetensors").toStdString();
        const std::string rounded = (dir.path() + "/unet.rounded.safetensors").toStdString();
        writeConverted(half, [](const at::Tensor &t) { return t.to(at::kHalf); });
        writeConverted(rounded, [](const at::Tensor &t) { return t.to(at::kHalf).to(at::kFloat); });

        const auto stored = loadUNet(half, /*keepStored=*/true);
        for (const at::Tensor &p : stored->parameters())
            QCOMPARE(p.scalar_type(), at::kHalf);
        QCOMPARE(stored->dtype(), at::kFloat);
        const at::Tensor fromHalf = runUNet(*stored);
        QCOMPARE(fromHalf.scalar_type(), at::kFloat);
        QVERIFY(at::equal(fromHalf, runUNet(*loadUNet(rounded, false))));

        // Within float16 rounding of the original float32 weights.
        const at::Tensor fromFloat = runUNet(*loadUNet(unetDir() + "diffusion_pytorch_model.safetensors", false));
        const double relative =
            (fromHalf - fromFloat).abs().max().item<double>() / fromFloat.abs().max().item<double>();
        qInfo("fp16 storage vs fp32: max relative difference %.3g, cosine %.9f", relative, cosine(fromHalf, fromFloat));
        QVERIFY(relative < 5e-3);
        QVERIFY(cosine(fromHalf, fromFloat) > 0.99999);
    }

    // Same-dtype weights are used from the map as well (the float32 golden path): results stay exact.
    void float32FilesStayExact()
    {
        const std::string file = unetDir() + "diffusion_pytorch_model.safetensors";
        QVERIFY(at::equal(runUNet(*loadUNet(file, true)), runUNet(*loadUNet(file, false))));
    }

    void releasedPagesAreReadAgainFromTheFile()
    {
        const TensorStore store = TensorStore::open(unetDir() + "diffusion_pytorch_model.safetensors");
        std::string largest;
        for (const std::string &name : store.names())
            if (largest.empty() || store.get(name).numel() > store.get(largest).numel())
                largest = name;
        const at::Tensor mapped = store.get(largest);
        const at::Tensor before = mapped.clone();
        QVERIFY(releaseMappedPages(mapped) > 0); // the largest tensor spans whole pages
        QVERIFY(at::equal(mapped, before));

        // Ordinary memory is never touched (releasing it would zero it).
        const at::Tensor heap = at::ones({1 << 20});
        QCOMPARE(releaseMappedPages(heap), uint64_t(0));
        QCOMPARE(heap.sum().item<double>(), double(1 << 20));
    }

    void estimateGrowsWithSizeAndShrinksWithQuantization()
    {
        ModelSettings s;
        s.modelDir = golden::modelDir();
        const MemoryEstimate small = estimateMemory(s, false, 64, 64), large = estimateMemory(s, false, 1024, 1024);
        QVERIFY(small.privateBytes > 0);
        QVERIFY(small.residentBytes >= small.privateBytes);
        QVERIFY(large.privateBytes > small.privateBytes);
        QCOMPARE(small.vramBytes, int64_t(0));
        s.releaseTextEncoder = Switch::Off; // the text encoder's weights then count in every phase
        const MemoryEstimate cuda = estimateMemory(s, true, 64, 64);
        s.textEncoderQuant = TextEncoderQuant::Int4;
        QVERIFY(cuda.vramBytes > 0);
        QVERIFY(estimateMemory(s, true, 64, 64).vramBytes < cuda.vramBytes);
    }

    // Issue 16 point 5: the estimate's arithmetic, against figures taken here from the fixture's weight files.
    void estimateFollowsTheWeightFiles()
    {
        const FixtureWeights w = fixtureWeights();
        QVERIFY(w.linearElements > 0 && w.otherTextElements > 0 && w.unetLargestStage > 0);
        ModelSettings s;
        s.modelDir = golden::modelDir();
        s.releaseTextEncoder = Switch::Off;
        auto estimate = [&](bool onCuda, TextEncoderQuant quant) {
            ModelSettings q = s;
            q.textEncoderQuant = quant;
            const MemoryEstimate e = estimateMemory(q, onCuda, 64, 64);
            checkPeaks(e, onCuda);
            return e;
        };
        // Quantized: `bits` per weight and one float16 scale per output row.
        const MemoryEstimate cpuNone = estimate(false, TextEncoderQuant::None);
        const MemoryEstimate cpuInt8 = estimate(false, TextEncoderQuant::Int8);
        const MemoryEstimate cpuInt4 = estimate(false, TextEncoderQuant::Int4);
        QCOMPARE(cpuNone.parts.textEncoderQuantizedBytes, int64_t(0));
        QCOMPARE(cpuInt8.parts.textEncoderQuantizedBytes, w.linearElements + 2 * w.linearRows);
        QCOMPARE(cpuInt4.parts.textEncoderQuantizedBytes, w.linearElements / 2 + 2 * w.linearRows);
        // On the CPU the 16/32-bit text encoder streams from its mapped files; quantized weights are held in
        // private memory, beside the UNet unless the text encoder is released after encoding.
        QVERIFY(cpuNone.parts.textEncoderOnCpu);
        QCOMPARE(cpuInt8.phases[1].privateBytes - cpuNone.phases[1].privateBytes, w.linearElements + 2 * w.linearRows);
        s.releaseTextEncoder = Switch::On;
        QCOMPARE(estimate(false, TextEncoderQuant::Int8).phases[1].privateBytes,
                 estimate(false, TextEncoderQuant::None).phases[1].privateBytes);
        s.releaseTextEncoder = Switch::Off;

        // CUDA in fp16: the text encoder on the GPU, or on the CPU (then no VRAM of its own).
        const int64_t textFp16 = 2 * (w.linearElements + w.otherTextElements);
        s.textEncoderDevice = ComputeDevice::Cuda;
        const MemoryEstimate onGpu = estimate(true, TextEncoderQuant::None);
        QCOMPARE(onGpu.parts.textEncoderGpuBytes, textFp16);
        QCOMPARE(estimate(true, TextEncoderQuant::Int8).parts.textEncoderGpuBytes,
                 w.linearElements + 2 * w.linearRows + 2 * w.otherTextElements);
        s.textEncoderDevice = ComputeDevice::Cpu;
        const MemoryEstimate onCpu = estimate(true, TextEncoderQuant::None);
        QCOMPARE(onCpu.parts.textEncoderGpuBytes, int64_t(0));
        QCOMPARE(onGpu.phases[1].vramBytes - onCpu.phases[1].vramBytes, textFp16);

        // UNet block offload: two stages on the GPU instead of the whole UNet, the UNet pinned in host memory.
        s.unetOffload = UNetOffload::Blocks;
        const MemoryEstimate streamed = estimate(true, TextEncoderQuant::None);
        QCOMPARE(streamed.parts.unetGpuBytes, 2 * w.unetElements);
        QCOMPARE(onCpu.phases[1].vramBytes - streamed.phases[1].vramBytes, 2 * w.unetElements - 2 * 2 * w.unetLargestStage);
        QCOMPARE(streamed.phases[1].privateBytes - onCpu.phases[1].privateBytes, 2 * w.unetElements);
    }

    // With a cache folder the quantized text encoder is mapped from its file like the shipped weights: nothing of it
    // stays in private memory beside the UNet, and one block of integers (less than one stored block) is resident
    // while encoding.
    void estimateCountsTheCachedQuantizationAsMapped()
    {
        const FixtureWeights w = fixtureWeights();
        ModelSettings s;
        s.modelDir = golden::modelDir();
        s.releaseTextEncoder = Switch::Off;
        const MemoryEstimate none = estimateMemory(s, false, 64, 64);
        s.textEncoderQuant = TextEncoderQuant::Int8;
        const MemoryEstimate inMemory = estimateMemory(s, false, 64, 64);
        s.quantizedWeightCacheDir = "/nonexistent/cache";
        const MemoryEstimate cached = estimateMemory(s, false, 64, 64);
        checkPeaks(cached, false);
        QVERIFY(!inMemory.parts.quantizedWeightsMapped);
        QVERIFY(cached.parts.quantizedWeightsMapped);
        QCOMPARE(cached.parts.textEncoderQuantizedBytes, w.linearElements + 2 * w.linearRows);
        QCOMPARE(cached.phases[1].privateBytes, none.phases[1].privateBytes);
        QVERIFY(cached.privateBytes < inMemory.privateBytes);
        // Kept loaded (no release): the UNet and VAE stay mapped while the text encoder runs; the rest is its block.
        const int64_t block = cached.phases[0].mappedBytes - cached.parts.unetStoredBytes - cached.parts.vaeStoredBytes;
        QVERIFY(block > 0);
        QVERIFY(block < cached.parts.textEncoderQuantizedBytes);
        QVERIFY(cached.phases[0].mappedBytes < none.phases[0].mappedBytes);

        // A cache folder that cannot be made (a file stands in its way): loading quantizes in memory, so does this.
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        s.quantizedWeightCacheDir = dir.filePath(QStringLiteral("file/cache")).toStdString();
        const MemoryEstimate blocked = estimateMemory(s, false, 64, 64);
        QVERIFY(!blocked.parts.quantizedWeightsMapped);
        QCOMPARE(blocked.privateBytes, inMemory.privateBytes);
    }

    // Refused with the numbers and the first lighter setting that fits.
    void shortfallNamesTheNumbersAndWhatWouldFit()
    {
        ModelSettings s;
        s.modelDir = golden::modelDir();
        QVERIFY(memoryShortfall(s, false, 64, 64, int64_t(1) << 40).empty());
        const std::string refused = memoryShortfall(s, false, 64, 64, 1024);
        QVERIFY2(refused.find("needs about RAM") != std::string::npos, refused.c_str());
        QVERIFY2(refused.find("0.0 GiB of RAM are available") != std::string::npos, refused.c_str());
        QVERIFY2(refused.find("no lighter setting fits") != std::string::npos, refused.c_str());

        s.textEncoderDevice = ComputeDevice::Cuda; // asked for explicitly: loading would not move it
        s.releaseTextEncoder = Switch::On;
        const int64_t releasedVram = estimateMemory(s, true, 64, 64).vramBytes;
        s.releaseTextEncoder = Switch::Off;
        QVERIFY(releasedVram < estimateMemory(s, true, 64, 64).vramBytes);
        const std::string suggestion = memoryShortfall(s, true, 64, 64, int64_t(1) << 40, releasedVram);
        QVERIFY2(suggestion.find("of VRAM are available") != std::string::npos, suggestion.c_str());
        QVERIFY2(suggestion.find("with releasing the text encoder after encoding (--low-vram)") != std::string::npos,
                 suggestion.c_str());
        // The device "auto" goes to the CPU by itself when the GPU is short, so that is no refusal.
        s.textEncoderDevice = ComputeDevice::Auto;
        QVERIFY(memoryShortfall(s, true, 64, 64, int64_t(1) << 40, releasedVram).empty());
    }

    void notAKolorsFolderIsNamed()
    {
        QTemporaryDir dir;
        ModelSettings s;
        s.modelDir = dir.path().toStdString();
        QVERIFY_EXCEPTION_THROWN(estimateMemory(s, false), EngineError);
    }

    // The real model's file formats (float16 ChatGLM pickle shards + index, float16 safetensors) at tiny size:
    // they load, render, and int8 quantization is recorded in the result.
    void randomFolderInShippedFormatsRenders()
    {
        QTemporaryDir dir;
        RandomModelFolderOptions folder;
        folder.dir = dir.path().toStdString();
        folder.which = "tiny";
        folder.tokenizerModel = golden::modelDir() + "/tokenizer/tokenizer.model";
        writeRandomModelFolder(folder);
        QVERIFY(std::filesystem::exists(folder.dir + "/text_encoder/pytorch_model-00002-of-00002.bin"));
        QVERIFY(std::filesystem::exists(folder.dir + "/text_encoder/pytorch_model.bin.index.json"));
        QVERIFY(std::filesystem::exists(folder.dir + "/unet/diffusion_pytorch_model.fp16.safetensors"));
        QVERIFY_EXCEPTION_THROWN(writeRandomModelFolder(folder), EngineError); // never over a model

        ModelSettings s;
        s.modelDir = folder.dir;
        s.device = ComputeDevice::Cpu;
        s.releaseTextEncoder = Switch::On;
        QVERIFY(estimateMemory(s, false, 64, 64).privateBytes > 0);
        GenerationRequest request;
        request.prompt = "a cat";
        request.width = request.height = 64;
        request.steps = 2;
        Generator generator;
        generator.load(s);
        const GenerationResult plain = generator.generate(request);
        QCOMPARE(plain.textEncoderQuant, std::string("none"));
        s.textEncoderQuant = TextEncoderQuant::Int8;
        generator.load(s);
        const GenerationResult quantized = generator.generate(request);
        QCOMPARE(quantized.textEncoderQuant, std::string("int8"));
        QCOMPARE(quantized.rgb.size(), size_t(64 * 64 * 3));
    }
};

QTEST_APPLESS_MAIN(TestLowMemory)
#include "TestLowMemory.moc"
