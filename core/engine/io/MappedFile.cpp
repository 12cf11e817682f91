#include "engine/io/MappedFile.h"

#include "engine/common/EngineError.h"

#include <filesystem>
#include <map>
#include <mutex>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace studio::engine {
namespace {

// Every live mapping, start -> end, so releasePages() can refuse memory that is not a file mapping (releasing
// anonymous memory would zero it).
struct LiveMappings
{
    std::mutex mutex;
    std::map<uintptr_t, uintptr_t> ranges;
};

LiveMappings &liveMappings()
{
    static LiveMappings mappings;
    return mappings;
}

uint64_t pageSize()
{
#ifdef _WIN32
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return uint64_t(info.dwPageSize);
#else
    return uint64_t(sysconf(_SC_PAGESIZE));
#endif
}

} // namespace

uint64_t MappedFile::releasePages(const void *data, uint64_t bytes)
{
    const uintptr_t begin = reinterpret_cast<uintptr_t>(data), end = begin + bytes;
    LiveMappings &live = liveMappings();
    const std::lock_guard<std::mutex> lock(live.mutex);
    auto it = live.ranges.upper_bound(begin);
    if (it == live.ranges.begin())
        return 0;
    --it;
    if (end > it->second || bytes == 0)
        return 0;
    static const uint64_t page = pageSize();
    const uintptr_t first = (begin + page - 1) / page * page, last = end / page * page;
    if (last <= first)
        return 0;
#ifdef _WIN32
    // Unlocking pages that are not locked removes them from the working set (documented for VirtualUnlock).
    VirtualUnlock(reinterpret_cast<void *>(first), SIZE_T(last - first));
#else
    if (madvise(reinterpret_cast<void *>(first), size_t(last - first), MADV_DONTNEED) != 0)
        return 0;
#endif
    return uint64_t(last - first);
}

std::shared_ptr<MappedFile> MappedFile::open(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw EngineError(EngineError::Code::MissingFile, "missing file: " + path);
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = path;
#ifdef _WIN32
    const std::wstring wide = std::filesystem::u8path(path).wstring();
    HANDLE handle = CreateFileW(wide.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                                FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE)
        throw EngineError(EngineError::Code::Io, "cannot open " + path);
    LARGE_INTEGER size;
    GetFileSizeEx(handle, &size);
    file->m_size = uint64_t(size.QuadPart);
    if (file->m_size > 0) {
        file->m_mapping = CreateFileMappingW(handle, nullptr, PAGE_WRITECOPY, 0, 0, nullptr);
        if (file->m_mapping)
            file->m_data = static_cast<uint8_t *>(MapViewOfFile(file->m_mapping, FILE_MAP_COPY, 0, 0, 0));
    }
    CloseHandle(handle);
    if (file->m_size > 0 && !file->m_data)
        throw EngineError(EngineError::Code::Io, "cannot map " + path);
#else
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw EngineError(EngineError::Code::Io, "cannot open " + path);
    struct stat st
    {
    };
    if (fstat(fd, &st) != 0) {
        ::close(fd);
        throw EngineError(EngineError::Code::Io, "cannot stat " + path);
    }
    file->m_size = uint64_t(st.st_size);
    if (file->m_size > 0) {
        void *mapped = mmap(nullptr, file->m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (mapped == MAP_FAILED) {
            ::close(fd);
            throw EngineError(EngineError::Code::Io, "cannot map " + path);
        }
        file->m_data = static_cast<uint8_t *>(mapped);
    }
    ::close(fd);
#endif
    if (file->m_data) {
        LiveMappings &live = liveMappings();
        const std::lock_guard<std::mutex> lock(live.mutex);
        live.ranges[reinterpret_cast<uintptr_t>(file->m_data)] = reinterpret_cast<uintptr_t>(file->m_data) + file->m_size;
    }
    return file;
}

MappedFile::~MappedFile()
{
    if (m_data) {
        LiveMappings &live = liveMappings();
        const std::lock_guard<std::mutex> lock(live.mutex);
        live.ranges.erase(reinterpret_cast<uintptr_t>(m_data));
    }
#ifdef _WIN32
    if (m_data)
        UnmapViewOfFile(m_data);
    if (m_mapping)
        CloseHandle(m_mapping);
#else
    if (m_data)
        munmap(m_data, m_size);
#endif
}

} // namespace studio::engine
