#include "engine/common/Json.h"

#include "engine/common/EngineError.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace studio::engine {

nlohmann::json readJsonFile(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw EngineError(EngineError::Code::MissingFile, "missing file: " + path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw EngineError(EngineError::Code::Io, "cannot read " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::json json = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        throw EngineError(EngineError::Code::BadFile, "not valid JSON: " + path);
    return json;
}

template <typename T> T requireField(const nlohmann::json &object, const std::string &key, const std::string &file)
{
    if (!object.is_object() || !object.contains(key))
        throw EngineError(EngineError::Code::BadConfig, file + ": missing field \"" + key + "\"");
    try {
        return object.at(key).get<T>();
    } catch (const nlohmann::json::exception &) {
        throw EngineError(EngineError::Code::BadConfig, file + ": field \"" + key + "\" has the wrong type");
    }
}

template <typename T>
T fieldOr(const nlohmann::json &object, const std::string &key, const T &fallback, const std::string &file)
{
    if (!object.is_object() || !object.contains(key) || object.at(key).is_null())
        return fallback;
    return requireField<T>(object, key, file);
}

#define STUDIO_JSON_FIELD(T)                                                                                         \
    template T requireField<T>(const nlohmann::json &, const std::string &, const std::string &);                    \
    template T fieldOr<T>(const nlohmann::json &, const std::string &, const T &, const std::string &);
STUDIO_JSON_FIELD(bool)
STUDIO_JSON_FIELD(int)
STUDIO_JSON_FIELD(int64_t)
STUDIO_JSON_FIELD(double)
STUDIO_JSON_FIELD(std::string)
STUDIO_JSON_FIELD(std::vector<int>)
STUDIO_JSON_FIELD(std::vector<std::string>)
STUDIO_JSON_FIELD(nlohmann::json)
#undef STUDIO_JSON_FIELD

} // namespace studio::engine
