#include "engine/text/ChatGlmQuantization.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

namespace studio::engine {
namespace {

// Weights converted per chunk of output rows stay below glibc's mmap threshold of 32 MB (keepLargeBlocksInHeap),
// so the chunks reuse heap memory instead of page-faulting fresh blocks in.
constexpr int64_t kChunkBytes = int64_t(16) << 20;

// x W^T (+ bias) where `weightRows(start, count)` gives rows [start, start + count) of W in x's dtype.
template <typename WeightRows>
at::Tensor linearInRowChunks(const at::Tensor &x, int64_t rows, int64_t inFeatures, const at::Tensor &bias,
                             int64_t rowsPerChunk, const WeightRows &weightRows)
{
    if (rowsPerChunk <= 0)
        rowsPerChunk = std::max<int64_t>(1, kChunkBytes / (std::max<int64_t>(1, inFeatures) * x.element_size()));
    const at::Tensor b = bias.defined() ? bias.to(x.scalar_type()) : at::Tensor();
    if (rowsPerChunk >= rows)
        return at::linear(x, weightRows(0, rows), b);
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = rows;
    at::Tensor out = at::empty(shape, x.options());
    for (int64_t start = 0; start < rows; start += rowsPerChunk) {
        const int64_t count = std::min(rowsPerChunk, rows - start);
        const at::Tensor part = b.defined() ? b.narrow(0, start, count) : at::Tensor();
        out.narrow(-1, start, count).copy_(at::linear(x, weightRows(start, count), part));
    }
    return out;
}

} // namespace

QuantizedWeight quantizeWeight(const at::Tensor &weight, int bits)
{
    if (bits != 4 && bits != 8)
        throw EngineError(EngineError::Code::BadArgument,
                          "text encoder quantization must be 4 or 8 bits, not " + std::to_string(bits));
    if (weight.dim() != 2 || (bits == 4 && weight.size(1) % 2 != 0))
        throw EngineError(EngineError::Code::BadArgument,
                          "int4 quantization needs an even number of input features per row");
    const double maxLevel = double((1 << (bits - 1)) - 1); // 127 or 7
    // The reference computes in the checkpoint's float16: the scale is rounded to it, and so is w / scale before
    // round(). The same roundings here, so the integers match what ChatGLM3's quantize() stores.
    const c10::ScalarType storeDtype = weight.scalar_type() == at::kFloat ? at::kHalf : weight.scalar_type();
    const int64_t rows = weight.size(0), columns = weight.size(1);
    QuantizedWeight q;
    q.bits = bits;
    q.inFeatures = columns;
    q.scale = at::empty({rows}, weight.options().dtype(storeDtype));
    q.values = at::empty({rows, bits == 8 ? columns : columns / 2}, weight.options().dtype(bits == 8 ? at::kChar : at::kByte));
    // A few rows at a time: the float32 temporaries of a whole 27392 x 4096 matrix would be gigabytes.
    const int64_t chunk = std::max<int64_t>(1, (kChunkBytes / 4) / std::max<int64_t>(1, columns));
    for (int64_t start = 0; start < rows; start += chunk) {
        const int64_t count = std::min(chunk, rows - start);
        const at::Tensor w = weight.narrow(0, start, count).to(at::kFloat);
        const at::Tensor scale = (w.abs().amax(1) / maxLevel).to(storeDtype);
        // An all-zero row has scale 0: divide by 1 instead (its values are 0 either way).
        const at::Tensor divisor = at::where(scale == 0, at::ones_like(scale), scale).to(at::kFloat).unsqueeze(1);
        const at::Tensor levels =
            at::round((w / divisor).to(storeDtype).to(at::kFloat)).clamp(-maxLevel, maxLevel).to(at::kInt);
        q.scale.narrow(0, start, count).copy_(scale);
        if (bits == 8) {
            q.values.narrow(0, start, count).copy_(levels);
        } else {
            const at::Tensor nibbles = levels.bitwise_and(0x0F);
            const at::Tensor high = nibbles.slice(1, 0, c10::nullopt, 2), low = nibbles.slice(1, 1, c10::nullopt, 2);
            q.values.narrow(0, start, count).copy_(high * 16 + low);
        }
    }
    return q;
}

at::Tensor dequantizeWeight(const QuantizedWeight &q, c10::ScalarType dtype)
{
    at::Tensor levels;
    if (q.bits == 8) {
        levels = q.values;
    } else {
        // The two's-complement nibbles, sign-extended by byte shifts: the byte read as int8 and shifted right by 4
        // is the high one; shifted left by 4 first, the low one. One-byte temporaries only (widening to int32 first
        // took four times the memory of the float chunk and most of int4's time on the CPU).
        const at::Tensor high = q.values.view(at::kChar).__rshift__(4);
        const at::Tensor low = q.values.__lshift__(4).view(at::kChar).__rshift__(4);
        levels = at::stack({high, low}, 2).reshape({q.values.size(0), q.inFeatures});
    }
    return levels.to(dtype).mul_(q.scale.to(dtype).unsqueeze(1));
}

QuantizedWeight quantizedRows(const QuantizedWeight &q, int64_t start, int64_t count)
{
    QuantizedWeight part = q;
    part.values = q.values.narrow(0, start, count);
    part.scale = q.scale.narrow(0, start, count);
    return part;
}

at::Tensor quantizedLinear(const at::Tensor &x, const QuantizedWeight &q, const at::Tensor &bias, int64_t rowsPerChunk)
{
    const c10::ScalarType dtype = x.scalar_type();
    return linearInRowChunks(x, q.values.size(0), q.inFeatures, bias, rowsPerChunk, [&](int64_t start, int64_t count) {
        return dequantizeWeight(quantizedRows(q, start, count), dtype);
    });
}

at::Tensor upcastLinear(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias, int64_t rowsPerChunk)
{
    const c10::ScalarType dtype = x.scalar_type();
    return linearInRowChunks(x, weight.size(0), weight.size(1), bias, rowsPerChunk, [&](int64_t start, int64_t count) {
        return weight.narrow(0, start, count).to(dtype);
    });
}

} // namespace studio::engine
