#include "engine/common/SystemMemory.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#endif

namespace studio::engine {
namespace {

#ifdef __linux__
// The value of the first line "<key> <number> kB" of a /proc file, in bytes; -1 when absent.
int64_t procKilobytes(const char *path, const char *key)
{
    int64_t bytes = -1;
    if (FILE *file = std::fopen(path, "r")) {
        char line[256];
        const size_t keyLength = std::char_traits<char>::length(key);
        while (bytes < 0 && std::fgets(line, sizeof line, file)) {
            long long kb = 0;
            if (std::char_traits<char>::compare(line, key, keyLength) == 0 &&
                std::sscanf(line + keyLength, " %lld kB", &kb) == 1)
                bytes = int64_t(kb) * 1024;
        }
        std::fclose(file);
    }
    return bytes;
}
#endif

struct Sampler
{
    std::atomic<int64_t> peakPrivate{-1}, peakResident{-1};
    std::atomic<bool> started{false};
    std::mutex phaseMutex; // guards the two below
    std::vector<PhasePeak> phases;
    int currentPhase = -1;
};

Sampler &sampler()
{
    static Sampler instance;
    return instance;
}

void raise(std::atomic<int64_t> &peak, int64_t value)
{
    int64_t seen = peak.load();
    while (value > seen && !peak.compare_exchange_weak(seen, value)) {
    }
}

} // namespace

HostMemory hostMemory()
{
    HostMemory memory;
#ifdef __linux__
    memory.totalBytes = procKilobytes("/proc/meminfo", "MemTotal:");
    memory.availableBytes = procKilobytes("/proc/meminfo", "MemAvailable:");
#elif defined(_WIN32)
    MEMORYSTATUSEX status;
    status.dwLength = sizeof status;
    if (GlobalMemoryStatusEx(&status)) {
        memory.totalBytes = int64_t(status.ullTotalPhys);
        memory.availableBytes = int64_t(status.ullAvailPhys);
    }
#endif
    return memory;
}

ProcessMemory processMemory()
{
    ProcessMemory memory;
#ifdef __linux__
    memory.residentBytes = procKilobytes("/proc/self/status", "VmRSS:");
    memory.privateBytes = procKilobytes("/proc/self/status", "RssAnon:");
    memory.peakResidentBytes = procKilobytes("/proc/self/status", "VmHWM:");
#endif
    return memory;
}

namespace {

void takeSample(Sampler &s)
{
    const ProcessMemory now = processMemory();
    raise(s.peakPrivate, now.privateBytes);
    raise(s.peakResident, now.residentBytes);
    const std::lock_guard<std::mutex> lock(s.phaseMutex);
    if (s.currentPhase >= 0) {
        PhasePeak &phase = s.phases[size_t(s.currentPhase)];
        phase.peakPrivateBytes = std::max(phase.peakPrivateBytes, now.privateBytes);
        phase.peakResidentBytes = std::max(phase.peakResidentBytes, now.residentBytes);
    }
}

} // namespace

void startMemorySampling()
{
    Sampler &s = sampler();
    if (s.started.exchange(true))
        return;
    // Detached on purpose: it only reads /proc and the peaks, and lives as long as the process.
    std::thread([&s] {
        for (;;) {
            takeSample(s);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }).detach();
}

void beginMemoryPhase(const std::string &name)
{
    Sampler &s = sampler();
    if (!s.started.load())
        return;
    {
        const std::lock_guard<std::mutex> lock(s.phaseMutex);
        const auto known = std::find_if(s.phases.begin(), s.phases.end(),
                                        [&](const PhasePeak &phase) { return phase.name == name; });
        s.currentPhase = int(known - s.phases.begin());
        if (known == s.phases.end())
            s.phases.push_back({name, -1, -1});
    }
    takeSample(s); // the memory the phase starts with belongs to it, however short it is
}

std::vector<PhasePeak> sampledPhasePeaks()
{
    Sampler &s = sampler();
    const std::lock_guard<std::mutex> lock(s.phaseMutex);
    return s.phases;
}

void clearSampledPhasePeaks()
{
    Sampler &s = sampler();
    const std::lock_guard<std::mutex> lock(s.phaseMutex);
    s.phases.clear();
    s.currentPhase = -1;
}

int64_t sampledPeakPrivateBytes()
{
    return sampler().peakPrivate.load();
}

int64_t sampledPeakResidentBytes()
{
    return sampler().peakResident.load();
}

} // namespace studio::engine
