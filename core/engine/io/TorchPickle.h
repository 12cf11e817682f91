#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

// Reads a torch.save zip file (.bin/.ckpt/.pt/.pth): a flat dict name -> tensor, or {"state_dict": {...}}.
// Only tensors and containers are accepted; nothing in the file is executed. Throws EngineError::BadFile.
std::vector<std::pair<std::string, at::Tensor>> loadTorchPickle(const std::string &path);

} // namespace studio::engine
