#include "engine/text/SentencePieceModule.h"

#include "engine/common/EngineError.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#include <unistd.h>
#endif

#ifndef STUDIO_SPM_MODULE_NAME
#error "STUDIO_SPM_MODULE_NAME must name the module file (set by core/engine/text/CMakeLists.txt)"
#endif

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

std::string executableDir()
{
#ifdef _WIN32
    std::wstring buffer(32768, L'\0');
    const DWORD length = GetModuleFileNameW(nullptr, buffer.data(), DWORD(buffer.size()));
    if (length == 0 || length >= buffer.size())
        return {};
    buffer.resize(length);
    return fs::path(buffer).parent_path().u8string();
#else
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().u8string();
#endif
}

// Sanitizer runtimes refuse RTLD_DEEPBIND (it would bypass their interceptors); such builds only run tests.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

void *openLibrary(const std::string &path, std::string *error)
{
#ifdef _WIN32
    HMODULE handle = LoadLibraryExW(fs::u8path(path).wstring().c_str(), nullptr,
                                    LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS);
    if (!handle)
        *error = "LoadLibrary failed with error " + std::to_string(GetLastError());
    return reinterpret_cast<void *>(handle);
#else
    int flags = RTLD_NOW | RTLD_LOCAL;
#ifdef RTLD_DEEPBIND
    if (!kSanitized)
        flags |= RTLD_DEEPBIND;
#endif
    void *handle = dlopen(path.c_str(), flags);
    if (!handle) {
        const char *message = dlerror();
        *error = message ? message : "dlopen failed";
    }
    return handle;
#endif
}

void *symbol(void *library, const char *name)
{
#ifdef _WIN32
    return reinterpret_cast<void *>(GetProcAddress(reinterpret_cast<HMODULE>(library), name));
#else
    return dlsym(library, name);
#endif
}

template <typename T> void resolve(void *library, const char *name, T *out, const std::string &path)
{
    *out = reinterpret_cast<T>(symbol(library, name));
    if (!*out)
        throw EngineError(EngineError::Code::BadFile,
                          path + " is not a studio_sentencepiece module (no " + std::string(name) + ")");
}

} // namespace

std::vector<std::string> SentencePieceModule::searchPaths()
{
    std::vector<std::string> paths;
    if (const char *env = std::getenv("STUDIO_SPM_MODULE"); env && *env)
        paths.emplace_back(env);
    const std::string exeDir = executableDir();
    if (!exeDir.empty()) {
        const fs::path dir = fs::u8path(exeDir);
        paths.push_back((dir / STUDIO_SPM_MODULE_NAME).u8string());
        paths.push_back((dir.parent_path() / "lib" / "storyboard-studio" / STUDIO_SPM_MODULE_NAME).u8string());
#ifdef STUDIO_SPM_INSTALL_LIBDIR
        const fs::path installed = dir.parent_path() / STUDIO_SPM_INSTALL_LIBDIR / STUDIO_SPM_MODULE_NAME;
        if (installed.u8string() != paths.back())
            paths.push_back(installed.u8string());
#endif
    }
#ifdef STUDIO_SPM_MODULE_BUILD_PATH
    paths.emplace_back(STUDIO_SPM_MODULE_BUILD_PATH);
#endif
    return paths;
}

const SentencePieceModule &SentencePieceModule::instance()
{
    static std::mutex mutex;
    static SentencePieceModule *loaded = nullptr; // never unloaded: models may live until exit
    std::lock_guard<std::mutex> lock(mutex);
    if (loaded)
        return *loaded;

    std::string looked;
    for (const std::string &path : searchPaths()) {
        std::error_code ec;
        if (!fs::is_regular_file(fs::u8path(path), ec)) {
            looked += (looked.empty() ? "" : ", ") + path;
            continue;
        }
        std::string error;
        void *library = openLibrary(path, &error);
        if (!library)
            throw EngineError(EngineError::Code::BadFile,
                              "cannot load the sentencepiece module " + path + ": " + error);
        std::unique_ptr<SentencePieceModule> module(new SentencePieceModule());
        module->m_path = path;
        decltype(&studio_spm_abi_version) abiVersion = nullptr;
        resolve(library, "studio_spm_abi_version", &abiVersion, path);
        if (abiVersion() != STUDIO_SPM_ABI_VERSION)
            throw EngineError(EngineError::Code::BadFile, path + " has interface version " +
                                                              std::to_string(abiVersion()) + ", expected " +
                                                              std::to_string(STUDIO_SPM_ABI_VERSION));
        resolve(library, "studio_spm_load", &module->load, path);
        resolve(library, "studio_spm_free", &module->free, path);
        resolve(library, "studio_spm_piece_count", &module->pieceCount, path);
        resolve(library, "studio_spm_encode", &module->encode, path);
        resolve(library, "studio_spm_id_to_piece", &module->idToPiece, path);
        loaded = module.release();
        return *loaded;
    }
    throw EngineError(EngineError::Code::MissingFile, "missing file: the sentencepiece module " STUDIO_SPM_MODULE_NAME
                                                      " (looked in " +
                                                          looked + "; set STUDIO_SPM_MODULE to its path)");
}

} // namespace studio::engine
