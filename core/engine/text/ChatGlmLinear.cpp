#include "engine/text/ChatGlmLinear.h"

#include "engine/io/ModuleLoader.h"

#include <ATen/ATen.h>

namespace studio::engine {

ChatGlmLinear::ChatGlmLinear(int64_t in, int64_t out, bool bias)
{
    m_weight = register_parameter("weight", declareWeight({out, in}), /*requires_grad=*/false);
    if (bias)
        m_bias = register_parameter("bias", declareWeight({out}), /*requires_grad=*/false);
}

at::Tensor ChatGlmLinear::forward(const at::Tensor &x) const
{
    return at::linear(x, m_weight, m_bias);
}

} // namespace studio::engine
