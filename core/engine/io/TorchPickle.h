#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

// Reads a torch.save zip file (.bin/.ckpt/.pt/.pth): a flat dict name -> tensor, or {"state_dict": {...}}
// (nested string-keyed dicts are flattened with "."). Only tensors and containers are accepted; nothing in the
// file is executed (see PickleReader.h). Tensors view the memory-mapped file (copy-on-write), or are single
// copies where a record is not aligned for its element type. Throws EngineError (MissingFile, Io, BadFile,
// Unsupported) naming the file.
std::vector<std::pair<std::string, at::Tensor>> loadTorchPickle(const std::string &path);

// The same over an archive in memory (fuzzers, tests). The tensors view `data`; `owner` is kept alive by them
// and may be null when the caller outlives every returned tensor.
std::vector<std::pair<std::string, at::Tensor>>
readTorchPickle(const uint8_t *data, uint64_t size, const std::string &label, std::shared_ptr<const void> owner);

} // namespace studio::engine
