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

} // namespace studio::engine
