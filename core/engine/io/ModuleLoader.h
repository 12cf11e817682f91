#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace studio::engine {

class TensorStore;

struct LoadOptions
{
    std::string stage;                       // "text encoder", "UNet", ... prefixed to every error
    std::vector<std::string> ignorePrefixes; // checkpoint names we deliberately do not load (e.g. "output_layer.")
    std::optional<c10::ScalarType> dtype;    // floating weights are converted to this; default: keep the module's
    c10::Device device = c10::kCPU;
    // Polled before each tensor is copied: a cancelled load ends with EngineError::Cancelled, so quitting the
    // studio never waits for gigabytes of weights.
    std::function<bool()> cancelled;
    // CPU only: use the file's tensors where they lie (the memory map) instead of copying them. A float16/bfloat16
    // tensor then stays 16-bit even when `dtype` is float32; the layers upcast it when they run (weightAs), so the
    // process holds no resident float32 copy of the model (issue 16: a 16 GB PC). Same-dtype tensors are used from
    // the map as well. The map is private (copy-on-write): an in-place change (a merged LoRA) never reaches the file.
    bool keepStoredFloats = false;
};

// Copies every parameter and buffer of `module` from `store`, matching names exactly (STYLE P7). All problems are
// collected first and reported in one EngineError naming each tensor and the file: missing, unexpected,
// wrong shape, wrong dtype (an integer tensor for a float parameter, or the reverse). Nothing is copied when
// anything is wrong, so a failed load never leaves a half-loaded module.
void loadModuleWeights(torch::nn::Module &module, const TensorStore &store, const LoadOptions &options = {});

// A parameter placeholder with the right shape and dtype but the memory of one element (all strides 0).
// Modules declare their weights with it; loadModuleWeights() replaces each with the checkpoint's tensor. So a
// 6-billion-parameter model is never allocated and randomly initialised before its weights arrive.
// Its values are undefined until loaded. Register it with requires_grad = false.
at::Tensor declareWeight(c10::IntArrayRef shape, c10::ScalarType dtype = c10::kFloat);

// `weight` in the compute dtype `dtype`: itself when it already is, otherwise a temporary converted copy (a weight
// kept 16-bit by LoadOptions::keepStoredFloats, upcast for the one layer that is running). Undefined stays undefined.
at::Tensor weightAs(const at::Tensor &weight, c10::ScalarType dtype);

// Gives back the physical pages of `tensor` when it views a memory-mapped file and was never written
// (MappedFile::releasePages); nothing happens for tensors in ordinary or device memory. Returns the bytes released.
uint64_t releaseMappedPages(const at::Tensor &tensor);

} // namespace studio::engine
