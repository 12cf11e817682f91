#pragma once

// Access to the visible golden fixtures (tests/data/golden/kolors-tiny) for the diffusion tests:
// cases.json and the reference tensors in expected.safetensors. Header-only; each test executable includes it once.

#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QString>
#include <QtTest>

#include <memory>
#include <sstream>
#include <string>

namespace golden {

inline std::string modelDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
}

inline const nlohmann::json &cases()
{
    static const nlohmann::json json = studio::engine::readJsonFile(modelDir() + "/cases.json");
    return json;
}

inline at::Tensor tensor(const std::string &name)
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(modelDir() + "/expected.safetensors");
    return file->tensor(name).clone();
}

inline double maxAbs(const at::Tensor &t)
{
    return t.numel() ? t.to(at::kDouble).abs().max().item<double>() : 0.0;
}

inline double maxAbsDiff(const at::Tensor &a, const at::Tensor &b)
{
    return maxAbs(a.to(at::kDouble).cpu() - b.to(at::kDouble).cpu());
}

// Compares shapes and the max abs difference; on failure `message` says by how much.
inline bool near(const at::Tensor &actual, const at::Tensor &expected, double tolerance, const QString &what,
                 QString *message)
{
    if (actual.sizes() != expected.sizes()) {
        std::ostringstream shapes;
        shapes << actual.sizes() << " vs expected " << expected.sizes();
        *message = what + ": shape " + QString::fromStdString(shapes.str());
        return false;
    }
    const double diff = maxAbsDiff(actual, expected);
    if (!(diff <= tolerance)) {
        *message = QStringLiteral("%1: max abs diff %2 > tolerance %3 (max |ref| %4)")
                       .arg(what)
                       .arg(diff, 0, 'g', 4)
                       .arg(tolerance, 0, 'g', 4)
                       .arg(maxAbs(expected), 0, 'g', 4);
        return false;
    }
    return true;
}

} // namespace golden

// QVERIFY-style check of two tensors within an absolute tolerance.
#define GOLDEN_NEAR(actual, expected, tolerance, what)                                                                 \
    do {                                                                                                               \
        QString goldenMessage_;                                                                                        \
        if (!golden::near((actual), (expected), (tolerance), (what), &goldenMessage_))                                 \
            QFAIL(qPrintable(goldenMessage_));                                                                         \
    } while (false)
