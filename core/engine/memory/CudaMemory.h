#pragma once

// The CUDA calls of device placement and UNet block streaming, kept in this one file so every other engine file
// compiles unchanged against a CPU-only LibTorch (Debian's 1.13). In a CPU-only build, or for a CPU device, each
// function is a harmless fallback: nothing is pinned, copies are plain and synchronous.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace studio::engine {

// Free memory of a GPU in bytes: what CUDA reports free plus what LibTorch's caching allocator holds unused.
// -1 for the CPU, without a CUDA build, or when CUDA cannot say.
int64_t cudaFreeBytes(c10::Device device);

// The most bytes LibTorch's caching allocator has held at once on GPU 0 (every pool type): 0 before anything was
// allocated there, -1 without a CUDA build or a usable GPU.
int64_t cudaPeakAllocatedBytes();

// `host` in page-locked memory (so copies to the GPU can run asynchronously), when CUDA is usable; else `host`.
at::Tensor pinnedIfPossible(const at::Tensor &host);

// Copies weights to the device ahead of use. On CUDA the copies run on a side stream, overlapping the compute
// stream's work; take() makes the compute stream wait for them and hands their memory over to it. Elsewhere the
// copies are plain (on the CPU `to()` returns the tensor itself: a no-op move).
class WeightCopier
{
public:
    explicit WeightCopier(c10::Device device);
    ~WeightCopier();
    WeightCopier(const WeightCopier &) = delete;
    WeightCopier &operator=(const WeightCopier &) = delete;

    // Starts copying `host` to the device (asynchronously where the side stream exists).
    std::vector<at::Tensor> copyAhead(const std::vector<at::Tensor> &host);
    // Copies `host` on the compute stream (nothing was copied ahead).
    std::vector<at::Tensor> copyNow(const std::vector<at::Tensor> &host) const;
    // Before copies from copyAhead() are used: the compute stream waits for them and owns their memory.
    void take(const std::vector<at::Tensor> &copies);

    c10::Device device() const { return m_device; }

private:
    c10::Device m_device;
    struct Side; // the CUDA side stream and its event (CUDA builds only)
    std::unique_ptr<Side> m_side;
};

} // namespace studio::engine
