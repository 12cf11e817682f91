#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace studio::engine {

// Reads a JSON file (config.json, index files). Throws EngineError MissingFile/Io/BadFile naming the file.
nlohmann::json readJsonFile(const std::string &path);

// Typed field access for config files: a missing or wrongly typed field throws EngineError::BadConfig
// naming the file and the field, instead of nlohmann's generic type_error.
template <typename T> T requireField(const nlohmann::json &object, const std::string &key, const std::string &file);
template <typename T>
T fieldOr(const nlohmann::json &object, const std::string &key, const T &fallback, const std::string &file);

} // namespace studio::engine
