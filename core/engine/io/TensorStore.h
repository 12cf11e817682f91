#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class SafetensorsFile;

struct TensorInfo
{
    std::string name;
    at::ScalarType dtype;
    std::vector<int64_t> shape;
    std::string file; // the file holding it, for error messages
};

// Every tensor of one checkpoint, whatever its files: a single .safetensors, a sharded
// `*.safetensors.index.json` / `pytorch_model.bin.index.json`, or a torch pickle (.bin/.ckpt/.pt/.pth).
// Safetensors tensors are read lazily from memory maps; pickles are read whole.
class TensorStore
{
public:
    TensorStore() = default;
    static TensorStore open(const std::string &path); // throws EngineError naming the file
    static TensorStore fromTensors(std::vector<std::pair<std::string, at::Tensor>> tensors, const std::string &label);

    std::vector<std::string> names() const; // sorted
    size_t size() const { return m_slots.size(); }
    bool contains(const std::string &name) const { return m_slots.count(name) != 0; }
    const TensorInfo *find(const std::string &name) const;
    // CPU tensor (view of the mapped file or the loaded pickle). Throws EngineError::MissingWeight.
    at::Tensor get(const std::string &name) const;

    // Names starting with `prefix` lose it (e.g. "transformer." of original ChatGLM checkpoints); others stay.
    TensorStore withPrefixStripped(const std::string &prefix) const;
    bool anyNameStartsWith(const std::string &prefix) const;
    const std::vector<std::string> &files() const { return m_files; }
    std::string describe() const; // "a.safetensors" or "model.safetensors.index.json (3 shards)"
    // The path that was opened (the index file for sharded checkpoints), or the label of fromTensors().
    const std::string &source() const { return m_source; }

private:
    struct Slot
    {
        TensorInfo info;
        std::shared_ptr<SafetensorsFile> file; // lazy source, or
        std::string key;                       // name inside that file
        at::Tensor tensor;                     // eager source
    };
    void addSafetensors(const std::shared_ptr<SafetensorsFile> &file, const std::string &onlyName = {});
    void addTensors(std::vector<std::pair<std::string, at::Tensor>> tensors, const std::string &label);
    void openIndex(const std::string &indexPath);

    std::map<std::string, Slot> m_slots;
    std::vector<std::string> m_files;
    std::string m_description;
    std::string m_source;
};

} // namespace studio::engine
