#pragma once

// Access to the refine golden fixtures (tests/data/golden/refine-tiny, made on ../kolors-tiny): cases.json, the
// reference tensors and the init images, plus the house tolerances. Header-only.

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

inline double maxAbs(const at::Tensor &t)
{
    return t.numel() ? t.to(at::kDouble).abs().max().item<double>() : 0.0;
}

// max|a - b| <= relative * max(floor, max|ref|), with the shapes equal.
inline bool within(const at::Tensor &actual, const at::Tensor &ref, double relative, double floor, QString *message)
{
    if (actual.sizes() != ref.sizes()) {
        *message = QStringLiteral("shape differs");
        return false;
    }
    const double diff = maxAbs(actual.to(at::kDouble) - ref.to(at::kDouble));
    const double limit = relative * std::max(floor, maxAbs(ref));
    if (!(diff <= limit)) {
        *message = QStringLiteral("max abs diff %1 > %2").arg(diff, 0, 'g', 4).arg(limit, 0, 'g', 4);
        return false;
    }
    return true;
}

// The image rule: every value within ±1 and at least 99 % equal.
inline bool imageMatches(const at::Tensor &u8, const at::Tensor &ref, QString *message)
{
    if (u8.sizes() != ref.sizes()) {
        *message = QStringLiteral("image shape differs");
        return false;
    }
    const at::Tensor diff = (u8.to(at::kInt) - ref.to(at::kInt)).abs();
    const int worst = diff.max().item<int>();
    const double equal = (diff == 0).to(at::kDouble).mean().item<double>();
    if (worst > 1 || equal < 0.99) {
        *message = QStringLiteral("pixels off by up to %1, %2 % equal").arg(worst).arg(equal * 100.0);
        return false;
    }
    return true;
}

inline at::Tensor pixelsOf(const QString &png)
{
    const QImage image = QImage(png).convertToFormat(QImage::Format_RGB888);
    at::Tensor pixels = at::empty({image.height(), image.width(), 3}, at::kByte);
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(pixels[y].data_ptr<uint8_t>(), image.constScanLine(y), size_t(image.width()) * 3);
    return pixels;
}

} // namespace refine
