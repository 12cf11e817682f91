#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace studio::engine {

// y = x W^T (+ b) with parameters named "weight" / "bias" like torch.nn.Linear, declared without memory
// (declareWeight) because the checkpoint provides them.
class ChatGlmLinear : public torch::nn::Module
{
public:
    ChatGlmLinear(int64_t in, int64_t out, bool bias);
    at::Tensor forward(const at::Tensor &x) const;

private:
    at::Tensor m_weight, m_bias;
};

} // namespace studio::engine
