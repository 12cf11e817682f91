#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <cstdint>

namespace studio::engine {

// ChatGLM3's own weight-only quantization (the `quantize(bits)` of its modeling code): per output row a symmetric
// scale absmax / (2^(bits-1) - 1), kept in the weight's 16-bit dtype; values round(w / scale) as int8, or for
// 4 bits two per byte (the even input column in the high nibble, the odd one in the low nibble, two's complement).
// Only the four Linear weights of each block are quantized; embeddings, norms and biases stay as they are.
struct QuantizedWeight
{
    at::Tensor values; // int8 [out, in] (8 bits) or uint8 [out, in / 2] (4 bits)
    at::Tensor scale;  // [out], float16 (or the weight's dtype when it is bfloat16 / float32)
    int bits = 0;      // 0: not quantized
    int64_t inFeatures = 0;
};

// Throws EngineError::BadArgument for bits other than 4 or 8, or an odd column count with 4 bits. The weight may be
// any floating dtype on any device; the result lives on the same device.
QuantizedWeight quantizeWeight(const at::Tensor &weight, int bits);
// The [out, in] weight in `dtype` for one use (the caller frees it after the product).
at::Tensor dequantizeWeight(const QuantizedWeight &weight, c10::ScalarType dtype);
// Output rows [start, start + count) of a quantized weight (views, no copy).
QuantizedWeight quantizedRows(const QuantizedWeight &weight, int64_t start, int64_t count);
// x W^T (+ bias) in x's dtype, dequantizing `rowsPerChunk` output rows of W at a time (0: about 16 MB of them).
// Dequantizing ChatGLM3's 27392 x 4096 MLP weight at once would take 450 MB of float32 plus as much in
// temporaries for every product: more than the whole int8 block, and on the CPU it is what set the peak.
at::Tensor quantizedLinear(const at::Tensor &x, const QuantizedWeight &weight, const at::Tensor &bias,
                           int64_t rowsPerChunk = 0);
// The same for a weight stored in another dtype than x (16-bit, used from the mapped file): converted to x's dtype
// a chunk of rows at a time. Besides the memory, it is faster: converting the whole 27392 x 4096 float16 weight
// took 2.8 s on the 2-core build machine (a fresh 450 MB block, page-faulted in), the product itself 0.7 s;
// chunks below glibc's mmap threshold (keepLargeBlocksInHeap) are reused from the heap instead.
at::Tensor upcastLinear(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias, int64_t rowsPerChunk = 0);

} // namespace studio::engine
