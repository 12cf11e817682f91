#include "engine/lora/LoraFile.h"

#include "engine/common/EngineError.h"
#include "engine/io/TensorStore.h"
#include "engine/io/TorchPickle.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(c10::IntArrayRef shape)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

// Problems grouped by kind, each listing the tensor names, reported together in one EngineError.
class Problems
{
public:
    void add(EngineError::Code code, const std::string &group, const std::string &item)
    {
        if (m_groups.empty())
            m_code = code;
        auto it = m_index.find(group);
        if (it == m_index.end()) {
            it = m_index.emplace(group, m_groups.size()).first;
            m_groups.push_back({group, {}});
        }
        m_groups[it->second].second.push_back(item);
    }
    bool empty() const { return m_groups.empty(); }
    [[noreturn]] void raise(const std::string &label) const
    {
        constexpr size_t kShown = 12;
        std::string text = label + ": refusing the whole LoRA file:";
        for (const auto &[group, items] : m_groups) {
            text += "\n  " + std::to_string(items.size()) + " " + group + ": ";
            for (size_t i = 0; i < items.size() && i < kShown; ++i)
                text += (i ? ", " : "") + items[i];
            if (items.size() > kShown)
                text += ", ... (" + std::to_string(items.size() - kShown) + " more)";
        }
        throw EngineError(m_code, text);
    }

private:
    EngineError::Code m_code = EngineError::Code::BadFile;
    std::vector<std::pair<std::string, std::vector<std::string>>> m_groups;
    std::map<std::string, size_t> m_index;
};

bool isFloating(at::ScalarType type)
{
    return type == at::kFloat || type == at::kHalf || type == at::kBFloat16 || type == at::kDouble;
}

bool allFinite(const at::Tensor &tensor)
{
    return tensor.to(at::kFloat).isfinite().all().item<bool>();
}

enum class Sniffed
{
    Empty,
    Zip,
    Safetensors,
    Other
};

// The first bytes say what the file really is, whatever its name; a clear message beats a parser error when a
// checkpoint was renamed.
Sniffed sniff(const std::string &path, uint64_t size)
{
    if (size == 0)
        return Sniffed::Empty;
    std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw EngineError(EngineError::Code::Io, "cannot open LoRA file " + path + ": " + std::strerror(errno));
    unsigned char head[9] = {};
    const size_t got = std::fread(head, 1, sizeof head, file.get());
    if (got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0)
        return Sniffed::Zip;
    if (got == 9 && head[8] == '{') {
        uint64_t headerLength = 0;
        for (int i = 7; i >= 0; --i)
            headerLength = headerLength << 8 | head[i];
        if (headerLength >= 2 && headerLength <= size - 8)
            return Sniffed::Safetensors;
    }
    return Sniffed::Other;
}

TensorStore openStore(const std::string &path)
{
    std::error_code error;
    if (!fs::is_regular_file(path, error))
        throw EngineError(EngineError::Code::MissingFile, "LoRA file not found (or not a regular file): " + path);
    const uint64_t size = fs::file_size(path, error);
    if (error)
        throw EngineError(EngineError::Code::Io, "cannot read the size of LoRA file " + path + ": " + error.message());
    const bool namedSafetensors = endsWith(path, ".safetensors");
    switch (sniff(path, size)) {
    case Sniffed::Empty:
        throw EngineError(EngineError::Code::BadFile, "LoRA file " + path + " is empty");
    case Sniffed::Zip:
        if (namedSafetensors)
            throw EngineError(EngineError::Code::BadFile,
                              path +
                                  " is a zip archive (a torch checkpoint), not a safetensors file; rename it to .ckpt");
        if (!endsWith(path, ".ckpt") && !endsWith(path, ".pt") && !endsWith(path, ".pth") && !endsWith(path, ".bin"))
            return TensorStore::fromTensors(loadTorchPickle(path), path);
        break;
    case Sniffed::Safetensors:
        if (!namedSafetensors)
            throw EngineError(EngineError::Code::BadFile,
                              path + " holds safetensors data but is not named .safetensors; rename it");
        break;
    case Sniffed::Other:
        if (namedSafetensors)
            throw EngineError(EngineError::Code::BadFile, path + " is not a safetensors file (its header is invalid)");
        break;
    }
    return TensorStore::open(path);
}

} // namespace

LoraFile LoraFile::load(const std::string &path)
{
    return fromStore(openStore(path), path);
}

LoraFile LoraFile::fromStore(const TensorStore &store, const std::string &label)
{
    LoraFile lora;
    lora.m_label = label;
    lora.m_tensorCount = store.size();

    struct Group
    {
        LoraFormat format;
        std::string down, up, alpha;
    };
    std::map<std::string, Group> groups; // by stem
    std::set<LoraFormat> formats;
    Problems problems;
    for (const std::string &name : store.names()) {
        const LoraKey key = parseLoraKey(name);
        switch (key.kind) {
        case LoraKey::Kind::TextEncoder:
            problems.add(EngineError::Code::Unsupported,
                         "text-encoder LoRA tensors (Kolors' ChatGLM text encoder takes no LoRA here)", name);
            continue;
        case LoraKey::Kind::Unsupported:
            problems.add(EngineError::Code::Unsupported, "tensors of adapter types that are not plain LoRA",
                         name + " (" + key.why + ")");
            continue;
        case LoraKey::Kind::Unknown:
            problems.add(EngineError::Code::UnexpectedWeight, "tensors that are not LoRA weights", name);
            continue;
        case LoraKey::Kind::Weight:
            break;
        }
        formats.insert(key.format);
        Group &group = groups.try_emplace(key.stem, Group{key.format, {}, {}, {}}).first->second;
        std::string &slot = key.role == LoraKey::Role::Down ? group.down
                            : key.role == LoraKey::Role::Up ? group.up
                                                            : group.alpha;
        if (!slot.empty()) {
            problems.add(EngineError::Code::BadFile, "layers given twice", slot + " and " + name);
            continue;
        }
        slot = name;
    }
    if (formats.size() > 1) {
        std::string list;
        for (LoraFormat format : formats)
            list += std::string(list.empty() ? "" : " + ") + loraFormatName(format);
        problems.add(EngineError::Code::BadFile, "naming schemes mixed in one file", list);
    }
    if (store.size() == 0)
        throw EngineError(EngineError::Code::BadFile, label + " holds no tensors");
    if (groups.empty() && problems.empty())
        throw EngineError(EngineError::Code::BadFile, label + " holds no LoRA layers");

    for (const auto &[stem, group] : groups) {
        if (group.down.empty() || group.up.empty()) {
            const std::string &present = !group.down.empty() ? group.down : !group.up.empty() ? group.up : group.alpha;
            const char *missing = group.down.empty() && group.up.empty() ? "down and up"
                                  : group.down.empty()                   ? "down"
                                                                         : "up";
            problems.add(EngineError::Code::MissingWeight, "tensors without the rest of their LoRA pair",
                         present + " (no " + missing + " tensor)");
            continue;
        }
        LoraPair pair;
        pair.stem = stem;
        pair.downName = group.down;
        pair.upName = group.up;
        pair.alphaName = group.alpha;
        const TensorInfo *down = store.find(group.down);
        const TensorInfo *up = store.find(group.up);
        bool ok = true;
        for (const TensorInfo *info : {down, up}) {
            if (!isFloating(info->dtype)) {
                problems.add(EngineError::Code::DtypeMismatch, "tensors that are not floating point",
                             info->name + " (" + c10::toString(info->dtype) + ")");
                ok = false;
            }
        }
        const auto &ds = down->shape;
        const auto &us = up->shape;
        const bool dimsOk = (ds.size() == 2 || ds.size() == 4) && us.size() == ds.size();
        if (!dimsOk) {
            problems.add(EngineError::Code::ShapeMismatch, "pairs whose shapes are not a linear or conv LoRA",
                         pair.downName + " " + shapeText(ds) + " with " + pair.upName + " " + shapeText(us));
            continue;
        }
        bool positive = true;
        for (int64_t extent : ds)
            positive = positive && extent > 0;
        for (int64_t extent : us)
            positive = positive && extent > 0;
        if (!positive) {
            problems.add(EngineError::Code::ShapeMismatch, "pairs with an empty dimension",
                         pair.downName + " " + shapeText(ds) + " with " + pair.upName + " " + shapeText(us));
            continue;
        }
        if (us[1] != ds[0]) {
            problems.add(EngineError::Code::ShapeMismatch, "pairs whose down and up ranks differ",
                         pair.downName + " " + shapeText(ds) + " (rank " + std::to_string(ds[0]) + ") with " +
                             pair.upName + " " + shapeText(us) + " (rank " + std::to_string(us[1]) + ")");
            continue;
        }
        if (us.size() == 4 && (us[2] != 1 || us[3] != 1)) {
            problems.add(EngineError::Code::Unsupported, "conv LoRA pairs whose up kernel is not 1x1",
                         pair.upName + " " + shapeText(us));
            continue;
        }
        if (!ok)
            continue;
        pair.down = store.get(group.down);
        pair.up = store.get(group.up);
        pair.rank = ds[0];
        for (const auto &[name, tensor] : {std::pair{pair.downName, pair.down}, std::pair{pair.upName, pair.up}}) {
            if (!allFinite(tensor)) {
                problems.add(EngineError::Code::BadFile, "tensors holding NaN or infinity", name);
                ok = false;
            }
        }
        if (!group.alpha.empty()) {
            const TensorInfo *info = store.find(group.alpha);
            const at::Tensor alpha = store.get(group.alpha);
            if (alpha.numel() != 1 || info->dtype == at::kBool || alpha.is_complex()) {
                problems.add(EngineError::Code::BadFile, "alpha tensors that are not one number",
                             group.alpha + " " + shapeText(info->shape));
                ok = false;
            } else {
                const double value = alpha.to(at::kDouble).reshape({}).item<double>();
                if (!std::isfinite(value)) {
                    problems.add(EngineError::Code::BadFile, "alpha tensors that are not finite", group.alpha);
                    ok = false;
                }
                pair.alpha = value;
            }
        }
        if (ok)
            lora.m_pairs.push_back(std::move(pair));
    }
    if (!problems.empty())
        problems.raise(label);
    lora.m_format = *formats.begin();
    return lora;
}

const LoraPair *LoraFile::findPair(const std::string &stem) const
{
    for (const LoraPair &pair : m_pairs)
        if (pair.stem == stem)
            return &pair;
    return nullptr;
}

} // namespace studio::engine
