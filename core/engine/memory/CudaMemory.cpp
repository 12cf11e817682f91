#include "engine/memory/CudaMemory.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <algorithm>

#ifdef STUDIO_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace studio::engine {

namespace {

// "cuda" without an index means the first GPU, as the rest of the engine places it.
c10::Device withIndex(c10::Device device)
{
    return device.is_cuda() && !device.has_index() ? c10::Device(c10::kCUDA, 0) : device;
}

} // namespace

int64_t cudaFreeBytes(c10::Device device)
{
#ifdef STUDIO_WITH_CUDA
    if (!device.is_cuda() || !torch::cuda::is_available())
        return -1;
    const c10::DeviceIndex index = withIndex(device).index();
    c10::cuda::CUDAGuard guard(index);
    size_t free = 0, total = 0;
    if (cudaMemGetInfo(&free, &total) != cudaSuccess) {
        (void)cudaGetLastError(); // clear the sticky error so later calls do not fail on it
        return -1;
    }
    // Memory LibTorch already reserved but does not use counts as free for our next allocations.
    int64_t cachedUnused = 0;
    try {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
        cachedUnused = stats.reserved_bytes[0].current - stats.allocated_bytes[0].current;
    } catch (const c10::Error &) {
        // The allocator is not initialised before the first allocation: it holds nothing.
    }
    return int64_t(free) + std::max<int64_t>(0, cachedUnused);
#else
    (void)device;
    return -1;
#endif
}

int64_t cudaPeakAllocatedBytes()
{
#ifdef STUDIO_WITH_CUDA
    if (!torch::cuda::is_available())
        return -1;
    // Before anything was allocated on the GPU the caching allocator is not initialised and asking it throws
    // c10::Error: no GPU memory used yet, so no peak to report.
    try {
        // Index 0 is the aggregate over pool types in every LibTorch version (the enum moved between versions).
        return c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak;
    } catch (const c10::Error &) {
        return 0;
    }
#else
    return -1;
#endif
}

at::Tensor pinnedIfPossible(const at::Tensor &host)
{
    if (!host.defined() || !host.device().is_cpu() || !torch::cuda::is_available())
        return host;
    return host.pin_memory();
}

#ifdef STUDIO_WITH_CUDA
struct WeightCopier::Side
{
    c10::cuda::CUDAStream stream;
    cudaEvent_t copied = nullptr; // recorded after the latest copies on `stream`
};
#else
struct WeightCopier::Side
{
};
#endif

WeightCopier::WeightCopier(c10::Device device) : m_device(withIndex(device))
{
#ifdef STUDIO_WITH_CUDA
    if (m_device.is_cuda() && torch::cuda::is_available()) {
        c10::cuda::CUDAGuard guard(m_device.index());
        auto side = std::unique_ptr<Side>(new Side{c10::cuda::getStreamFromPool(false, m_device.index())});
        if (cudaEventCreateWithFlags(&side->copied, cudaEventDisableTiming) == cudaSuccess)
            m_side = std::move(side);
        else
            (void)cudaGetLastError(); // no event: copies simply run on the compute stream
    }
#endif
}

WeightCopier::~WeightCopier()
{
#ifdef STUDIO_WITH_CUDA
    if (m_side) {
        c10::cuda::CUDAGuard guard(m_device.index());
        cudaEventDestroy(m_side->copied);
    }
#endif
}

std::vector<at::Tensor> WeightCopier::copyNow(const std::vector<at::Tensor> &host) const
{
    std::vector<at::Tensor> out;
    out.reserve(host.size());
    // From pinned memory a non-blocking copy is ordered on the compute stream like any kernel; on the CPU `to()`
    // returns the very tensor.
    for (const at::Tensor &t : host)
        out.push_back(t.to(m_device, /*non_blocking=*/m_device.is_cuda()));
    return out;
}

std::vector<at::Tensor> WeightCopier::copyAhead(const std::vector<at::Tensor> &host)
{
#ifdef STUDIO_WITH_CUDA
    if (m_side) {
        std::vector<at::Tensor> out;
        out.reserve(host.size());
        {
            // Allocation and copy both happen on the side stream, while the compute stream runs the current block.
            c10::cuda::CUDAStreamGuard onSide(m_side->stream);
            for (const at::Tensor &t : host)
                out.push_back(t.to(m_device, /*non_blocking=*/true));
        }
        cudaEventRecord(m_side->copied, m_side->stream.stream());
        return out;
    }
#endif
    return copyNow(host);
}

void WeightCopier::take(const std::vector<at::Tensor> &copies)
{
#ifdef STUDIO_WITH_CUDA
    if (m_side) {
        const c10::cuda::CUDAStream compute = c10::cuda::getCurrentCUDAStream(m_device.index());
        cudaStreamWaitEvent(compute.stream(), m_side->copied, 0);
        // The copies were allocated on the side stream: without this the allocator could hand their memory to the
        // next side-stream copy while the compute stream still reads it.
        for (const at::Tensor &t : copies)
            c10::cuda::CUDACachingAllocator::recordStream(t.storage().data_ptr(), compute);
    }
#else
    (void)copies;
#endif
}

} // namespace studio::engine
