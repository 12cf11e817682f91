#include "engine/io/TensorStore.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TorchPickle.h"

#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isPickleName(const std::string &path)
{
    return endsWith(path, ".bin") || endsWith(path, ".ckpt") || endsWith(path, ".pt") || endsWith(path, ".pth");
}

// `model.safetensors.index.json`, `pytorch_model.bin.index.json`, and the variant form
// `model.safetensors.index.fp16.json` that transformers/diffusers write for `variant="fp16"`.
bool isIndexName(const std::string &path)
{
    const std::string name = fs::u8path(path).filename().u8string();
    return endsWith(name, ".json") && name.find(".index.") != std::string::npos;
}

// A shard named by an index file must be a plain file name next to the index: never a path that leaves the folder.
bool isPlainFileName(const std::string &name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\\') == std::string::npos && name.find(':') == std::string::npos;
}

} // namespace

TensorStore TensorStore::open(const std::string &path)
{
    TensorStore store;
    if (isIndexName(path)) {
        store.openIndex(path);
    } else if (endsWith(path, ".safetensors")) {
        store.addSafetensors(SafetensorsFile::open(path));
        store.m_description = fs::u8path(path).filename().u8string();
    } else if (isPickleName(path)) {
        store.addTensors(loadTorchPickle(path), path);
        store.m_description = fs::u8path(path).filename().u8string();
    } else {
        throw EngineError(EngineError::Code::BadFile, "not a known weight file type: " + path);
    }
    store.m_source = path;
    return store;
}

TensorStore TensorStore::fromTensors(std::vector<std::pair<std::string, at::Tensor>> tensors, const std::string &label)
{
    TensorStore store;
    store.addTensors(std::move(tensors), label);
    store.m_description = label;
    store.m_source = label;
    return store;
}

void TensorStore::openIndex(const std::string &indexPath)
{
    const nlohmann::json index = readJsonFile(indexPath);
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw EngineError(EngineError::Code::BadFile, indexPath + ": no \"weight_map\" object");
    const fs::path folder = fs::u8path(indexPath).parent_path();
    std::map<std::string, std::vector<std::string>> namesByShard;
    for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
        if (!it.value().is_string())
            throw EngineError(EngineError::Code::BadFile,
                              indexPath + ": shard of \"" + it.key() + "\" is not a string");
        const std::string shard = it.value().get<std::string>();
        if (!isPlainFileName(shard))
            throw EngineError(EngineError::Code::BadFile,
                              indexPath + ": shard name \"" + shard + "\" is not a file name in the index's folder");
        namesByShard[shard].push_back(it.key());
    }
    if (namesByShard.empty())
        throw EngineError(EngineError::Code::BadFile, indexPath + ": the weight_map is empty");
    for (const auto &[shard, names] : namesByShard) {
        const std::string shardPath = (folder / fs::u8path(shard)).u8string();
        // Shards hold tensors; an index naming another index (or itself) would recurse.
        if (!endsWith(shard, ".safetensors") && !isPickleName(shard))
            throw EngineError(EngineError::Code::BadFile,
                              indexPath + ": shard \"" + shard + "\" is not a .safetensors or .bin file");
        TensorStore part = open(shardPath);
        for (const std::string &name : names) {
            auto slot = part.m_slots.find(name);
            if (slot == part.m_slots.end())
                throw EngineError(EngineError::Code::MissingWeight,
                                  indexPath + " lists \"" + name + "\" in " + shard + ", which does not hold it");
            m_slots[name] = slot->second;
        }
        m_files.push_back(shardPath);
    }
    m_description =
        fs::u8path(indexPath).filename().u8string() + " (" + std::to_string(namesByShard.size()) + " shards)";
}

void TensorStore::addSafetensors(const std::shared_ptr<SafetensorsFile> &file, const std::string &onlyName)
{
    for (const SafetensorsEntry &entry : file->entries()) {
        if (!onlyName.empty() && entry.name != onlyName)
            continue;
        Slot slot;
        slot.info = {entry.name, entry.dtype, entry.shape, file->path()};
        slot.file = file;
        slot.key = entry.name;
        m_slots[entry.name] = std::move(slot);
    }
    m_files.push_back(file->path());
}

void TensorStore::addTensors(std::vector<std::pair<std::string, at::Tensor>> tensors, const std::string &label)
{
    for (auto &[name, tensor] : tensors) {
        Slot slot;
        slot.info = {name, tensor.scalar_type(), tensor.sizes().vec(), label};
        slot.tensor = std::move(tensor);
        m_slots[name] = std::move(slot);
    }
    m_files.push_back(label);
}

std::vector<std::string> TensorStore::names() const
{
    std::vector<std::string> result;
    result.reserve(m_slots.size());
    for (const auto &entry : m_slots)
        result.push_back(entry.first);
    return result;
}

const TensorInfo *TensorStore::find(const std::string &name) const
{
    const auto it = m_slots.find(name);
    return it == m_slots.end() ? nullptr : &it->second.info;
}

at::Tensor TensorStore::get(const std::string &name) const
{
    const auto it = m_slots.find(name);
    if (it == m_slots.end())
        throw EngineError(EngineError::Code::MissingWeight, describe() + ": no tensor \"" + name + "\"");
    const Slot &slot = it->second;
    return slot.file ? slot.file->tensor(slot.key) : slot.tensor;
}

TensorStore TensorStore::withPrefixStripped(const std::string &prefix) const
{
    TensorStore result;
    result.m_files = m_files;
    result.m_description = m_description;
    result.m_source = m_source;
    for (const auto &[name, slot] : m_slots) {
        const bool has = name.compare(0, prefix.size(), prefix) == 0;
        std::string newName = has ? name.substr(prefix.size()) : name;
        // "transformer.x" next to "x" would silently shadow one of them: refuse instead.
        if (result.m_slots.count(newName))
            throw EngineError(EngineError::Code::BadFile,
                              describe() + " holds both \"" + newName + "\" and \"" + prefix + newName + "\"");
        Slot copy = slot;
        copy.info.name = newName;
        result.m_slots[newName] = std::move(copy);
    }
    return result;
}

bool TensorStore::anyNameStartsWith(const std::string &prefix) const
{
    const auto it = m_slots.lower_bound(prefix);
    return it != m_slots.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::string TensorStore::describe() const
{
    return m_description;
}

} // namespace studio::engine
