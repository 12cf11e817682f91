#pragma once

// The comparisons every golden-fixture test makes, in one place: tensor closeness relative to the reference's
// magnitude, the image rule (±1 per value, at least 99 % equal), and reading what the CLI wrote (PNG pixels,
// latents, raw bytes). Header-only; the fixture headers (RefineGolden.h, IpAdapterFixture.h, …) re-export these.

#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>

#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QString>

#include <algorithm>
#include <cstring>

namespace golden {

inline double maxAbs(const at::Tensor &t)
{
    return t.numel() ? t.to(at::kDouble).abs().max().item<double>() : 0.0;
}

// max|a - b| <= relative * max(floor, max|ref|) with equal shapes; *message says by how much otherwise.
inline bool within(const at::Tensor &actual, const at::Tensor &ref, double relative, double floor, QString *message)
{
    if (actual.sizes() != ref.sizes()) {
        *message = QStringLiteral("shape differs (%1 vs %2 dims)").arg(actual.dim()).arg(ref.dim());
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

// The image rule of the fixtures' READMEs: every value within ±1 and at least 99 % equal.
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

// A PNG as an H×W×3 uint8 tensor (the layout of the fixtures' image_u8).
inline at::Tensor pixelsOf(const QString &png)
{
    const QImage image = QImage(png).convertToFormat(QImage::Format_RGB888);
    at::Tensor pixels = at::empty({image.height(), image.width(), 3}, at::kByte);
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(pixels[y].data_ptr<uint8_t>(), image.constScanLine(y), size_t(image.width()) * 3);
    return pixels;
}

// The "latents" tensor of a .safetensors the CLI wrote beside its PNG.
inline at::Tensor latentsOf(const QString &file)
{
    return studio::engine::SafetensorsFile::open(file.toStdString())->tensor("latents").clone();
}

inline QByteArray bytesOf(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace golden
