#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class MappedFile;

struct SafetensorsEntry
{
    std::string name;
    at::ScalarType dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0; // byte offsets relative to the start of the data section
    uint64_t end = 0;
};

// A validated .safetensors file over a memory map (format: 8-byte little-endian header length, JSON header,
// raw little-endian data). open() checks everything up front, so tensor() can only fail on unknown names:
// header length within the file, valid JSON object, known dtypes, byte ranges = shape x element size,
// ranges inside the data section and not overlapping.
class SafetensorsFile
{
public:
    static std::shared_ptr<SafetensorsFile> open(const std::string &path); // throws EngineError
    // Validates an in-memory image of a file (used by open() and the fuzzer). `label` names it in errors.
    static std::vector<SafetensorsEntry> parseHeader(const uint8_t *data, uint64_t size, const std::string &label,
                                                     std::map<std::string, std::string> *metadata = nullptr,
                                                     uint64_t *dataOffset = nullptr);

    const std::string &path() const;
    const std::vector<SafetensorsEntry> &entries() const { return m_entries; } // in header order
    const SafetensorsEntry *find(const std::string &name) const;
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }

    // A CPU tensor viewing the mapped bytes (kept alive by the tensor); a single copy only when the bytes
    // are not aligned for the element type. Throws EngineError::MissingWeight for an unknown name.
    at::Tensor tensor(const std::string &name) const;

private:
    std::shared_ptr<MappedFile> m_file;
    uint64_t m_dataOffset = 0;
    std::vector<SafetensorsEntry> m_entries;
    std::map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// Writes tensors (any device/layout; stored contiguous, little-endian) in sorted name order, atomically
// (temporary file + rename). Used by tests, the `encode` command and tools.
void writeSafetensors(const std::string &path, const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                      const std::map<std::string, std::string> &metadata = {{"format", "pt"}});

const char *safetensorsDtypeName(at::ScalarType dtype); // "F32", ... ; nullptr when not storable

// One tensor of a file written by writeSafetensorsStreaming, declared before its values exist.
struct SafetensorsLayout
{
    std::string name;
    at::ScalarType dtype;
    std::vector<int64_t> shape;
};

// Writes a safetensors file one tensor at a time, for files larger than the memory at hand (a quantized text
// encoder, a random real-size model): the header is written from `layout`, then `produce` is asked for each
// tensor in the file's order (sorted by name) and must return it with the declared dtype and shape (any device).
// Atomic like writeSafetensors: a temporary file of its own (two writers of one path do not mix) renamed at the
// end, removed on any failure, including an exception thrown by `produce` (cancelling), which passes through.
// Throws EngineError::Io naming the path (disk full, no permission), BadArgument for a wrong tensor.
void writeSafetensorsStreaming(const std::string &path, std::vector<SafetensorsLayout> layout,
                               const std::function<at::Tensor(const SafetensorsLayout &)> &produce,
                               const std::map<std::string, std::string> &metadata = {{"format", "pt"}});

} // namespace studio::engine
