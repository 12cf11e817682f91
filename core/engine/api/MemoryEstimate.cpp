#include "engine/api/MemoryEstimate.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/ModelFolder.h"
#include "engine/text/ChatGlmConfig.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

constexpr int64_t kMiB = int64_t(1) << 20;

// Rough activation sizes, from the shapes of the Kolors/SDXL networks (skip connections of the three UNet
// stages, GEGLU feed-forward, attention in 8 MB query chunks; the VAE decoder's full-resolution 128/256-channel
// stages). Deliberately on the high side: refusing a run that would just fit is better than an OOM kill.
constexpr int64_t kUNetValuesPerLatentPixel = 6000; // per batch row
constexpr int64_t kVaeValuesPerPixel = 768;         // untiled decode
constexpr int64_t kVaeTilePixels = 768 * 768;       // PipelineOptions::vaeTileLatents (96) x 8, squared
constexpr int64_t kAutoTilePixels = 1536 * 1536;    // PipelineOptions::autoTilePixels
constexpr int64_t kTextTokens = 256;                // Kolors pads every prompt to 256 tokens
constexpr int64_t kRuntimeBytes = 512 * kMiB;       // LibTorch, Qt, allocator slack
constexpr int64_t kCudaContextBytes = 512 * kMiB;   // kernels and workspaces outside the caching allocator

// What a weight file (or a sharded set) holds, as far as its headers say.
struct WeightFacts
{
    int64_t bytes = 0;           // stored bytes of all tensors
    int elementBytes = 0;        // of the largest tensor (0: unknown)
    int64_t largestElements = 0; // 0: unknown (pickles are not opened here)
};

int safetensorsElementBytes(const std::string &dtype)
{
    if (dtype == "F64" || dtype == "I64")
        return 8;
    if (dtype == "F32" || dtype == "I32")
        return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16")
        return 2;
    return 1;
}

int64_t fileSize(const std::string &path)
{
    std::error_code ec;
    const auto size = fs::file_size(fs::u8path(path), ec);
    return ec ? 0 : int64_t(size);
}

void addSafetensors(const std::string &path, WeightFacts &facts)
{
    std::ifstream in(fs::u8path(path), std::ios::binary);
    unsigned char lengthBytes[8] = {};
    if (!in.read(reinterpret_cast<char *>(lengthBytes), 8))
        throw EngineError(EngineError::Code::BadFile, path + ": not a safetensors file (too short)");
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | lengthBytes[i];
    if (length > uint64_t(fileSize(path)) || length > uint64_t(256 * kMiB))
        throw EngineError(EngineError::Code::BadFile, path + ": safetensors header length out of range");
    std::string header(size_t(length), '\0');
    in.read(header.data(), std::streamsize(length));
    const nlohmann::json json = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadFile, path + ": safetensors header is not a JSON object");
    for (auto it = json.begin(); it != json.end(); ++it) {
        const nlohmann::json &entry = it.value();
        if (it.key() == "__metadata__" || !entry.is_object() || !entry.contains("shape") || !entry.contains("dtype") ||
            !entry["shape"].is_array() || !entry["dtype"].is_string())
            continue;
        int64_t elements = 1;
        for (const nlohmann::json &n : entry["shape"])
            elements *= n.is_number_integer() ? std::max<int64_t>(0, n.get<int64_t>()) : 0;
        const int size = safetensorsElementBytes(entry["dtype"].get<std::string>());
        facts.bytes += elements * size;
        if (elements > facts.largestElements) {
            facts.largestElements = elements;
            facts.elementBytes = size;
        }
    }
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

WeightFacts weightFacts(const std::string &path)
{
    WeightFacts facts;
    if (endsWith(path, ".safetensors")) {
        addSafetensors(path, facts);
    } else if (endsWith(path, ".json")) { // a shard index
        const nlohmann::json index = readJsonFile(path);
        std::set<std::string> shards;
        if (index.contains("weight_map") && index["weight_map"].is_object())
            for (const auto &shard : index["weight_map"])
                if (shard.is_string())
                    shards.insert(shard.get<std::string>());
        const fs::path folder = fs::u8path(path).parent_path();
        for (const std::string &shard : shards) {
            const std::string shardPath = (folder / fs::u8path(shard)).u8string();
            if (endsWith(shard, ".safetensors"))
                addSafetensors(shardPath, facts);
            else
                facts.bytes += fileSize(shardPath);
        }
    } else {
        facts.bytes = fileSize(path); // a torch pickle: its size is the tensors' bytes plus a little
    }
    if (facts.elementBytes == 0 && path.find("fp16") != std::string::npos)
        facts.elementBytes = 2;
    return facts;
}

int torchDtypeBytes(const nlohmann::json &config)
{
    const std::string dtype = config.value("torch_dtype", std::string());
    return dtype == "float32" ? 4 : dtype == "float16" || dtype == "bfloat16" ? 2 : 0;
}

// The text encoder by parts: what quantization touches (the blocks' Linear weights) and the rest.
struct TextEncoderFacts
{
    int64_t linearElements = 0, linearRows = 0, largestLinear = 0, otherElements = 0;
    int64_t layerElements = 0; // one block
    int64_t hidden = 0, ffn = 0, heads = 0;
    int elementBytes = 2;
};

TextEncoderFacts textEncoderFacts(const KolorsModelPaths &paths)
{
    const ChatGlmConfig c = ChatGlmConfig::fromFile(paths.textEncoderConfig);
    TextEncoderFacts f;
    const int64_t linears[4][2] = {{c.qkvSize(), c.hiddenSize},
                                   {c.hiddenSize, c.projectionSize()},
                                   {2 * c.ffnHiddenSize, c.hiddenSize},
                                   {c.hiddenSize, c.ffnHiddenSize}};
    for (const auto &shape : linears) {
        f.linearElements += shape[0] * shape[1];
        f.linearRows += shape[0];
        f.largestLinear = std::max(f.largestLinear, shape[0] * shape[1]);
    }
    const int64_t small = 2 * c.hiddenSize + (c.addQkvBias ? c.qkvSize() : 0);
    f.layerElements = f.linearElements + small;
    f.linearElements *= c.numLayers;
    f.linearRows *= c.numLayers;
    f.otherElements = c.vocabSize * c.hiddenSize + small * c.numLayers;
    f.hidden = c.hiddenSize;
    f.ffn = c.ffnHiddenSize;
    f.heads = c.numHeads;
    const WeightFacts stored = weightFacts(paths.textEncoderWeights);
    f.elementBytes = stored.elementBytes ? stored.elementBytes : torchDtypeBytes(readJsonFile(paths.textEncoderConfig));
    if (f.elementBytes == 0)
        f.elementBytes = 2; // ChatGLM3 ships float16
    return f;
}

int quantBitsOf(TextEncoderQuant quant)
{
    return quant == TextEncoderQuant::Int8 ? 8 : quant == TextEncoderQuant::Int4 ? 4 : 0;
}

bool releasesTextEncoder(const ModelSettings &s, bool onCuda)
{
    return s.releaseTextEncoder == Switch::Auto ? onCuda : s.releaseTextEncoder == Switch::On;
}

struct Phase
{
    int64_t privateBytes = 0, mappedBytes = 0, vramBytes = 0;
};

} // namespace

std::string gibText(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(int64_t(1) << 30));
    return text;
}

MemoryEstimate estimateMemory(const ModelSettings &settings, bool onCuda, int width, int height, bool cfg)
{
    const KolorsModelPaths paths = locateKolorsModel(settings.modelDir);
    const TextEncoderFacts te = textEncoderFacts(paths);
    const WeightFacts unet = weightFacts(paths.unetWeights), vae = weightFacts(paths.vaeWeights);
    const int unetStored = unet.elementBytes ? unet.elementBytes : 4, vaeStored = vae.elementBytes ? vae.elementBytes : 4;
    const int64_t unetElements = unet.bytes / unetStored, vaeElements = vae.bytes / vaeStored;
    // Unknown largest tensors (pickles): the largest of the Kolors UNet, a 2560 -> 1280 3x3 convolution.
    const int64_t unetLargest = unet.largestElements ? unet.largestElements : 1280 * 2560 * 9;
    const int64_t vaeLargest = vae.largestElements ? vae.largestElements : 512 * 512 * 9;

    const bool half = onCuda && settings.precision != ComputePrecision::Float32;
    const int compute = half ? 2 : 4; // UNet and text encoder; the VAE computes in float32
    const int bits = quantBitsOf(settings.textEncoderQuant);
    const bool release = releasesTextEncoder(settings, onCuda);
    const int64_t batch = cfg ? 2 : 1;
    const int64_t latentPixels = int64_t(width / 8) * int64_t(height / 8);
    const int64_t pixels = int64_t(width) * height;
    const bool tiled = settings.vaeTiling == Switch::On || (settings.vaeTiling == Switch::Auto && pixels > kAutoTilePixels);

    const int64_t quantizedBytes = te.linearElements * bits / 8 + te.linearRows * 2;
    const int64_t textActivations =
        kTextTokens * (2 * te.ffn + 6 * te.hidden) * 4 + te.heads * kTextTokens * kTextTokens * 8;
    const int64_t unetActivations = batch * latentPixels * kUNetValuesPerLatentPixel * compute;
    const int64_t vaeActivations = (tiled ? std::min(pixels, kVaeTilePixels) : pixels) * kVaeValuesPerPixel * 4;

    std::vector<Phase> phases(3); // encoding the prompts, sampling, decoding
    if (!onCuda) {
        // Weights stay as stored, mapped (LoadOptions::keepStoredFloats); each layer is upcast when it runs.
        const int64_t textPrivate = bits ? quantizedBytes : 0;
        const int64_t textUpcast = (bits || te.elementBytes != 4) ? te.largestLinear * 4 : 0;
        // Each block's pages are given back after it ran: one block resident (none once quantized).
        const int64_t textMapped = bits ? 0 : te.layerElements * te.elementBytes;
        const int64_t unetUpcast = unetStored != 4 ? unetLargest * 4 : 0;
        const int64_t vaeUpcast = vaeStored != 4 ? vaeLargest * 4 : 0;
        const int64_t kept = release ? 0 : textPrivate;
        phases[0] = {textPrivate + textUpcast + textActivations, textMapped + unet.bytes + vae.bytes, 0};
        phases[1] = {kept + unetUpcast + unetActivations, unet.bytes + vae.bytes, 0};
        phases[2] = {kept + vaeUpcast + vaeActivations, unet.bytes + vae.bytes, 0};
    } else {
        const int64_t unetGpu = unetElements * compute, vaeGpu = vaeElements * 4;
        const int64_t textGpu = bits ? quantizedBytes + te.otherElements * compute
                                     : (te.linearElements + te.otherElements) * compute;
        const int64_t quantizing = bits ? te.largestLinear * 4 * 3 : 0; // host temporaries of one matrix
        // Low-VRAM mode parks the UNet in host memory while the text encoder runs.
        const int64_t parked = release ? unetGpu : 0;
        phases[0] = {parked + quantizing + textActivations, 0,
                     textGpu + textActivations / 2 + vaeGpu + (release ? 0 : unetGpu)};
        phases[1] = {0, 0, unetGpu + vaeGpu + (release ? 0 : textGpu) + unetActivations};
        phases[2] = {0, 0, unetGpu + vaeGpu + (release ? 0 : textGpu) + vaeActivations};
    }
    MemoryEstimate e;
    for (const Phase &p : phases) {
        e.privateBytes = std::max(e.privateBytes, kRuntimeBytes + p.privateBytes);
        e.residentBytes = std::max(e.residentBytes, kRuntimeBytes + p.privateBytes + p.mappedBytes);
        if (onCuda)
            e.vramBytes = std::max(e.vramBytes, kCudaContextBytes + p.vramBytes);
    }
    e.summary = "RAM " + gibText(e.privateBytes) + " private, " + gibText(e.residentBytes) + " with mapped weights";
    if (onCuda)
        e.summary += ", VRAM " + gibText(e.vramBytes);
    return e;
}

std::string memoryShortfall(const ModelSettings &settings, bool onCuda, int width, int height, int64_t availableRam,
                            int64_t availableVram)
{
    const auto fits = [&](const MemoryEstimate &e) {
        return (availableRam < 0 || e.privateBytes <= availableRam) &&
               (!onCuda || availableVram < 0 || e.vramBytes <= availableVram);
    };
    const MemoryEstimate asked = estimateMemory(settings, onCuda, width, height);
    if (fits(asked))
        return {};
    std::string message = "the model needs about " + asked.summary + " at " + std::to_string(width) + "x" +
                          std::to_string(height) + ", but only " + gibText(std::max<int64_t>(0, availableRam)) +
                          " of RAM";
    if (onCuda && availableVram >= 0)
        message += " and " + gibText(availableVram) + " of VRAM";
    message += " are available";
    // Lighter settings in the order they cost quality or speed: release first, then int8, then int4.
    struct Option
    {
        ModelSettings settings;
        std::string words;
    };
    std::vector<Option> lighter;
    ModelSettings s = settings;
    if (!releasesTextEncoder(s, onCuda)) {
        s.releaseTextEncoder = Switch::On;
        lighter.push_back({s, "releasing the text encoder after encoding (low-VRAM mode)"});
    }
    for (TextEncoderQuant quant : {TextEncoderQuant::Int8, TextEncoderQuant::Int4}) {
        if (quantBitsOf(quant) == 0 || (quantBitsOf(s.textEncoderQuant) && quantBitsOf(s.textEncoderQuant) <= quantBitsOf(quant)))
            continue;
        s.textEncoderQuant = quant;
        lighter.push_back({s, std::string("the text encoder quantized to ") + textEncoderQuantName(quant) +
                                  (releasesTextEncoder(s, onCuda) ? " and released after encoding" : "")});
    }
    for (const Option &option : lighter) {
        const MemoryEstimate e = estimateMemory(option.settings, onCuda, width, height);
        if (fits(e))
            return message + "; with " + option.words + " it needs about " + e.summary;
    }
    return message + "; no lighter setting fits: close other programs or use a smaller image";
}

} // namespace studio::engine
