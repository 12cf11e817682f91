#include "engine/text/ChatGlmQuantization.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace studio::engine {

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
    const int64_t chunk = std::max<int64_t>(1, (int64_t(8) << 20) / std::max<int64_t>(1, columns));
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
        const at::Tensor bytes = q.values.to(at::kInt);
        // A nibble n in [0, 15] is the two's-complement value n - 16 when n >= 8.
        const auto signedNibble = [](const at::Tensor &n) { return n - (n >= 8).to(at::kInt) * 16; };
        const at::Tensor high = signedNibble(bytes.div(16, "floor")), low = signedNibble(bytes.bitwise_and(0x0F));
        levels = at::stack({high, low}, 2).reshape({q.values.size(0), q.inFeatures});
    }
    return levels.to(dtype) * q.scale.to(dtype).unsqueeze(1);
}

} // namespace studio::engine
