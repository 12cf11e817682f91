#pragma once

#include "LoraTrainingFacts.h"

#include <QString>

#include <functional>
#include <optional>

namespace studio::story {

// What the LoRA card states about a LoRA file. The file facts (name, size, SHA-256, format) are
// measured here; rank, alpha, the loader convention and the effective scale can only be read from
// the tensors and are filled in by the engine's LoRA code (bridge/EngineLoraFacts.h; REFERENCE A.2.4: a
// card must say which scale convention applies, or better one explicit effective scale). Without the
// engine they stay empty and the card says "not yet determined".
struct LoraFacts
{
    QString fileName;
    qint64 sizeBytes = 0;
    QString sha256;                    // full-file SHA-256, lower-case hex
    QString format;                    // "safetensors", "PyTorch zip checkpoint", "PyTorch pickle", "unknown"
    std::optional<QString> addnetHash; // kohya "addnet" hash (SHA-256 after the safetensors header), safetensors only

    std::optional<int> rank;              // LoRA rank r (rows of lora_down / lora_A)
    std::optional<double> alpha;          // stored alpha, when the file has one
    std::optional<double> effectiveScale; // the factor ΔW = scale·B·A is applied with, at the project's multiplier
    std::optional<QString> convention;    // "diffsynth" (no alpha: scale = multiplier) or "kohya" (alpha / rank)
    std::optional<QString> scaleRule;     // the rule as applied to this file, with its numbers
    std::optional<int> layerCount;        // low-rank layer pairs
    // How it was trained, when the trainer left its record beside the file (`<lora>.training.json`).
    std::optional<LoraTrainingFacts> training;

    // The 10-hex short hash A1111 writes ("Model hash"/"Lora hashes"): addnet hash when known, else SHA-256.
    QString shortHash() const;

    // Measures a LoRA file, streaming it through SHA-256. `progress(done, total)` may return false to cancel.
    static std::optional<LoraFacts> inspect(const QString &path, QString *error,
                                            const std::function<bool(qint64, qint64)> &progress = {});
};

} // namespace studio::story
