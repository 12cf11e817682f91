#include "engine/common/ProcessHeap.h"

// Any C library header first: glibc defines __GLIBC__ in it, and without one the checks below would silently turn
// both functions into no-ops (as they did: the quantized text encoder's freed heap then stayed in the process).
#include <cstdlib>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace studio::engine {

void keepLargeBlocksInHeap()
{
#ifdef __GLIBC__
    static const bool done = [] {
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
        return true;
    }();
    (void)done;
#endif
}

void returnFreeHeapToSystem()
{
#ifdef __GLIBC__
    // Pad 0: keep nothing spare at the top. glibc also gives back whole free pages inside the heap (madvise).
    malloc_trim(0);
#endif
}

} // namespace studio::engine
