// libFuzzer target: a whole torch.save archive (zip + restricted unpickler + storages). Anything malformed must
// give an EngineError; an accepted file must yield tensors whose every element can be read.
#include "engine/common/EngineError.h"
#include "engine/io/TorchPickle.h"

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const auto tensors = studio::engine::readTorchPickle(data, size, "fuzz.ckpt", nullptr);
        for (const auto &[name, tensor] : tensors)
            if (tensor.numel() > 0 && tensor.numel() <= (int64_t(1) << 20)) // stride-0 views may be huge
                (void)tensor.to(at::kDouble).sum().item<double>(); // reads every element (ASan checks the bounds)
    } catch (const studio::engine::EngineError &) {
    }
    return 0;
}
