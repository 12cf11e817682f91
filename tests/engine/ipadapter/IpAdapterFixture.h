#pragma once

// The IP-Adapter part of the consistency-tiny golden fixtures (tests/data/golden/consistency-tiny, README part B):
// cases.json, the reference tensors and the house tolerances. Header-only; every test walks whatever cases the
// fixture lists (the hidden set has other encoders, resamplers and UNets).

#include "GoldenCompare.h"
#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QString>

#include <algorithm>
#include <memory>
#include <string>

namespace ip_test {

inline std::string dir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/consistency-tiny";
}

inline std::string path(const std::string &relative)
{
    return dir() + "/" + relative;
}

inline std::string modelDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
}

inline const nlohmann::json &ip()
{
    static const nlohmann::json json = studio::engine::readJsonFile(dir() + "/cases.json")["ip_adapter"];
    return json;
}

inline at::Tensor tensor(const std::string &name)
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(dir() + "/expected.safetensors");
    return file->tensor(name).clone();
}

inline at::Tensor tensor(const nlohmann::json &name)
{
    return tensor(name.get<std::string>());
}

using golden::maxAbs;
using golden::within;

// Stage tensors (embeddings, tokens): 2e-5 · max(1, max|ref|).
inline bool stageMatches(const at::Tensor &actual, const at::Tensor &ref, QString *message)
{
    return within(actual, ref, 2e-5, 1.0, message);
}

} // namespace ip_test
