#pragma once

#include "engine/text/ChatGlmLinear.h"

#include <memory>

namespace studio::engine {

struct ChatGlmConfig;

// SwiGLU: dense_h_to_4h gives 2*ffn outputs [a, b]; silu(a) * b goes through dense_4h_to_h.
class ChatGlmMlp : public torch::nn::Module
{
public:
    explicit ChatGlmMlp(const ChatGlmConfig &config);
    at::Tensor forward(const at::Tensor &x) const;

private:
    std::shared_ptr<ChatGlmLinear> m_up, m_down;
};

} // namespace studio::engine
