#include "ZipWriter.h"

#include <array>
#include <limits>

namespace studio::zip {

namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectorySignature = 0x06054b50;
constexpr uint16_t kVersion = 20;         // 2.0: the oldest version every reader accepts for stored entries
constexpr uint16_t kUtf8NameFlag = 1 << 11; // general purpose bit 11: the name is UTF-8
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kExtraFieldHeaderSize = 4;
constexpr uint16_t kPaddingFieldId = 0x4246; // "FB", the id torch.save's padding uses
constexpr uint64_t kMaxZip32 = std::numeric_limits<uint32_t>::max();

const std::array<uint32_t, 256> &crcTable()
{
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

void put16(std::vector<uint8_t> &out, uint16_t v)
{
    out.push_back(uint8_t(v));
    out.push_back(uint8_t(v >> 8));
}

void put32(std::vector<uint8_t> &out, uint32_t v)
{
    put16(out, uint16_t(v));
    put16(out, uint16_t(v >> 16));
}

bool isAscii(const std::string &s)
{
    for (unsigned char c : s) {
        if (c >= 0x80)
            return false;
    }
    return true;
}

// A name every unzip extracts inside its target folder.
bool isSafeName(const std::string &name)
{
    if (name.empty() || name.size() > 0xffff || name.front() == '/' || name.find('\\') != std::string::npos ||
        name.find('\0') != std::string::npos || (name.size() > 1 && name[1] == ':'))
        return false;
    size_t start = 0;
    while (start <= name.size()) {
        const size_t end = name.find('/', start);
        const std::string part = name.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == ".." || part == "." || (part.empty() && end != std::string::npos))
            return false;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return true;
}

} // namespace

uint32_t crc32(const void *data, size_t size, uint32_t previous)
{
    const auto &table = crcTable();
    const auto *bytes = static_cast<const uint8_t *>(data);
    uint32_t c = previous ^ 0xffffffffu;
    for (size_t i = 0; i < size; ++i)
        c = table[(c ^ bytes[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

void ZipWriter::setTimestamp(int year, int month, int day, int hour, int minute, int second)
{
    if (year < 1980 || year > 2107 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > 59)
        return; // outside what DOS dates can hold: keep the previous one
    m_dosDate = uint16_t(((year - 1980) << 9) | (month << 5) | day);
    m_dosTime = uint16_t((hour << 11) | (minute << 5) | (second / 2));
}

bool ZipWriter::fail(const std::string &message)
{
    if (m_error.empty())
        m_error = message;
    return false;
}

bool ZipWriter::add(const std::string &name, const void *data, size_t size, size_t alignment)
{
    if (!m_error.empty())
        return false;
    if (m_finished)
        return fail("the archive is already finished");
    if (!isSafeName(name))
        return fail("unsafe entry name \"" + name + "\"");
    for (const Entry &e : m_entries) {
        if (e.name == name)
            return fail("duplicate entry name \"" + name + "\"");
    }
    if (m_entries.size() >= 0xffff)
        return fail("too many entries for a zip without zip64");
    if (alignment == 0 || alignment > 0x8000)
        return fail("unsupported alignment");

    const uint64_t headerOffset = m_bytes.size();
    size_t padding = 0;
    if (alignment > 1) {
        const uint64_t dataStart = headerOffset + kLocalHeaderSize + name.size() + kExtraFieldHeaderSize;
        padding = size_t((alignment - dataStart % alignment) % alignment);
    }
    const uint64_t end = headerOffset + kLocalHeaderSize + name.size() + (alignment > 1 ? kExtraFieldHeaderSize : 0) +
                         padding + uint64_t(size);
    if (uint64_t(size) > kMaxZip32 || end > kMaxZip32)
        return fail("the archive would exceed 4 GiB, which needs zip64");

    Entry entry;
    entry.name = name;
    entry.crc = crc32(data, size);
    entry.size = uint32_t(size);
    entry.headerOffset = uint32_t(headerOffset);

    put32(m_bytes, kLocalHeaderSignature);
    put16(m_bytes, kVersion);
    put16(m_bytes, isAscii(name) ? 0 : kUtf8NameFlag);
    put16(m_bytes, 0); // method: stored
    put16(m_bytes, m_dosTime);
    put16(m_bytes, m_dosDate);
    put32(m_bytes, entry.crc);
    put32(m_bytes, entry.size); // compressed size = size: stored
    put32(m_bytes, entry.size);
    put16(m_bytes, uint16_t(name.size()));
    put16(m_bytes, uint16_t(alignment > 1 ? kExtraFieldHeaderSize + padding : 0));
    m_bytes.insert(m_bytes.end(), name.begin(), name.end());
    if (alignment > 1) {
        put16(m_bytes, kPaddingFieldId);
        put16(m_bytes, uint16_t(padding));
        m_bytes.insert(m_bytes.end(), padding, uint8_t('Z'));
    }
    const auto *bytes = static_cast<const uint8_t *>(data);
    m_bytes.insert(m_bytes.end(), bytes, bytes + size);
    m_entries.push_back(entry);
    return true;
}

std::vector<uint8_t> ZipWriter::finish()
{
    if (!m_error.empty())
        return {};
    if (m_finished) {
        fail("the archive is already finished");
        return {};
    }
    const uint64_t directoryOffset = m_bytes.size();
    for (const Entry &e : m_entries) {
        put32(m_bytes, kCentralHeaderSignature);
        put16(m_bytes, (3 << 8) | kVersion); // made by: Unix, so readers take the permission bits below
        put16(m_bytes, kVersion);
        put16(m_bytes, isAscii(e.name) ? 0 : kUtf8NameFlag);
        put16(m_bytes, 0);
        put16(m_bytes, m_dosTime);
        put16(m_bytes, m_dosDate);
        put32(m_bytes, e.crc);
        put32(m_bytes, e.size);
        put32(m_bytes, e.size);
        put16(m_bytes, uint16_t(e.name.size()));
        put16(m_bytes, 0); // extra field
        put16(m_bytes, 0); // comment
        put16(m_bytes, 0); // disk number
        put16(m_bytes, 0); // internal attributes
        put32(m_bytes, uint32_t(0100644) << 16); // external attributes: a regular file, rw-r--r--
        put32(m_bytes, e.headerOffset);
        m_bytes.insert(m_bytes.end(), e.name.begin(), e.name.end());
    }
    const uint64_t directorySize = m_bytes.size() - directoryOffset;
    if (m_bytes.size() + 22 > kMaxZip32) {
        fail("the archive would exceed 4 GiB, which needs zip64");
        return {};
    }
    put32(m_bytes, kEndOfCentralDirectorySignature);
    put16(m_bytes, 0); // this disk
    put16(m_bytes, 0); // disk with the directory
    put16(m_bytes, uint16_t(m_entries.size()));
    put16(m_bytes, uint16_t(m_entries.size()));
    put32(m_bytes, uint32_t(directorySize));
    put32(m_bytes, uint32_t(directoryOffset));
    put16(m_bytes, 0); // comment length
    m_finished = true;
    std::vector<uint8_t> out;
    out.swap(m_bytes);
    return out;
}

} // namespace studio::zip
