#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace studio::engine {

// ChatGLM's RMSNorm: w * x * rsqrt(mean(x^2) + eps), the mean taken in float32, the result cast back to x's dtype.
class ChatGlmRmsNorm : public torch::nn::Module
{
public:
    ChatGlmRmsNorm(int64_t size, double epsilon);
    at::Tensor forward(const at::Tensor &x) const;

private:
    at::Tensor m_weight;
    double m_epsilon;
};

} // namespace studio::engine
