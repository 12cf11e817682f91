#pragma once

#include <stdexcept>
#include <string>

namespace studio::engine {

// Typed engine failure. The engine throws it; callers (CLI, worker) catch it once and choose
// a user-facing message from the code. `detail` is technical and names files/tensors exactly.
class EngineError : public std::runtime_error
{
public:
    enum class Code {
        Io,            // a file cannot be opened/read/written
        BadFile,       // a file is malformed (corrupt header, wrong format, hostile content)
        MissingFile,   // a required file of a model folder is absent
        MissingWeight, // a tensor the network needs is absent
        UnexpectedWeight,
        ShapeMismatch,
        DtypeMismatch,
        BadConfig,     // config.json missing fields or holding unsupported values
        BadArgument,   // caller passed an absurd argument (size 0, NaN CFG, unknown sampler)
        OutOfMemory,   // CUDA or host allocation failed; detail says which setting to change
        Cancelled,
        Unsupported,
        Internal,
    };

    EngineError(Code code, const std::string &detail) : std::runtime_error(detail), m_code(code) {}
    Code code() const noexcept { return m_code; }
    const char *codeName() const noexcept { return codeName(m_code); }

    static const char *codeName(Code code) noexcept
    {
        switch (code) {
        case Code::Io: return "io";
        case Code::BadFile: return "bad-file";
        case Code::MissingFile: return "missing-file";
        case Code::MissingWeight: return "missing-weight";
        case Code::UnexpectedWeight: return "unexpected-weight";
        case Code::ShapeMismatch: return "shape-mismatch";
        case Code::DtypeMismatch: return "dtype-mismatch";
        case Code::BadConfig: return "bad-config";
        case Code::BadArgument: return "bad-argument";
        case Code::OutOfMemory: return "out-of-memory";
        case Code::Cancelled: return "cancelled";
        case Code::Unsupported: return "unsupported";
        case Code::Internal: return "internal";
        }
        return "unknown";
    }

private:
    Code m_code;
};

} // namespace studio::engine
