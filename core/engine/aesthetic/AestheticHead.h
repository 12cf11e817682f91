#pragma once

#include "engine/aesthetic/AestheticHeadLayout.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <string>
#include <vector>

namespace studio::engine {

// The head as a module: child Linears registered under their Sequential indices ("0", "2", ...).
class AestheticHead : public torch::nn::Module
{
public:
    explicit AestheticHead(const AestheticHeadLayout &layout);
    at::Tensor forward(const at::Tensor &embeds); // [B, proj] -> [B, 1]

private:
    std::vector<std::pair<torch::nn::Linear, bool>> m_linears; // (Linear, ReLU after it)
};

} // namespace studio::engine
