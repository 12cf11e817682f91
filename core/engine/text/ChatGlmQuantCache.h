#pragma once

// The quantized text encoder kept on disk (issue 16: "with int8 lower still"). Quantizing at every load holds the
// int8 (5.3 GB) or int4 weights of ChatGLM3 in private memory for as long as the encoder lives: on a 16 GB PC that
// is more than the unquantized encoder, which streams its float16 blocks from the mapped files. Written once to a
// safetensors file and memory-mapped from then on, the quantized weights behave like the shipped ones (file pages
// the system can drop, each block's pages given back after it ran) at half or a quarter of the bytes to read.

#include <c10/core/Device.h>

#include <functional>
#include <string>

namespace studio::engine {

class ChatGlmModel;
class TensorStore;

// How the text encoder's block Linear weights are quantized at load.
struct QuantizationChoice
{
    QuantizationChoice(int bits = 0, std::string cacheDir = {}) : bits(bits), cacheDir(std::move(cacheDir)) {}
    int bits;             // 0: as stored; 8 or 4: ChatGLM3's scheme (ChatGlmQuantization.h)
    std::string cacheDir; // where the quantized weights are written once and mapped from; empty: quantize in memory
};

enum class QuantCacheUse
{
    None,     // not quantized, or quantized in memory (no cache folder given)
    Mapped,   // an earlier run's file was valid and is mapped
    Written,  // quantized now, written, and mapped
    Fallback, // the file could not be written or read back: quantized in memory; `problem` says why
};

struct QuantCacheOutcome
{
    QuantCacheUse use = QuantCacheUse::None;
    std::string path;    // the cache file (also for Fallback)
    std::string problem; // Fallback: why, in English
};

// The cache file of `store`'s weights quantized with `bits`: one per model folder and bit width (a newer or
// edited model overwrites it), named from the weights' path so two folders never share one.
std::string quantCachePath(const std::string &cacheDir, const TensorStore &store, int bits);

// Quantizes `model`'s block Linears (loaded from `store`, kept as stored on the CPU) with choice.bits and puts them
// on `device`. With a cache folder: maps the cache file when it belongs to exactly these weight files (path, size,
// modification time, layer shapes; anything else, a corrupt file included, is rewritten); otherwise writes it one
// layer at a time (the file's pages of each float16 weight given back as soon as it is quantized) and maps it.
// When the folder cannot be written (no permission, disk full) it quantizes in memory as without a cache and says
// so in the outcome: the encoder still loads, with more private memory. `cancelled` is polled per layer
// (EngineError::Cancelled; no partial file is left).
QuantCacheOutcome quantizeTextEncoder(ChatGlmModel &model, const TensorStore &store, const QuantizationChoice &choice,
                                      c10::Device device, const std::function<bool()> &cancelled = {});

} // namespace studio::engine
