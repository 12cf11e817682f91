#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace studio::engine {

// A whole file mapped into memory, copy-on-write: tensors viewing it may be written to by mistake without
// touching the file. The only platform-specific piece of file I/O (POSIX mmap / Win32 file mapping).
class MappedFile
{
public:
    // Throws EngineError (MissingFile / Io) naming the path.
    static std::shared_ptr<MappedFile> open(const std::string &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::string &path() const { return m_path; }
    uint8_t *data() const { return m_data; }
    uint64_t size() const { return m_size; }

    // Gives the physical pages of [data, data + bytes) back to the system when that range lies inside a live
    // mapping (otherwise: nothing happens, so it is safe on any tensor's memory). Only pages wholly inside the range
    // are released; they are read from the file again when next touched. For weights already used that stay mapped
    // (the text encoder's layers after they ran): the resident set then holds one layer, not the whole model.
    // Only for bytes never written: a written copy-on-write page would revert to the file's contents.
    // Returns the bytes released.
    static uint64_t releasePages(const void *data, uint64_t bytes);

private:
    MappedFile() = default;
    std::string m_path;
    uint8_t *m_data = nullptr;
    uint64_t m_size = 0;
#ifdef _WIN32
    void *m_mapping = nullptr;
#endif
};

} // namespace studio::engine
