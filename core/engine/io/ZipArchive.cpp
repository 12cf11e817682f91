#include "engine/io/ZipArchive.h"

#include "engine/common/EngineError.h"

#include <algorithm>

namespace studio::engine {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint64_t kEndSize = 22, kLocatorSize = 20, kZip64EndSize = 56, kCentralSize = 46, kLocalSize = 30;

// Bounds-checked little-endian reads: every access states what it reads, so a short file names the field.
class Bytes
{
public:
    Bytes(const uint8_t *data, uint64_t size, const std::string &label) : m_data(data), m_size(size), m_label(label) {}

    bool fits(uint64_t offset, uint64_t length) const { return offset <= m_size && length <= m_size - offset; }
    void need(uint64_t offset, uint64_t length, const char *what) const
    {
        if (!fits(offset, length))
            throw EngineError(EngineError::Code::BadFile, m_label + ": zip " + what + " lies outside the file");
    }
    uint64_t le(uint64_t offset, int bytes) const
    {
        uint64_t value = 0;
        for (int i = bytes - 1; i >= 0; --i)
            value = (value << 8) | m_data[offset + uint64_t(i)];
        return value;
    }
    uint16_t u16(uint64_t offset) const { return uint16_t(le(offset, 2)); }
    uint32_t u32(uint64_t offset) const { return uint32_t(le(offset, 4)); }
    uint64_t u64(uint64_t offset) const { return le(offset, 8); }
    std::string text(uint64_t offset, uint64_t length) const
    {
        return std::string(reinterpret_cast<const char *>(m_data + offset), size_t(length));
    }
    uint64_t size() const { return m_size; }

private:
    const uint8_t *m_data;
    uint64_t m_size;
    const std::string &m_label;
};

EngineError bad(const std::string &label, const std::string &what)
{
    return EngineError(EngineError::Code::BadFile, label + ": " + what);
}

} // namespace

ZipArchive ZipArchive::parse(const uint8_t *data, uint64_t size, const std::string &label)
{
    const Bytes in(data, size, label);
    if (size < kEndSize)
        throw bad(label, "not a zip archive (" + std::to_string(size) + " bytes)");

    // The end-of-central-directory record: the last signature whose comment reaches exactly the end of the file.
    uint64_t end = UINT64_MAX;
    const uint64_t lowest = size - kEndSize > 0xFFFF ? size - kEndSize - 0xFFFF : 0;
    for (uint64_t pos = size - kEndSize + 1; pos-- > lowest;) {
        if (in.u32(pos) == kEndOfCentralDirectory && pos + kEndSize + in.u16(pos + 20) == size) {
            end = pos;
            break;
        }
    }
    if (end == UINT64_MAX)
        throw bad(label, "not a zip archive (no end of central directory)");

    uint64_t entryCount = in.u16(end + 10);
    uint64_t directorySize = in.u32(end + 12);
    uint64_t directoryOffset = in.u32(end + 16);
    if (in.u16(end + 4) != in.u16(end + 6) || in.u16(end + 8) != in.u16(end + 10))
        throw bad(label, "multi-disk zip archives are not supported");
    if (end >= kLocatorSize && in.u32(end - kLocatorSize) == kZip64Locator) {
        const uint64_t zip64End = in.u64(end - kLocatorSize + 8);
        in.need(zip64End, kZip64EndSize, "zip64 end record");
        if (in.u32(zip64End) != kZip64End)
            throw bad(label, "broken zip64 end record");
        if (in.u64(zip64End + 24) != in.u64(zip64End + 32))
            throw bad(label, "multi-disk zip archives are not supported");
        entryCount = in.u64(zip64End + 32);
        directorySize = in.u64(zip64End + 40);
        directoryOffset = in.u64(zip64End + 48);
    }
    in.need(directoryOffset, directorySize, "central directory");
    if (entryCount > directorySize / kCentralSize)
        throw bad(label, "zip central directory claims " + std::to_string(entryCount) + " entries in " +
                             std::to_string(directorySize) + " bytes");

    ZipArchive archive;
    archive.m_entries.reserve(size_t(entryCount));
    const uint64_t directoryEnd = directoryOffset + directorySize;
    uint64_t pos = directoryOffset;
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (pos + kCentralSize > directoryEnd || in.u32(pos) != kCentralHeader)
            throw bad(label, "broken zip central directory entry " + std::to_string(i));
        const uint16_t flags = in.u16(pos + 8), method = in.u16(pos + 10);
        uint64_t compressed = in.u32(pos + 20), uncompressed = in.u32(pos + 24);
        const uint64_t nameLength = in.u16(pos + 28), extraLength = in.u16(pos + 30), commentLength = in.u16(pos + 32);
        uint64_t localOffset = in.u32(pos + 42);
        const uint64_t next = pos + kCentralSize + nameLength + extraLength + commentLength;
        if (next > directoryEnd)
            throw bad(label, "broken zip central directory entry " + std::to_string(i));
        Entry entry;
        entry.name = in.text(pos + kCentralSize, nameLength);

        // zip64 extra field: the 64-bit values of exactly those fields that hold 0xFFFFFFFF, in this order.
        uint64_t extra = pos + kCentralSize + nameLength;
        const uint64_t extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            const uint16_t id = in.u16(extra), length = in.u16(extra + 2);
            if (extra + 4 + length > extraEnd)
                throw bad(label, "broken zip extra field of \"" + entry.name + "\"");
            if (id == 0x0001) {
                uint64_t field = extra + 4;
                for (uint64_t *value : {&uncompressed, &compressed, &localOffset}) {
                    if (*value != 0xFFFFFFFFu)
                        continue;
                    if (field + 8 > extra + 4 + length)
                        throw bad(label, "broken zip64 field of \"" + entry.name + "\"");
                    *value = in.u64(field);
                    field += 8;
                }
            }
            extra += 4 + length;
        }

        if (flags & 0x1)
            throw bad(label, "zip entry \"" + entry.name + "\" is encrypted");
        if (method != 0 || compressed != uncompressed)
            throw bad(label,
                      "zip entry \"" + entry.name + "\" is compressed; torch archives store entries as they are");
        in.need(localOffset, kLocalSize, "local header");
        if (in.u32(localOffset) != kLocalHeader)
            throw bad(label, "broken zip local header of \"" + entry.name + "\"");
        entry.offset = localOffset + kLocalSize + in.u16(localOffset + 26) + in.u16(localOffset + 28);
        entry.size = uncompressed;
        if (!in.fits(entry.offset, entry.size))
            throw bad(label, "zip entry \"" + entry.name + "\" lies outside the file");
        if (!archive.m_index.emplace(entry.name, archive.m_entries.size()).second)
            throw bad(label, "zip entry \"" + entry.name + "\" appears twice");
        archive.m_entries.push_back(std::move(entry));
        pos = next;
    }
    return archive;
}

const ZipArchive::Entry *ZipArchive::find(const std::string &name) const
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

} // namespace studio::engine
