#pragma once

// What a model's weight files hold, read from their headers and sizes only (nothing is loaded): the input of the
// memory estimate (MemoryEstimate.h). Torch-free.

#include <cstdint>
#include <string>

namespace studio::engine {

struct KolorsModelPaths;

struct WeightFileFacts
{
    int64_t bytes = 0;           // stored bytes of all tensors
    int elementBytes = 0;        // of the largest tensor (0: unknown)
    int64_t largestElements = 0; // 0: unknown (pickles are not opened here)
    // The most elements in one UNet stage as --unet-offload blocks streams them (down_blocks.N, mid_block,
    // up_blocks.N; the small input/output layers together). 0: unknown.
    int64_t largestStageElements = 0;
};

// A .safetensors file, a shard index (.json) or a torch pickle (its size). Throws EngineError::BadFile for a
// safetensors file whose header cannot be read.
WeightFileFacts weightFileFacts(const std::string &path);

// The ChatGLM3 text encoder by parts, from its config.json: what quantization touches (the blocks' four Linear
// weights) and the rest (word embedding, norms, biases).
struct TextEncoderFacts
{
    int64_t linearElements = 0, linearRows = 0, largestLinear = 0, otherElements = 0;
    int64_t layerElements = 0; // one block
    int64_t hidden = 0, ffn = 0, heads = 0;
    int elementBytes = 2; // as stored
    // The quantized Linear weights: `bits` per value plus one float16 scale per output row (ChatGlmQuantization).
    int64_t quantizedBytes(int bits) const { return bits ? linearElements * bits / 8 + linearRows * 2 : 0; }
};
TextEncoderFacts textEncoderFacts(const KolorsModelPaths &paths);

} // namespace studio::engine
