#pragma once

// Access to the visible golden fixtures (tests/data/golden/kolors-tiny): cases.json and expected.safetensors.
// Header-only test helper.

#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace golden {

inline QString kolorsDir()
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/kolors-tiny");
}
inline std::string kolorsPath(const QString &relative)
{
    return (kolorsDir() + "/" + relative).toStdString();
}

inline const QJsonObject &cases()
{
    static const QJsonObject object = [] {
        QFile file(kolorsDir() + "/cases.json");
        if (!file.open(QIODevice::ReadOnly))
            throw std::runtime_error("cannot open cases.json");
        return QJsonDocument::fromJson(file.readAll()).object();
    }();
    return object;
}

inline const studio::engine::SafetensorsFile &expected()
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(kolorsPath("expected.safetensors"));
    return *file;
}

inline at::Tensor tensor(const QString &name)
{
    return expected().tensor(name.toStdString());
}

inline std::vector<int64_t> int64s(const at::Tensor &t)
{
    const at::Tensor flat = t.to(at::kLong).contiguous().view(-1);
    return std::vector<int64_t>(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
}

inline std::vector<std::string> strings(const QJsonValue &value)
{
    std::vector<std::string> out;
    if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            out.push_back(v.toString().toStdString());
    } else if (value.isString()) {
        out.push_back(value.toString().toStdString());
    }
    return out;
}

// The README's tolerance for text encoder / UNet / VAE outputs: max|a-b| <= 2e-5 * max(1, max|ref|).
inline bool closeEnough(const at::Tensor &actual, const at::Tensor &reference, double *maxDiff, double *limit)
{
    const at::Tensor a = actual.to(at::kDouble), r = reference.to(at::kDouble);
    *maxDiff = (a - r).abs().max().item<double>();
    *limit = 2e-5 * std::max(1.0, r.abs().max().item<double>());
    return a.sizes() == r.sizes() && *maxDiff <= *limit;
}

} // namespace golden
