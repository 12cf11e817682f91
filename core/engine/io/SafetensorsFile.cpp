#include "engine/io/SafetensorsFile.h"

#include "engine/common/EngineError.h"
#include "engine/io/MappedFile.h"

#include <ATen/ATen.h>
#include <c10/util/accumulate.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace studio::engine {
namespace {

// Headers of real checkpoints are well below 10 MB; a larger claim means a corrupt or hostile file.
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct DtypeName
{
    const char *name;
    at::ScalarType type;
};
constexpr DtypeName kDtypes[] = {
    {"F64", at::kDouble}, {"F32", at::kFloat}, {"F16", at::kHalf}, {"BF16", at::kBFloat16}, {"I64", at::kLong},
    {"I32", at::kInt},    {"I16", at::kShort}, {"I8", at::kChar},  {"U8", at::kByte},       {"BOOL", at::kBool},
};

EngineError bad(const std::string &label, const std::string &what)
{
    return EngineError(EngineError::Code::BadFile, label + ": " + what);
}

// A header nests three levels (header, tensor, shape). A deeper one is hostile: refuse it before the JSON parser
// builds (and later frees) one node per bracket.
constexpr int kMaxHeaderNesting = 8;
constexpr size_t kMaxDims = 64;

bool nestsTooDeep(const char *text, uint64_t length)
{
    int depth = 0;
    bool inString = false;
    for (uint64_t i = 0; i < length; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxHeaderNesting)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

bool multiplyChecked(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a)
        return false;
    *out = a * b;
    return true;
}

} // namespace

const char *safetensorsDtypeName(at::ScalarType dtype)
{
    for (const DtypeName &d : kDtypes)
        if (d.type == dtype)
            return d.name;
    return nullptr;
}

std::vector<SafetensorsEntry> SafetensorsFile::parseHeader(const uint8_t *data, uint64_t size, const std::string &label,
                                                           std::map<std::string, std::string> *metadata,
                                                           uint64_t *dataOffset)
{
    if (size < 8)
        throw bad(label, "too short to be a safetensors file (" + std::to_string(size) + " bytes)");
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | data[i];
    if (headerLength > kMaxHeaderBytes || headerLength > size - 8)
        throw bad(label, "header length " + std::to_string(headerLength) + " does not fit the file of " +
                             std::to_string(size) + " bytes");
    const char *headerBegin = reinterpret_cast<const char *>(data + 8);
    if (nestsTooDeep(headerBegin, headerLength))
        throw bad(label, "header nests deeper than " + std::to_string(kMaxHeaderNesting) + " levels");
    const nlohmann::json header =
        nlohmann::json::parse(headerBegin, headerBegin + headerLength, nullptr, /*allow_exceptions=*/false);
    if (header.is_discarded())
        throw bad(label, "header is not valid JSON");
    if (!header.is_object())
        throw bad(label, "header is not a JSON object");

    const uint64_t dataSize = size - 8 - headerLength;
    std::vector<SafetensorsEntry> entries;
    entries.reserve(header.size());
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string &name = it.key();
        const nlohmann::json &value = it.value();
        if (name == "__metadata__") {
            if (!value.is_object())
                throw bad(label, "__metadata__ is not an object");
            for (auto m = value.begin(); m != value.end(); ++m) {
                if (!m.value().is_string())
                    throw bad(label, "__metadata__ value \"" + m.key() + "\" is not a string");
                if (metadata)
                    (*metadata)[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor \"" + name + "\"";
        if (!value.is_object())
            throw bad(label, where + " is not an object");
        if (!value.contains("dtype") || !value["dtype"].is_string())
            throw bad(label, where + " has no dtype");
        if (!value.contains("shape") || !value["shape"].is_array())
            throw bad(label, where + " has no shape");
        if (!value.contains("data_offsets") || !value["data_offsets"].is_array() || value["data_offsets"].size() != 2)
            throw bad(label, where + " has no data_offsets [begin, end]");

        SafetensorsEntry entry;
        entry.name = name;
        const std::string dtype = value["dtype"].get<std::string>();
        const DtypeName *known =
            std::find_if(std::begin(kDtypes), std::end(kDtypes), [&](const DtypeName &d) { return dtype == d.name; });
        if (known == std::end(kDtypes))
            throw bad(label, where + " has unsupported dtype " + dtype);
        entry.dtype = known->type;

        if (value["shape"].size() > kMaxDims)
            throw bad(label, where + " has more than " + std::to_string(kMaxDims) + " dimensions");
        uint64_t elements = 1;
        for (const nlohmann::json &dim : value["shape"]) {
            if (!dim.is_number_unsigned() || dim.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
                throw bad(label, where + " has an invalid shape");
            entry.shape.push_back(int64_t(dim.get<uint64_t>()));
            if (!multiplyChecked(elements, dim.get<uint64_t>(), &elements))
                throw bad(label, where + " shape overflows");
        }
        for (const nlohmann::json &offset : value["data_offsets"])
            if (!offset.is_number_unsigned())
                throw bad(label, where + " has invalid data_offsets");
        entry.begin = value["data_offsets"][0].get<uint64_t>();
        entry.end = value["data_offsets"][1].get<uint64_t>();
        if (entry.begin > entry.end || entry.end > dataSize)
            throw bad(label, where + " byte range [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                                 ") lies outside the data section of " + std::to_string(dataSize) + " bytes");
        uint64_t bytes = 0;
        if (!multiplyChecked(elements, uint64_t(c10::elementSize(entry.dtype)), &bytes) ||
            bytes != entry.end - entry.begin)
            throw bad(label, where + " byte range of " + std::to_string(entry.end - entry.begin) +
                                 " bytes does not match its shape and dtype");
        entries.push_back(std::move(entry));
    }

    std::vector<const SafetensorsEntry *> byOffset;
    for (const SafetensorsEntry &e : entries)
        if (e.end > e.begin)
            byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const SafetensorsEntry *a, const SafetensorsEntry *b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            throw bad(label, "tensors \"" + byOffset[i - 1]->name + "\" and \"" + byOffset[i]->name + "\" overlap");
    if (dataOffset)
        *dataOffset = 8 + headerLength;
    return entries;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string &path)
{
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_file = MappedFile::open(path);
    file->m_entries =
        parseHeader(file->m_file->data(), file->m_file->size(), path, &file->m_metadata, &file->m_dataOffset);
    for (size_t i = 0; i < file->m_entries.size(); ++i)
        file->m_index[file->m_entries[i].name] = i;
    return file;
}

const std::string &SafetensorsFile::path() const
{
    return m_file->path();
}

const SafetensorsEntry *SafetensorsFile::find(const std::string &name) const
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

at::Tensor SafetensorsFile::tensor(const std::string &name) const
{
    const SafetensorsEntry *entry = find(name);
    if (!entry)
        throw EngineError(EngineError::Code::MissingWeight, path() + ": no tensor \"" + name + "\"");
    const auto options = at::TensorOptions().dtype(entry->dtype).device(at::kCPU);
    uint8_t *bytes = m_file->data() + m_dataOffset + entry->begin;
    if (entry->end == entry->begin)
        return at::empty(entry->shape, options);
    if (reinterpret_cast<uintptr_t>(bytes) % c10::elementSize(entry->dtype) != 0) {
        at::Tensor copy = at::empty(entry->shape, options);
        std::memcpy(copy.data_ptr(), bytes, entry->end - entry->begin);
        return copy;
    }
    std::shared_ptr<MappedFile> keepAlive = m_file;
    return at::from_blob(
        bytes, entry->shape, [keepAlive](void *) mutable { keepAlive.reset(); }, options);
}

void writeSafetensors(const std::string &path, const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    std::map<std::string, at::Tensor> byName;
    std::vector<SafetensorsLayout> layout;
    for (const auto &[name, tensor] : tensors) {
        if (!byName.emplace(name, tensor).second)
            throw EngineError(EngineError::Code::BadArgument,
                              "cannot write " + path + ": tensor name \"" + name + "\" is repeated");
        layout.push_back({name, tensor.scalar_type(), tensor.sizes().vec()});
    }
    writeSafetensorsStreaming(path, std::move(layout),
                              [&](const SafetensorsLayout &entry) { return byName.at(entry.name); }, metadata);
}

namespace {

void writeAll(std::ofstream &out, const void *data, uint64_t bytes)
{
    // ostream::write takes a signed streamsize: write very large tensors in pieces.
    const char *at = static_cast<const char *>(data);
    constexpr uint64_t kPiece = uint64_t(1) << 30;
    for (uint64_t done = 0; done < bytes && out; done += kPiece)
        out.write(at + done, std::streamsize(std::min(kPiece, bytes - done)));
}

std::string temporaryNameFor(const std::string &path)
{
    std::random_device random;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".part-%08x", unsigned(random()));
    return path + suffix;
}

} // namespace

void writeSafetensorsStreaming(const std::string &path, std::vector<SafetensorsLayout> layout,
                               const std::function<at::Tensor(const SafetensorsLayout &)> &produce,
                               const std::map<std::string, std::string> &metadata)
{
    std::sort(layout.begin(), layout.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (size_t i = 0; i < layout.size(); ++i) {
        const SafetensorsLayout &entry = layout[i];
        if (entry.name == "__metadata__" || (i > 0 && entry.name == layout[i - 1].name))
            throw EngineError(EngineError::Code::BadArgument,
                              "cannot write " + path + ": tensor name \"" + entry.name + "\" is reserved or repeated");
        const char *dtype = safetensorsDtypeName(entry.dtype);
        if (!dtype)
            throw EngineError(EngineError::Code::BadArgument, "cannot store dtype of tensor \"" + entry.name + "\"");
        const uint64_t bytes = uint64_t(c10::multiply_integers(entry.shape)) * c10::elementSize(entry.dtype);
        header[entry.name] = {{"dtype", dtype}, {"shape", entry.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' ');

    const std::string temporary = temporaryNameFor(path);
    std::error_code ec;
    try {
        std::ofstream out(std::filesystem::u8path(temporary), std::ios::binary | std::ios::trunc);
        if (!out)
            throw EngineError(EngineError::Code::Io, "cannot write " + path);
        uint8_t length[8];
        for (int i = 0; i < 8; ++i)
            length[i] = uint8_t(uint64_t(headerText.size()) >> (8 * i));
        writeAll(out, length, 8);
        writeAll(out, headerText.data(), headerText.size());
        for (const SafetensorsLayout &entry : layout) {
            const at::Tensor value = produce(entry).detach().to(at::kCPU).contiguous();
            if (value.scalar_type() != entry.dtype || value.sizes().vec() != entry.shape)
                throw EngineError(EngineError::Code::BadArgument,
                                  "cannot write " + path + ": tensor \"" + entry.name + "\" is not as declared");
            writeAll(out, value.data_ptr(), uint64_t(value.numel()) * value.element_size());
            if (!out)
                throw EngineError(EngineError::Code::Io, "cannot write " + path + " (disk full?)");
        }
        if (!out.flush())
            throw EngineError(EngineError::Code::Io, "cannot write " + path + " (disk full?)");
    } catch (...) {
        std::filesystem::remove(std::filesystem::u8path(temporary), ec);
        throw;
    }
    std::filesystem::rename(std::filesystem::u8path(temporary), std::filesystem::u8path(path), ec);
    if (ec) {
        std::filesystem::remove(std::filesystem::u8path(temporary), ec);
        throw EngineError(EngineError::Code::Io, "cannot write " + path);
    }
}

} // namespace studio::engine
