#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace studio::engine {

// The table of contents of a zip file held in memory (a torch.save archive), for reading entries in place.
// Only what torch writes is accepted: stored (uncompressed), unencrypted entries on one disk, zip64 allowed.
// parse() validates every offset and size against the buffer, so entries can be viewed without further checks.
class ZipArchive
{
public:
    struct Entry
    {
        std::string name;
        uint64_t offset = 0; // of the entry's bytes in the buffer
        uint64_t size = 0;
    };

    // Throws EngineError::BadFile naming `label` when the buffer is not such a zip file.
    static ZipArchive parse(const uint8_t *data, uint64_t size, const std::string &label);

    const std::vector<Entry> &entries() const { return m_entries; }
    const Entry *find(const std::string &name) const;

private:
    std::vector<Entry> m_entries;
    std::map<std::string, size_t> m_index;
};

} // namespace studio::engine
