#include "engine/aesthetic/AestheticHead.h"

#include <ATen/ATen.h>

namespace studio::engine {

AestheticHead::AestheticHead(const AestheticHeadLayout &layout)
{
    for (const AestheticHeadLayout::Layer &layer : layout.layers) {
        torch::nn::Linear linear = register_module(std::to_string(layer.index), torch::nn::Linear(layer.in, layer.out));
        m_linears.emplace_back(linear, layer.reluAfter);
    }
}

at::Tensor AestheticHead::forward(const at::Tensor &embeds)
{
    at::Tensor x = embeds;
    for (auto &[linear, relu] : m_linears) {
        x = linear->forward(x);
        if (relu)
            x = at::relu(x);
    }
    return x;
}

} // namespace studio::engine
