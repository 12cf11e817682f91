#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

// Writes a flat dict {name: float32 tensor} the way Python's torch.save does (what DiffSynth's .ckpt is), so that
// torch.load(f, weights_only=True) accepts it: a zip of stored entries `<archive>/data.pkl` (a protocol-2 pickle
// whose values are torch._utils._rebuild_tensor_v2(persistent storage, 0, size, stride, False, OrderedDict())),
// `<archive>/data/<i>` (raw little-endian storages) and `<archive>/version` = "3". LibTorch's own pickle_save
// cannot be used: it emits torch.jit._pickle.restore_type_tag, which weights_only refuses.
// Entries are kept in the given order; tensors are copied to contiguous CPU float32, or with `keepHalfDtypes`
// float16/bfloat16 tensors keep their dtype (HalfStorage/BFloat16Storage: the shards Hugging Face ships). Written
// atomically (temporary file + rename). Throws EngineError (Io, BadArgument for a non-float tensor or a file over
// 4 GiB).
void writeTorchSave(const std::string &path, const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                    const std::string &archiveName = "archive", bool keepHalfDtypes = false);

} // namespace studio::engine
