#pragma once

#include <ATen/core/Tensor.h>

namespace studio::engine {

struct ChatGlmConfig;

// ChatGLM's rotary embedding (a partial, interleaved "GLM" variant).
// The cache holds (cos, sin) of position * theta_i, theta_i = 1 / 10000^(2i / dim) with dim = kv_channels / 2,
// computed in float32: [B, L, frequencies, 2]. Like the reference it is cast to fp16/bf16 for such models.
at::Tensor chatGlmRotaryCache(const at::Tensor &positionIds, const ChatGlmConfig &config, c10::ScalarType dtype);

// Rotates the first 2*frequencies dims of each head of x [B, L, heads, d] as pairs (x[2i], x[2i+1]):
// (x0 cos - x1 sin, x1 cos + x0 sin). The remaining dims pass through unchanged.
at::Tensor applyChatGlmRotary(const at::Tensor &x, const at::Tensor &cache);

} // namespace studio::engine
