#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace studio::zip {

// CRC-32 as zip, PNG and gzip use it (polynomial 0xEDB88320). Pass the previous value to continue a running one.
uint32_t crc32(const void *data, size_t size, uint32_t previous = 0);

// Builds a zip archive in memory from stored (uncompressed) entries: what a CBZ needs (its page images are
// already compressed) and what torch.save writes (every record stored, its data 64-byte aligned).
// Qt-free and torch-free so both core/story and core/engine can use it.
//
//   ZipWriter zip;
//   zip.add("ComicInfo.xml", xmlBytes);
//   zip.add("archive/data/0", tensorBytes, 64); // data starts at a multiple of 64 in the file
//   std::vector<uint8_t> bytes = zip.finish();
//
// Entries keep their order. Names are stored as given (UTF-8, flagged as such when not ASCII); the writer
// refuses empty, absolute or ".." names, duplicates, and anything that would need zip64 (over 4 GiB or
// 65535 entries): add() and finish() then return false / an empty vector and error() says why.
class ZipWriter
{
public:
    // Every entry gets this DOS timestamp (default 1980-01-01 00:00, so equal input gives equal bytes).
    void setTimestamp(int year, int month, int day, int hour, int minute, int second);

    // `alignment`: when above 1, the local header is padded (with an extra field, as torch does) so that the
    // entry's data starts at a multiple of it.
    bool add(const std::string &name, const void *data, size_t size, size_t alignment = 1);
    bool add(const std::string &name, const std::vector<uint8_t> &data, size_t alignment = 1)
    {
        return add(name, data.data(), data.size(), alignment);
    }
    bool add(const std::string &name, const std::string &data, size_t alignment = 1)
    {
        return add(name, data.data(), data.size(), alignment);
    }

    // Appends the central directory and returns the whole archive; the writer is then spent.
    std::vector<uint8_t> finish();

    const std::string &error() const { return m_error; }
    size_t entryCount() const { return m_entries.size(); }

private:
    struct Entry
    {
        std::string name;
        uint32_t crc = 0;
        uint32_t size = 0;
        uint32_t headerOffset = 0;
    };
    bool fail(const std::string &message);

    std::vector<uint8_t> m_bytes;
    std::vector<Entry> m_entries;
    std::string m_error;
    uint16_t m_dosTime = 0;
    uint16_t m_dosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01
    bool m_finished = false;
};

} // namespace studio::zip
