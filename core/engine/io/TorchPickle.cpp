#include "engine/io/TorchPickle.h"

#include "engine/common/EngineError.h"
#include "engine/io/MappedFile.h"
#include "engine/io/PickleReader.h"
#include "engine/io/ZipArchive.h"

#include <ATen/ATen.h>

#include <cstring>

namespace studio::engine {
namespace {

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// torch.save writes <archive>/data.pkl, <archive>/data/<key> for each storage, <archive>/version and maybe
// <archive>/byteorder. <archive> is any single folder name.
const ZipArchive::Entry *findPickle(const ZipArchive &zip, std::string *prefix)
{
    const ZipArchive::Entry *found = nullptr;
    for (const ZipArchive::Entry &entry : zip.entries()) {
        const size_t slash = entry.name.find('/');
        if (slash == std::string::npos || entry.name.compare(slash, std::string::npos, "/data.pkl") != 0)
            continue;
        if (found)
            return nullptr; // two pickles: not an archive we understand
        found = &entry;
        *prefix = entry.name.substr(0, slash + 1);
    }
    return found;
}

} // namespace

std::vector<std::pair<std::string, at::Tensor>>
readTorchPickle(const uint8_t *data, uint64_t size, const std::string &label, std::shared_ptr<const void> owner)
{
    if (size >= 2 && data[0] == 0x80 && !(size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0))
        throw EngineError(EngineError::Code::Unsupported,
                          label + ": the legacy torch.save format (before PyTorch 1.6) is not supported; "
                                  "re-save the file with a current PyTorch or as .safetensors");
    const ZipArchive zip = ZipArchive::parse(data, size, label);
    std::string prefix;
    const ZipArchive::Entry *pickle = findPickle(zip, &prefix);
    if (!pickle)
        throw EngineError(EngineError::Code::BadFile, label + ": not a torch.save archive (no single <name>/data.pkl)");
    if (const ZipArchive::Entry *order = zip.find(prefix + "byteorder")) {
        const std::string text(reinterpret_cast<const char *>(data + order->offset), size_t(order->size));
        if (text != "little")
            throw EngineError(EngineError::Code::Unsupported, label + ": tensors stored in " + text + "-endian order");
    }

    const PickleStorageLoader storage = [&](const std::string &key, c10::ScalarType dtype, int64_t numel) {
        if (key.empty() || key.find('/') != std::string::npos || key.find('\\') != std::string::npos)
            throw EngineError(EngineError::Code::BadFile, label + ": invalid storage key \"" + key + "\"");
        const auto options = at::TensorOptions().dtype(dtype);
        if (numel == 0)
            return at::empty({0}, options);
        const ZipArchive::Entry *record = zip.find(prefix + "data/" + key);
        if (!record)
            throw EngineError(EngineError::Code::BadFile, label + ": storage \"" + key + "\" is missing");
        const uint64_t element = uint64_t(c10::elementSize(dtype));
        if (uint64_t(numel) > record->size / element)
            throw EngineError(EngineError::Code::BadFile,
                              label + ": storage \"" + key + "\" holds " + std::to_string(record->size) +
                                  " bytes, not " + std::to_string(numel) + " elements of " + c10::toString(dtype));
        uint8_t *bytes = const_cast<uint8_t *>(data + record->offset);
        if (reinterpret_cast<uintptr_t>(bytes) % element != 0) {
            at::Tensor copy = at::empty({numel}, options);
            std::memcpy(copy.data_ptr(), bytes, size_t(uint64_t(numel) * element));
            return copy;
        }
        // The deleter owns a reference to the buffer; the tensor is read-only in spirit (the mapping is private).
        std::shared_ptr<const void> keep = owner;
        return at::from_blob(
            bytes, {numel}, [keep](void *) mutable { keep.reset(); }, options);
    };
    return readPickledStateDict(data + pickle->offset, pickle->size, label, storage, PickleBudget::forFile(size));
}

std::vector<std::pair<std::string, at::Tensor>> loadTorchPickle(const std::string &path)
{
    const std::shared_ptr<MappedFile> file = MappedFile::open(path);
    return readTorchPickle(file->data(), file->size(), path, file);
}

} // namespace studio::engine
