#include "engine/io/TorchPickle.h"

#include "engine/common/EngineError.h"

namespace studio::engine {

std::vector<std::pair<std::string, at::Tensor>> loadTorchPickle(const std::string &path)
{
    throw EngineError(EngineError::Code::Unsupported, "torch pickle files are not supported yet: " + path);
}

} // namespace studio::engine
