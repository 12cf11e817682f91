#pragma once

#include <QString>

#include <optional>

namespace studio::story {

// How a LoRA was trained, as the trainer records it beside the file (`<lora>.training.json`, written by
// engine/api/Training.h's trainingFactsToJson; camelCase keys). The LoRA card states these; core/story reads the
// JSON itself so export needs no engine.
struct LoraTrainingFacts
{
    QString tool;
    QString format;
    int imageCount = 0;
    QString dataPreparation; // source, filters with their bounds, kept / total
    int rank = 0;
    double alpha = 0;
    double learningRate = 0;
    int steps = 0, stepsPlanned = 0;
    int resolution = 0;
    bool centerCrop = true;
    quint64 seed = 0;
    QString precision, device;
    QString baseModel, baseModelHash;
    QString initLora;
    double finalSmoothedLoss = 0;
    QString finishedAtUtc;

    static QString sidecarPath(const QString &loraPath); // "<lora>.training.json"
    // nullopt without a sidecar; with a malformed one also nullopt, and *error says why.
    static std::optional<LoraTrainingFacts> read(const QString &loraPath, QString *error = nullptr);
};

} // namespace studio::story
