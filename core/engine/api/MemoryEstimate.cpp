#include "engine/api/MemoryEstimate.h"

#include "engine/api/WeightFileFacts.h"
#include "engine/common/SystemMemory.h"
#include "engine/io/ModelFolder.h"
#include "engine/memory/CudaMemory.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

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
// Float32 temporaries while a quantized Linear runs or is quantized: a chunk of rows at a time
// (ChatGlmQuantization: 16 MB chunks, about three temporaries of that size).
constexpr int64_t kQuantizedTemporaries = 3 * 16 * kMiB;
// Quantizing on the CPU leaves the heap fragmented (the temporaries between the weights' blocks): measured on the
// real-size random folder (bench 256x256, int8) 6.7 GiB private at the peak for 5.3 GiB of int8 weights. A quarter
// of the quantized bytes on top keeps the estimate on the high side of that.
constexpr int64_t kQuantizingSlackDivisor = 4;

// Whether the load can keep the quantized weights in `dir` (ChatGlmQuantCache): it is a folder or can be made one
// (its nearest existing ancestor is a folder). Otherwise the load quantizes in memory, and so must the estimate.
bool cacheFolderUsable(const std::string &dir)
{
    if (dir.empty())
        return false;
    std::error_code ec;
    fs::path path = fs::absolute(fs::u8path(dir), ec);
    while (!ec && !path.empty() && !fs::exists(path, ec) && path.has_relative_path())
        path = path.parent_path();
    return !ec && fs::is_directory(path, ec);
}

bool releasesTextEncoder(const ModelSettings &s, bool onCuda)
{
    return s.releaseTextEncoder == Switch::Auto ? onCuda : s.releaseTextEncoder == Switch::On;
}

} // namespace

std::string gibText(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(int64_t(1) << 30));
    return text;
}

int64_t availableRamBytes()
{
    return hostMemory().availableBytes;
}

int64_t availableVramBytes(int deviceIndex)
{
    return cudaFreeBytes(c10::Device(c10::kCUDA, c10::DeviceIndex(std::max(0, deviceIndex))));
}

MemoryEstimate estimateMemory(const ModelSettings &settings, bool onCuda, int width, int height, bool cfg)
{
    const KolorsModelPaths paths = locateKolorsModel(settings.modelDir);
    const TextEncoderFacts te = textEncoderFacts(paths);
    const WeightFileFacts unet = weightFileFacts(paths.unetWeights), vae = weightFileFacts(paths.vaeWeights);
    const int unetStored = unet.elementBytes ? unet.elementBytes : 4, vaeStored = vae.elementBytes ? vae.elementBytes : 4;
    const int64_t unetElements = unet.bytes / unetStored, vaeElements = vae.bytes / vaeStored;
    // Unknown largest tensors (pickles): the largest of the Kolors UNet, a 2560 -> 1280 3x3 convolution.
    const int64_t unetLargest = unet.largestElements ? unet.largestElements : 1280 * 2560 * 9;
    const int64_t vaeLargest = vae.largestElements ? vae.largestElements : 512 * 512 * 9;
    const int64_t unetLargestStage = unet.largestStageElements ? unet.largestStageElements : unetElements;

    const bool half = onCuda && settings.precision != ComputePrecision::Float32;
    const int compute = half ? 2 : 4; // UNet and text encoder on the GPU; the VAE computes in float32
    MemoryEstimate e;
    MemoryParts &parts = e.parts;
    parts.quantBits = textEncoderQuantBits(settings.textEncoderQuant);
    parts.textEncoderReleased = releasesTextEncoder(settings, onCuda);
    parts.textEncoderOnCpu = !onCuda || settings.textEncoderDevice == ComputeDevice::Cpu;
    parts.textEncoderQuantizedBytes = te.quantizedBytes(parts.quantBits);
    parts.unetStoredBytes = unet.bytes;
    parts.vaeStoredBytes = vae.bytes;
    parts.textEncoderStoredBytes = (te.linearElements + te.otherElements) * te.elementBytes;
    const bool offload = onCuda && settings.unetOffload == UNetOffload::Blocks;
    if (onCuda) {
        parts.unetGpuBytes = unetElements * compute;
        parts.unetStageGpuBytes = unetLargestStage * compute;
        parts.unetPinnedBytes = offload ? unetElements * compute : 0;
        if (!parts.textEncoderOnCpu)
            parts.textEncoderGpuBytes = parts.quantBits ? parts.textEncoderQuantizedBytes + te.otherElements * compute
                                                        : (te.linearElements + te.otherElements) * compute;
    }
    const int bits = parts.quantBits;
    const bool release = parts.textEncoderReleased;
    const int64_t batch = cfg ? 2 : 1;
    const int64_t latentPixels = int64_t(width / 8) * int64_t(height / 8);
    const int64_t pixels = int64_t(width) * height;
    const bool tiled = settings.vaeTiling == Switch::On || (settings.vaeTiling == Switch::Auto && pixels > kAutoTilePixels);

    const int64_t textActivations =
        kTextTokens * (2 * te.ffn + 6 * te.hidden) * 4 + te.heads * kTextTokens * kTextTokens * 8;
    const int64_t unetActivations = batch * latentPixels * kUNetValuesPerLatentPixel * compute;
    const int64_t vaeActivations = (tiled ? std::min(pixels, kVaeTilePixels) : pixels) * kVaeValuesPerPixel * 4;

    // The text encoder on the CPU keeps its weights as stored, mapped (LoadOptions::keepStoredFloats), or the
    // quantized ones, mapped from the cache file (ChatGlmQuantCache) or held in memory without a cache folder; each
    // Linear is upcast to float32 when it runs, and each block's mapped pages are given back after it ran (one
    // block resident). Writing the cache on the first load holds one quantized Linear at a time.
    const bool quantCached = bits && cacheFolderUsable(settings.quantizedWeightCacheDir);
    parts.quantizedWeightsMapped = quantCached;
    const int64_t blockQuantizedBytes =
        te.linearElements ? parts.textEncoderQuantizedBytes * te.layerElements / te.linearElements : 0;
    const int64_t hostTextHeld = parts.textEncoderOnCpu && !quantCached ? parts.textEncoderQuantizedBytes : 0;
    const int64_t quantizing =
        quantCached ? te.largestLinear * bits / 8 : parts.textEncoderQuantizedBytes / kQuantizingSlackDivisor;
    const int64_t hostTextRunning =
        parts.textEncoderOnCpu
            ? (bits || te.elementBytes != 4 ? kQuantizedTemporaries : 0) + textActivations + quantizing
            : (bits ? kQuantizedTemporaries : 0); // quantizing on the host for the GPU
    const int64_t textMapped = !parts.textEncoderOnCpu ? 0
                               : bits                  ? (quantCached ? blockQuantizedBytes : 0)
                                                       : te.layerElements * te.elementBytes;
    const int64_t kept = release ? 0 : hostTextHeld;

    e.phases = {{kPhaseEncoding, 0, 0, 0}, {kPhaseSampling, 0, 0, 0}, {kPhaseDecoding, 0, 0, 0}};
    MemoryPhase &encode = e.phases[0], &sample = e.phases[1], &decode = e.phases[2];
    if (!onCuda) {
        // UNet and VAE as stored, mapped, upcast layer by layer. In low-memory mode their pages are given back
        // before the text encoder runs (KolorsPipeline::makeRoomForTextEncoder).
        const int64_t unetUpcast = unetStored != 4 ? unetLargest * 4 : 0;
        const int64_t vaeUpcast = vaeStored != 4 ? vaeLargest * 4 : 0;
        encode.privateBytes = hostTextHeld + hostTextRunning;
        encode.mappedBytes = textMapped + (release ? 0 : unet.bytes + vae.bytes);
        sample.privateBytes = kept + unetUpcast + unetActivations;
        sample.mappedBytes = unet.bytes + vae.bytes;
        decode.privateBytes = kept + vaeUpcast + vaeActivations;
        decode.mappedBytes = unet.bytes + vae.bytes;
    } else {
        const int64_t vaeGpu = vaeElements * 4;
        // Low-VRAM mode parks the UNet in host memory while a text encoder on its GPU runs (parksUNet).
        const bool parked = release && !parts.textEncoderOnCpu && !offload;
        const int64_t unetSampling = offload ? 2 * parts.unetStageGpuBytes : parts.unetGpuBytes;
        const int64_t textGpuKept = release ? 0 : parts.textEncoderGpuBytes;
        encode.privateBytes = parts.unetPinnedBytes + (parked ? parts.unetGpuBytes : 0) + hostTextHeld + hostTextRunning;
        encode.mappedBytes = textMapped;
        encode.vramBytes = parts.textEncoderGpuBytes + (parts.textEncoderOnCpu ? 0 : textActivations / 2) + vaeGpu +
                           (parked || offload ? 0 : parts.unetGpuBytes);
        sample.privateBytes = parts.unetPinnedBytes + kept;
        sample.vramBytes = unetSampling + vaeGpu + textGpuKept + unetActivations;
        decode.privateBytes = parts.unetPinnedBytes + kept;
        decode.vramBytes = (offload ? 0 : parts.unetGpuBytes) + vaeGpu + textGpuKept + vaeActivations;
    }
    for (const MemoryPhase &phase : e.phases) {
        e.privateBytes = std::max(e.privateBytes, kEstimateRuntimeBytes + phase.privateBytes);
        e.residentBytes = std::max(e.residentBytes, kEstimateRuntimeBytes + phase.privateBytes + phase.mappedBytes);
        if (onCuda)
            e.vramBytes = std::max(e.vramBytes, kEstimateCudaContextBytes + phase.vramBytes);
    }
    e.summary = "RAM " + gibText(e.privateBytes) + " private, " + gibText(e.residentBytes) + " with mapped weights";
    if (onCuda)
        e.summary += ", VRAM " + gibText(e.vramBytes);
    return e;
}

} // namespace studio::engine
