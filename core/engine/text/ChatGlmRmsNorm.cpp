#include "engine/text/ChatGlmRmsNorm.h"

#include "engine/io/ModuleLoader.h"

#include <ATen/ATen.h>

namespace studio::engine {

ChatGlmRmsNorm::ChatGlmRmsNorm(int64_t size, double epsilon) : m_epsilon(epsilon)
{
    m_weight = register_parameter("weight", declareWeight({size}), /*requires_grad=*/false);
}

at::Tensor ChatGlmRmsNorm::forward(const at::Tensor &x) const
{
    const at::Tensor variance = x.to(at::kFloat).pow(2).mean(-1, /*keepdim=*/true);
    // x (maybe fp16) times an fp32 factor promotes to fp32, as in the reference; cast back at the end.
    return (weightAs(m_weight, x.scalar_type()) * (x * at::rsqrt(variance + m_epsilon))).to(x.scalar_type());
}

} // namespace studio::engine
