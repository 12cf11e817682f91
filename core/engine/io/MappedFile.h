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
