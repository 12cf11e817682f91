#pragma once

// The visible training fixtures (tests/data/golden/training-tiny): cases.json, expected.safetensors, and the
// contract's acceptance criteria (README "Tolerances and why") as one function per kind of check.

#include "engine/common/Json.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QString>

#include <cmath>
#include <map>
#include <memory>
#include <string>

namespace training_golden {

inline std::string fixtureDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/training-tiny";
}

inline std::string modelDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
}

inline const nlohmann::json &cases()
{
    static const nlohmann::json json = studio::engine::readJsonFile(fixtureDir() + "/cases.json");
    return json;
}

inline const nlohmann::json &findCase(const std::string &id)
{
    for (const nlohmann::json &c : cases()["cases"])
        if (c["id"] == id)
            return c;
    throw std::runtime_error("no case " + id);
}

inline at::Tensor expected(const std::string &name)
{
    static const std::shared_ptr<studio::engine::SafetensorsFile> file =
        studio::engine::SafetensorsFile::open(fixtureDir() + "/expected.safetensors");
    return file->tensor(name).clone();
}

// Indices and timesteps exact, every loss within 5e-5 * max(1, |ref|). Empty when it passes.
inline QString checkTrace(const at::Tensor &loss, const at::Tensor &timesteps, const at::Tensor &indices,
                          const std::string &id, const std::string &outputsId, bool onlyFirstLoss = false)
{
    const at::Tensor refLoss = expected(outputsId + "/loss");
    if (!at::equal(timesteps.to(at::kLong), expected(outputsId + "/timesteps")))
        return QStringLiteral("%1: timesteps differ").arg(QString::fromStdString(id));
    if (!at::equal(indices.to(at::kLong), expected(outputsId + "/indices")))
        return QStringLiteral("%1: indices differ").arg(QString::fromStdString(id));
    if (loss.numel() != refLoss.numel())
        return QStringLiteral("%1: %2 losses, expected %3").arg(QString::fromStdString(id)).arg(loss.numel()).arg(refLoss.numel());
    const double rel = cases()["tolerances"]["loss_rel"].get<double>();
    for (int64_t k = 0; k < loss.numel(); ++k) {
        const double a = loss[k].item<double>(), r = refLoss[k].item<double>();
        if (!std::isfinite(a))
            return QStringLiteral("%1: loss %2 is not finite").arg(QString::fromStdString(id)).arg(k);
        if ((!onlyFirstLoss || k == 0) && std::fabs(a - r) > rel * std::max(1.0, std::fabs(r)))
            return QStringLiteral("%1: loss[%2] = %3, expected %4").arg(QString::fromStdString(id)).arg(k).arg(a, 0, 'g', 9).arg(r, 0, 'g', 9);
    }
    return {};
}

// The weight criteria over all elements together. `weights` maps DiffSynth key -> tensor.
inline QString checkWeights(const std::map<std::string, at::Tensor> &weights, const std::string &prefix, double lr,
                            int steps)
{
    const nlohmann::json &tol = cases()["tolerances"];
    const double atolLr = tol["weight_atol_lr"], rtol = tol["weight_rtol"], minFraction = tol["weight_min_fraction"],
                 maxLrSteps = tol["weight_max_lr_steps"], biasMax = tol["weight_decay_bias_max"];
    int64_t total = 0, passing = 0;
    double shrinkNumerator = 0, shrinkDenominator = 0;
    for (const nlohmann::json &layer : cases()["key_map"]) {
        for (const char *suffix : {".lora_A.default.weight", ".lora_B.default.weight"}) {
            const std::string key = layer["diffsynth"].get<std::string>() + suffix;
            const auto it = weights.find(key);
            if (it == weights.end())
                return QStringLiteral("missing %1").arg(QString::fromStdString(key));
            const at::Tensor ref = expected(prefix + key).to(at::kDouble);
            if (it->second.scalar_type() != at::kFloat || it->second.sizes() != ref.sizes())
                return QStringLiteral("%1: wrong dtype or shape").arg(QString::fromStdString(key));
            const at::Tensor w = it->second.to(at::kDouble);
            const at::Tensor diff = (w - ref).abs();
            if (diff.max().item<double>() > maxLrSteps * lr * steps + atolLr * lr)
                return QStringLiteral("%1: an element is %2 away").arg(QString::fromStdString(key)).arg(diff.max().item<double>());
            const at::Tensor pass = diff <= (atolLr * lr + rtol * ref.abs());
            total += w.numel();
            passing += pass.sum().item<int64_t>();
            shrinkNumerator += (-(w - ref) * ref).masked_select(pass).sum().item<double>();
            shrinkDenominator += (ref * ref).masked_select(pass).sum().item<double>();
        }
    }
    const double fraction = double(passing) / double(total);
    if (fraction < minFraction)
        return QStringLiteral("only %1 of the weights within tolerance").arg(fraction, 0, 'f', 5);
    const double shrink = std::fabs(shrinkNumerator / shrinkDenominator) / (lr * steps);
    if (shrink > biasMax)
        return QStringLiteral("shrinkage difference %1 (weight decay?)").arg(shrink);
    return {};
}

} // namespace training_golden
