#include "engine/text/ChatGlmQuantCache.h"

#include "engine/common/EngineError.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"
#include "engine/text/ChatGlmLinear.h"
#include "engine/text/ChatGlmModel.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

constexpr const char *kKind = "storyboard-studio quantized ChatGLM3 Linear weights";
constexpr const char *kFormatVersion = "1";
// Kept free besides the file itself: filling the disk would hurt more than quantizing in memory.
constexpr uintmax_t kDiskMarginBytes = uintmax_t(1) << 30;

using Linears = std::vector<std::pair<std::string, std::shared_ptr<ChatGlmLinear>>>;

uint64_t fnv1a(const std::string &text)
{
    uint64_t hash = 1469598103934665603ull;
    for (const unsigned char c : text)
        hash = (hash ^ c) * 1099511628211ull;
    return hash;
}

std::string absolutePath(const std::string &path)
{
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::u8path(path), ec);
    return ec ? path : canonical.u8string();
}

// What the cache was made from: each weight file's path, size and modification time, and the bit width. A model
// replaced in place (a new download, an edited checkpoint) no longer matches.
std::string sourceFingerprint(const TensorStore &store, int bits)
{
    std::string text = "bits=" + std::to_string(bits);
    for (const std::string &file : store.files()) {
        std::error_code ec;
        const fs::path path = fs::u8path(file);
        const uintmax_t size = fs::file_size(path, ec);
        const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
        text += ";" + absolutePath(file) + "|" + std::to_string(size) + "|" + std::to_string(time);
    }
    return text;
}

// The dtype quantizeWeight keeps the row scales in for a weight stored as `stored`.
at::ScalarType scaleDtypeFor(at::ScalarType stored)
{
    return stored == at::kFloat ? at::kHalf : stored;
}

std::vector<int64_t> valuesShape(const ChatGlmLinear &linear, int bits)
{
    return {linear.outFeatures(), bits == 8 ? linear.inFeatures() : linear.inFeatures() / 2};
}

std::vector<SafetensorsLayout> cacheLayout(const Linears &linears, int bits)
{
    std::vector<SafetensorsLayout> layout;
    for (const auto &[name, linear] : linears) {
        layout.push_back({name + ".values", bits == 8 ? at::kChar : at::kByte, valuesShape(*linear, bits)});
        layout.push_back({name + ".scale", scaleDtypeFor(linear->weight().scalar_type()), {linear->outFeatures()}});
    }
    return layout;
}

bool matches(const SafetensorsFile &file, const Linears &linears, int bits, const std::string &fingerprint)
{
    const auto &meta = file.metadata();
    const auto field = [&](const char *key) {
        const auto it = meta.find(key);
        return it == meta.end() ? std::string() : it->second;
    };
    if (field("kind") != kKind || field("format_version") != kFormatVersion ||
        field("bits") != std::to_string(bits) || field("source") != fingerprint)
        return false;
    for (const SafetensorsLayout &expected : cacheLayout(linears, bits)) {
        const SafetensorsEntry *entry = file.find(expected.name);
        if (!entry || entry->dtype != expected.dtype || entry->shape != expected.shape)
            return false;
    }
    return true;
}

void useCacheFile(const SafetensorsFile &file, const Linears &linears, int bits, c10::Device device)
{
    for (const auto &[name, linear] : linears) {
        QuantizedWeight q;
        q.bits = bits;
        q.inFeatures = linear->inFeatures();
        q.values = file.tensor(name + ".values");
        q.scale = file.tensor(name + ".scale");
        linear->useQuantized(std::move(q), device);
    }
}

void writeCacheFile(const std::string &path, const Linears &linears, int bits, const std::string &fingerprint,
                    const std::function<bool()> &cancelled)
{
    std::error_code ec;
    const fs::path folder = fs::u8path(path).parent_path();
    fs::create_directories(folder, ec);
    if (ec)
        throw EngineError(EngineError::Code::Io, "cannot create " + folder.u8string() + " (" + ec.message() + ")");
    std::vector<SafetensorsLayout> layout = cacheLayout(linears, bits);
    uintmax_t bytes = 0;
    for (const SafetensorsLayout &entry : layout)
        bytes += uintmax_t(c10::multiply_integers(entry.shape)) * c10::elementSize(entry.dtype);
    const fs::space_info space = fs::space(folder, ec);
    if (!ec && space.available < bytes + kDiskMarginBytes)
        throw EngineError(EngineError::Code::Io, "not enough disk space in " + folder.u8string() + " (" +
                                                     std::to_string((bytes >> 20) + 1) + " MiB needed, " +
                                                     std::to_string(space.available >> 20) + " MiB free)");

    std::map<std::string, std::shared_ptr<ChatGlmLinear>> byName(linears.begin(), linears.end());
    // The file lists a layer's ".scale" before its ".values": both come from one quantization, kept until used.
    std::string pendingLayer;
    QuantizedWeight pending;
    const auto produce = [&](const SafetensorsLayout &entry) {
        if (cancelled && cancelled())
            throw EngineError(EngineError::Code::Cancelled, "loading the text encoder was cancelled");
        const size_t dot = entry.name.rfind('.');
        const std::string layer = entry.name.substr(0, dot);
        if (layer != pendingLayer) {
            const ChatGlmLinear &linear = *byName.at(layer);
            pending = quantizeWeight(linear.weight(), bits);
            releaseMappedPages(linear.weight()); // read once; the file's pages need not stay
            pendingLayer = layer;
        }
        return entry.name.compare(dot + 1, std::string::npos, "scale") == 0 ? pending.scale : pending.values;
    };
    torch::NoGradGuard noGrad;
    writeSafetensorsStreaming(path, std::move(layout), produce,
                              {{"format", "pt"},
                               {"kind", kKind},
                               {"format_version", kFormatVersion},
                               {"bits", std::to_string(bits)},
                               {"source", fingerprint}});
}

} // namespace

std::string quantCachePath(const std::string &cacheDir, const TensorStore &store, int bits)
{
    char name[64];
    std::snprintf(name, sizeof name, "chatglm3-int%d-%016llx.safetensors", bits,
                  static_cast<unsigned long long>(fnv1a(absolutePath(store.source()))));
    return (fs::u8path(cacheDir) / name).u8string();
}

QuantCacheOutcome quantizeTextEncoder(ChatGlmModel &model, const TensorStore &store, const QuantizationChoice &choice,
                                      c10::Device device, const std::function<bool()> &cancelled)
{
    QuantCacheOutcome outcome;
    if (choice.bits == 0)
        return outcome;
    if (choice.bits != 4 && choice.bits != 8)
        throw EngineError(EngineError::Code::BadArgument,
                          "text encoder quantization must be 4 or 8 bits, not " + std::to_string(choice.bits));
    if (choice.cacheDir.empty()) {
        model.quantizeLinears(choice.bits, device);
        return outcome;
    }
    const Linears linears = model.blockLinears();
    const std::string fingerprint = sourceFingerprint(store, choice.bits);
    outcome.path = quantCachePath(choice.cacheDir, store, choice.bits);
    std::error_code ec;
    if (fs::is_regular_file(fs::u8path(outcome.path), ec)) {
        try {
            const auto file = SafetensorsFile::open(outcome.path);
            if (matches(*file, linears, choice.bits, fingerprint)) {
                useCacheFile(*file, linears, choice.bits, device);
                outcome.use = QuantCacheUse::Mapped;
                return outcome;
            }
        } catch (const EngineError &) {
            // Not a cache file we can use (truncated, corrupt, another version): it is written anew below.
        }
    }
    try {
        writeCacheFile(outcome.path, linears, choice.bits, fingerprint, cancelled);
        useCacheFile(*SafetensorsFile::open(outcome.path), linears, choice.bits, device);
        outcome.use = QuantCacheUse::Written;
    } catch (const EngineError &error) {
        if (error.code() != EngineError::Code::Io && error.code() != EngineError::Code::BadFile &&
            error.code() != EngineError::Code::MissingFile)
            throw; // cancelled, out of memory: not the cache's fault
        model.quantizeLinears(choice.bits, device);
        outcome.use = QuantCacheUse::Fallback;
        outcome.problem = error.what();
    }
    return outcome;
}

} // namespace studio::engine
