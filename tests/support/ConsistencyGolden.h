#pragma once

// The visible consistency fixtures (tests/data/golden/consistency-tiny): cases.json, the reference tensors and
// the folder the CLI arguments are relative to. Header-only; include it once per test executable.

#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace consistency_golden {

inline std::string dir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/consistency-tiny";
}

inline const nlohmann::json &cases()
{
    static const nlohmann::json json = studio::engine::readJsonFile(dir() + "/cases.json");
    return json;
}

inline std::string modelDir()
{
    return dir() + "/" + cases()["model_dir"].get<std::string>();
}

inline const studio::engine::SafetensorsFile &expected()
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(dir() + "/" + cases()["expected_file"].get<std::string>());
    return *file;
}

inline at::Tensor tensor(const std::string &name)
{
    return expected().tensor(name).clone();
}

inline bool has(const std::string &name)
{
    return expected().find(name) != nullptr;
}

// "story/<case>/" prefix of a case's tensors.
inline std::string prefix(const nlohmann::json &storyCase)
{
    return "story/" + storyCase["id"].get<std::string>() + "/";
}

// "01", "02", ... for a 1-based panel number.
inline std::string panelNumber(int oneBased)
{
    return (oneBased < 10 ? "0" : "") + std::to_string(oneBased);
}

} // namespace consistency_golden
