#pragma once

// Gradient checkpointing for training. LibTorch C++ has no torch.utils.checkpoint, so this is the reentrant variant
// as a custom autograd function: the forward pass runs the block without recording a graph (its activations are
// freed at once), and the backward pass runs the block again with autograd on and back-propagates through that
// fresh graph. Gradients of parameters inside the block (the LoRA weights) accumulate into their .grad directly.
// The block must be deterministic (the UNet's blocks are: no dropout, no random draws), so the numbers are the
// same as without checkpointing; only memory (one block's activations at a time) and time (one extra forward) change.

#include <ATen/core/Tensor.h>

#include <functional>
#include <vector>

namespace studio::engine {

using CheckpointBody = std::function<at::Tensor(const std::vector<at::Tensor> &inputs)>;

// body(inputs), checkpointed when `enabled` and autograd is recording; plain otherwise (inference, no_grad).
at::Tensor runCheckpointed(bool enabled, const CheckpointBody &body, const std::vector<at::Tensor> &inputs);

} // namespace studio::engine
