// libFuzzer target: the restricted unpickler alone (the data.pkl of a torch.save archive), with storages of the
// requested size, so the fuzzer spends its time on the pickle machine rather than on the zip layer.
#include "engine/common/EngineError.h"
#include "engine/io/PickleReader.h"

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const studio::engine::PickleStorageLoader storage = [](const std::string &key, c10::ScalarType dtype,
                                                           int64_t numel) {
        if (numel > (int64_t(1) << 16))
            throw studio::engine::EngineError(studio::engine::EngineError::Code::BadFile,
                                              "storage " + key + " too large");
        return at::zeros({numel}, at::TensorOptions().dtype(dtype));
    };
    try {
        const auto tensors = studio::engine::readPickledStateDict(data, size, "fuzz.pkl", storage,
                                                                  studio::engine::PickleBudget::forFile(size));
        for (const auto &[name, tensor] : tensors)
            if (tensor.numel() > 0 && tensor.numel() <= (int64_t(1) << 20)) // stride-0 views may be huge
                (void)tensor.to(at::kDouble).sum().item<double>();
    } catch (const studio::engine::EngineError &) {
    }
    return 0;
}
