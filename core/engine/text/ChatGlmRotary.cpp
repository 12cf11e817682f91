#include "engine/text/ChatGlmRotary.h"

#include "engine/text/ChatGlmConfig.h"

#include <ATen/ATen.h>

namespace studio::engine {

at::Tensor chatGlmRotaryCache(const at::Tensor &positionIds, const ChatGlmConfig &config, c10::ScalarType dtype)
{
    const int64_t dim = config.rotaryDim();
    const auto floats = at::TensorOptions().dtype(at::kFloat).device(positionIds.device());
    // Same float32 operations as the reference, so the angles match bit for bit.
    const at::Tensor exponents = at::arange(0, dim, 2, floats) / double(dim);
    const at::Tensor theta = at::reciprocal(at::pow(10000.0, exponents));
    const at::Tensor angles = positionIds.to(at::kFloat).unsqueeze(-1) * theta;
    at::Tensor cache = at::stack({at::cos(angles), at::sin(angles)}, -1);
    if (dtype == at::kHalf || dtype == at::kBFloat16)
        cache = cache.to(dtype);
    return cache;
}

at::Tensor applyChatGlmRotary(const at::Tensor &x, const at::Tensor &cache)
{
    const int64_t batch = x.size(0), length = x.size(1), heads = x.size(2), headDim = x.size(3);
    const int64_t frequencies = cache.size(2);
    const int64_t rotated = std::min<int64_t>(2 * frequencies, headDim);
    const at::Tensor pairs = x.narrow(-1, 0, rotated).reshape({batch, length, heads, rotated / 2, 2});
    const at::Tensor c = cache.narrow(2, 0, rotated / 2).view({batch, length, 1, rotated / 2, 2});
    const at::Tensor x0 = pairs.select(-1, 0), x1 = pairs.select(-1, 1);
    const at::Tensor cos = c.select(-1, 0), sin = c.select(-1, 1);
    const at::Tensor out = at::stack({x0 * cos - x1 * sin, x1 * cos + x0 * sin}, -1).flatten(3);
    if (rotated == headDim)
        return out;
    return at::cat({out, x.narrow(-1, rotated, headDim - rotated)}, -1);
}

} // namespace studio::engine
