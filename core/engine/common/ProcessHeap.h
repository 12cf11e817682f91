#pragma once

// How the C heap behaves for a process that computes with large CPU tensors. The one platform-specific piece of
// heap tuning (glibc mallopt / malloc_trim); elsewhere both calls do nothing. Torch-free.

namespace studio::engine {

// LibTorch's CPU allocator is plain malloc. By default glibc maps every block above a (dynamic) threshold afresh
// and unmaps it on free, so the many tens-of-megabytes activations of a 1024x1024 run page-fault on every step
// (measured: more than half the CPU time in the kernel). Keeping blocks up to glibc's maximum threshold in the
// heap, and not trimming it, lets them be reused. Process-wide, set once; later calls do nothing.
void keepLargeBlocksInHeap();

// Gives the free memory the heap kept (keepLargeBlocksInHeap: up to 1 GB at its top, and every free page between
// live blocks) back to the system. For the moment something large has been freed that will not come back soon,
// e.g. the quantized text encoder after the prompts are encoded: without it the freed memory stays in the
// process's private memory while the UNet runs. Takes a few milliseconds.
void returnFreeHeapToSystem();

} // namespace studio::engine
