#pragma once

// How much memory the machine and this process have and use. The one platform-specific piece of memory
// accounting (Linux /proc; Windows GlobalMemoryStatusEx; elsewhere unknown = -1). Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace studio::engine {

struct HostMemory
{
    int64_t totalBytes = -1;     // physical memory
    int64_t availableBytes = -1; // what a new allocation can get without swapping (Linux MemAvailable)
};
HostMemory hostMemory();

struct ProcessMemory
{
    int64_t residentBytes = -1;     // resident set now: private pages plus mapped file pages
    int64_t privateBytes = -1;      // anonymous (private) resident memory now (Linux RssAnon)
    int64_t peakResidentBytes = -1; // the kernel's high-water mark of the resident set (Linux VmHWM)
};
ProcessMemory processMemory();

// The kernel keeps no high-water mark of private memory: a background thread samples processMemory() every
// 10 ms from the first call on and keeps the peaks. Process-wide; cheap.
void startMemorySampling();
int64_t sampledPeakPrivateBytes();  // -1 before startMemorySampling() or where unknown
int64_t sampledPeakResidentBytes(); // the same for the resident set

// The sampled peaks per phase of a run, to see which phase sets them (encoding the prompts, sampling, decoding):
// samples taken after beginMemoryPhase(name) count for that phase until the next call. No-op unless sampling was
// started.
inline constexpr const char *kPhaseEncoding = "encoding the prompts"; // the names MemoryEstimate's phases have too
inline constexpr const char *kPhaseSampling = "sampling";
inline constexpr const char *kPhaseDecoding = "decoding";
struct PhasePeak
{
    std::string name;
    int64_t peakPrivateBytes = -1, peakResidentBytes = -1;
};
void beginMemoryPhase(const std::string &name);
std::vector<PhasePeak> sampledPhasePeaks(); // in the order the phases first began
void clearSampledPhasePeaks();

} // namespace studio::engine
