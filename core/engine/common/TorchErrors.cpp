#include "engine/common/TorchErrors.h"

#include "engine/common/EngineError.h"

#include <c10/util/Exception.h>

#include <new>

namespace studio::engine {
namespace {

bool reportsExhaustedMemory(const std::string &message)
{
    for (const char *marker :
         {"out of memory", "CUDNN_STATUS_ALLOC_FAILED", "CUBLAS_STATUS_ALLOC_FAILED", "not enough memory"})
        if (message.find(marker) != std::string::npos)
            return true;
    return false;
}

std::string firstLine(const std::string &text)
{
    const size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

} // namespace

void rethrowAsEngineError(const std::string &stage)
{
    const std::string prefix = stage.empty() ? std::string() : stage + ": ";
    try {
        throw;
    } catch (const EngineError &) {
        throw;
    } catch (const c10::OutOfMemoryError &e) { // derives from c10::Error: must come first
        throw EngineError(EngineError::Code::OutOfMemory,
                          prefix + "out of memory (" + firstLine(e.what_without_backtrace()) + ")");
    } catch (const c10::Error &e) {
        const std::string message = firstLine(e.what_without_backtrace());
        throw EngineError(reportsExhaustedMemory(message) ? EngineError::Code::OutOfMemory
                                                          : EngineError::Code::Internal,
                          prefix + message);
    } catch (const std::bad_alloc &) {
        throw EngineError(EngineError::Code::OutOfMemory, prefix + "out of memory");
    } catch (const std::exception &e) {
        throw EngineError(EngineError::Code::Internal, prefix + e.what());
    } catch (...) {
        throw EngineError(EngineError::Code::Internal, prefix + "unknown failure");
    }
}

} // namespace studio::engine
