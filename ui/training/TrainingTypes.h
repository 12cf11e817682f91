#pragma once

#include <QImage>
#include <QMetaType>
#include <QString>

// Plain values passed between the Train LoRA page and its worker (queued signals), free of engine types so the
// studio builds without the engine.
namespace studio::ui {

struct TrainingJob
{
    quint64 id = 0;
    QString modelDir;   // Kolors folder (the studio's model setting)
    QString dataDir;    // DiffSynth folder: DIR/train/metadata.csv + images
    QString outputPath; // the LoRA to write
    int rank = 16;
    double alpha = 4.0;
    double learningRate = 1e-4;
    int steps = 500;
    quint64 seed = 0;
    int resolution = 1024;
    QString precision = QStringLiteral("auto"); // auto | fp32 | fp16 | bf16
    QString device = QStringLiteral("auto");    // auto | cpu | cuda
    int saveEvery = 0;
    QString resumeFrom; // a resume state (.resume.safetensors); empty: a new run
    int sampleEvery = 0;
    QString samplePrompt;
    QString dataPreparation; // recorded in the facts for the LoRA card
};

struct TrainingStep
{
    int step = 0, totalSteps = 0;
    double loss = 0, smoothedLoss = 0;
    double itPerSec = 0, etaSeconds = 0;
};

struct TrainingOutcome
{
    QString loraPath, factsPath, statePath;
    int stepsDone = 0;
    bool cancelled = false;
    double finalSmoothedLoss = 0;
    double secondsPerStep = 0;
};

} // namespace studio::ui

Q_DECLARE_METATYPE(studio::ui::TrainingJob)
Q_DECLARE_METATYPE(studio::ui::TrainingStep)
Q_DECLARE_METATYPE(studio::ui::TrainingOutcome)
