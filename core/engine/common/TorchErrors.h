#pragma once

#include <string>

namespace studio::engine {

// Call inside a catch (...) block: rethrows the active exception as an EngineError. EngineError passes through
// unchanged; c10::OutOfMemoryError, std::bad_alloc and c10::Error messages that report exhausted memory (CUDA,
// cuDNN, cuBLAS) become OutOfMemory; any other c10::Error or std::exception becomes Internal. `stage`
// ("text encoder", ...) prefixes the message.
[[noreturn]] void rethrowAsEngineError(const std::string &stage);

} // namespace studio::engine
