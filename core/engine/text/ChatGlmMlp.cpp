#include "engine/text/ChatGlmMlp.h"

#include "engine/text/ChatGlmConfig.h"

#include <ATen/ATen.h>

namespace studio::engine {

ChatGlmMlp::ChatGlmMlp(const ChatGlmConfig &config)
{
    m_up = register_module("dense_h_to_4h", std::make_shared<ChatGlmLinear>(config.hiddenSize, 2 * config.ffnHiddenSize,
                                                                            config.addBiasLinear));
    m_down = register_module("dense_4h_to_h", std::make_shared<ChatGlmLinear>(config.ffnHiddenSize, config.hiddenSize,
                                                                              config.addBiasLinear));
}

at::Tensor ChatGlmMlp::forward(const at::Tensor &x) const
{
    const std::vector<at::Tensor> halves = m_up->forward(x).chunk(2, -1);
    return m_down->forward(at::silu(halves[0]) * halves[1]);
}

} // namespace studio::engine
