#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

// What reading one pickle may cost. A hostile pickle can be tiny and still ask for much: one-byte opcodes that
// each allocate a value, memo references that make one child appear in many containers (so a walk over the
// tree visits 2^depth nodes), names repeated at every level. Every such cost is counted against this budget,
// and exceeding it refuses the file. The limits grow with the file, so a real checkpoint never meets them.
struct PickleBudget
{
    uint64_t values = 0; // values built, plus container entries visited when flattening
    uint64_t memo = 0;   // memo entries
    uint64_t stack = 0;  // stack entries and marks
    uint64_t bytes = 0;  // estimated memory of all of the above, strings and the flattened names included

    // The budget for a pickle inside a file of `fileBytes` bytes.
    static PickleBudget forFile(uint64_t fileBytes);
};

// Returns the 1-D storage `key` of `numel` elements of `dtype` (a view of the archive's data/<key> record).
// Throws EngineError::BadFile when the record is missing or too small.
using PickleStorageLoader = std::function<at::Tensor(const std::string &key, c10::ScalarType dtype, int64_t numel)>;

// A restricted unpickler for the data.pkl of a torch.save archive. It never executes anything: the pickle may
// only build None/bool/int/float/str/bytes, tuples, lists, dicts, OrderedDicts and tensors (through
// torch._utils._rebuild_tensor_v2 / _rebuild_parameter over persistent "storage" ids; LibTorch's
// torch::pickle_save adds torch.jit._pickle.restore_type_tag, a type annotation). Any other global
// (os.system, builtins.eval, a class to instantiate, ...) makes it refuse the whole file, naming the global.
// The result is a dict of tensors: {"state_dict": {...}} is unwrapped, nested string-keyed dicts are flattened
// with ".", plain values (ints, strings, ...) next to tensors are skipped, anything else is refused.
// Throws EngineError::BadFile naming `label`, also when the pickle exceeds `budget`.
std::vector<std::pair<std::string, at::Tensor>> readPickledStateDict(const uint8_t *data, uint64_t size,
                                                                     const std::string &label,
                                                                     const PickleStorageLoader &storage,
                                                                     const PickleBudget &budget);

} // namespace studio::engine
