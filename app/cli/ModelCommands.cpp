// `storyboard make-random-model` and `storyboard memory-estimate`: the model folder's memory side (issue 16).
#include "Cli.h"
#include "RunOptions.h"

#include "engine/api/Generation.h"
#include "engine/api/MemoryEstimate.h"
#include "engine/api/RandomModelFolder.h"
#include "engine/api/Errors.h"

#include <QCommandLineParser>
#include <QFile>

using namespace studio::engine;

namespace studio::cli {

int runMakeRandomModel(const QStringList &args)
{
    const QString command = QStringLiteral("make-random-model");
    QCommandLineParser parser;
    const QCommandLineOption outDir(QStringLiteral("out"), QStringLiteral("Folder to create."), QStringLiteral("DIR"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("kolors (the real sizes, about 18 GB on disk) or tiny (default kolors)."),
                                  QStringLiteral("WHICH"));
    const QCommandLineOption tokenizer(QStringLiteral("tokenizer"),
                                       QStringLiteral("A ChatGLM3 tokenizer.model to copy into the folder."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the weights (default 1)."),
                                  QStringLiteral("N"));
    parser.addOptions({outDir, size, tokenizer, seed});
    if (const auto done = parseCommand(parser, args, command,
                                         QStringLiteral("Write a Kolors model folder with random weights in the "
                                                        "files and dtypes the real model ships (float16 ChatGLM3 "
                                                        "pickle shards, float16 safetensors), for memory and speed "
                                                        "measurements. The images it makes are noise.")))
        return *done;
    if (!parser.isSet(outDir) || !parser.isSet(tokenizer))
        return fail(command, QStringLiteral("--out DIR and --tokenizer FILE are required"));
    RandomModelFolderOptions options;
    options.dir = parser.value(outDir).toStdString();
    options.which = parser.isSet(size) ? parser.value(size).toStdString() : std::string("kolors");
    options.tokenizerModel = parser.value(tokenizer).toStdString();
    int seedValue = 1;
    QString error;
    if (!parseInt(parser, seed, &seedValue, &error))
        return fail(command, error);
    options.seed = uint64_t(seedValue);
    options.onFileWritten = [](const std::string &file) { out(QStringLiteral("wrote %1").arg(QString::fromStdString(file))); };
    try {
        writeRandomModelFolder(options);
    } catch (const EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
    return 0;
}

int runMemoryEstimate(const QStringList &args)
{
    const QString command = QStringLiteral("memory-estimate");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Kolors model folder."), QStringLiteral("DIR"));
    const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("Width (default 1024)."), QStringLiteral("W"));
    const QCommandLineOption height(QStringLiteral("height"), QStringLiteral("Height (default 1024)."),
                                    QStringLiteral("H"));
    const RunOptions run; // the same placement, precision and quantization options as generate and bench
    parser.addOptions({model, width, height});
    parser.addOptions(run.all());
    if (const auto done = parseCommand(parser, args, command,
                                         QStringLiteral("Estimate the peak RAM and VRAM a model folder needs with "
                                                        "these settings, per phase, without loading it, and whether "
                                                        "it fits this machine's free memory.")))
        return *done;
    if (!parser.isSet(model))
        return fail(command, QStringLiteral("--model DIR is required"));
    ModelSettings settings;
    settings.modelDir = parser.value(model).toStdString();
    QString error;
    int w = 1024, h = 1024;
    if (!run.read(parser, &settings, &error) || !parseInt(parser, width, &w, &error) ||
        !parseInt(parser, height, &h, &error))
        return fail(command, error);
    if (w <= 0 || h <= 0)
        return fail(command, QStringLiteral("--width and --height must be positive"));
    const bool cuda = settings.device == ComputeDevice::Cuda ||
                      (settings.device == ComputeDevice::Auto && Generator::cudaAvailable());
    try {
        const MemoryEstimate estimate = estimateMemory(settings, cuda, w, h);
        const MemoryParts &parts = estimate.parts;
        auto gib = [](int64_t bytes) { return QString::fromStdString(gibText(bytes)); };
        out(QStringLiteral("estimate at %1x%2: %3").arg(w).arg(h).arg(QString::fromStdString(estimate.summary)));
        out(QStringLiteral("text encoder: %1, %2, %3%4")
                .arg(parts.textEncoderOnCpu ? QStringLiteral("cpu") : QStringLiteral("cuda"),
                     QString::fromLatin1(textEncoderQuantName(settings.textEncoderQuant)),
                     parts.textEncoderReleased ? QStringLiteral("released after encoding")
                                               : QStringLiteral("kept loaded"),
                     parts.quantizedWeightsMapped
                         ? QStringLiteral(", quantized weights mapped from %1")
                               .arg(QFile::decodeName(settings.quantizedWeightCacheDir.c_str()))
                         : QString()));
        if (cuda)
            out(QStringLiteral("unet offload: %1").arg(QString::fromLatin1(unetOffloadName(settings.unetOffload))));
        for (const MemoryPhase &phase : estimate.phases)
            out(QStringLiteral("  %1: private %2, mapped weights %3%4")
                    .arg(QString::fromStdString(phase.name), gib(phase.privateBytes), gib(phase.mappedBytes),
                         cuda ? QStringLiteral(", VRAM %1").arg(gib(phase.vramBytes)) : QString()));
        // The verdict Generator::load refuses with (and Settings ▸ Model shows): free RAM and, on CUDA, free VRAM.
        const int64_t available = availableRamBytes();
        const int64_t availableVram = cuda ? availableVramBytes(settings.deviceIndex) : -1;
        const std::string shortfall = memoryShortfall(settings, cuda, w, h, available, availableVram);
        const QString vram = availableVram >= 0 ? QStringLiteral(", %1 of VRAM").arg(gib(availableVram)) : QString();
        out(shortfall.empty() ? QStringLiteral("fits: %1 of RAM%2 available").arg(gib(available), vram)
                              : QStringLiteral("does not fit: %1").arg(QString::fromStdString(shortfall)));
    } catch (const EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
    return 0;
}

} // namespace studio::cli
