// `storyboard generate | bench`: the Kolors engine on the command line (through the torch-free facade
// engine/api/Generation.h only). `render` is in RenderCommand.cpp.
#include "Cli.h"
#include "GenerateOutput.h"
#include "IpAdapterOptions.h"
#include "LoraOptions.h"
#include "RefineOptions.h"
#include "RunOptions.h"

#include "bridge/GenerationParameters.h"

#include "engine/api/Generation.h"
#include "engine/api/Errors.h"
#include "story/A1111Parameters.h"
#include "story/labels/AigcLabel.h"
#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/SeedPolicy.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

using namespace studio::engine;
using namespace studio::story;

namespace studio::cli {

// The helpers below are shared with generate-story (GenerateOutput.h).

// The text of an engine error for the user; out-of-memory names the CLI switches that help.
QString engineMessage(const EngineError &error)
{
    QString message = QString::fromStdString(error.what());
    if (error.code() == EngineError::Code::OutOfMemory && message.contains(QStringLiteral("low-VRAM")))
        message += QStringLiteral(" (options: --width/--height, --low-vram, --vae-tiling on, --text-encoder-device "
                                  "cpu, --unet-offload blocks, --device cpu)");
    return message;
}

// Progress on stderr when it is a terminal (so logs and pipes stay clean).
std::function<void(int, int)> progressPrinter(const QString &label)
{
    if (!stderrIsTerminal())
        return {};
    return [label](int step, int steps) {
        std::fprintf(stderr, "\r%s step %d/%d", qUtf8Printable(label), step, steps);
        if (step == steps)
            std::fputc('\n', stderr);
        std::fflush(stderr);
    };
}

// ", img2img strength 0.6" / ", hires x1.5 from 64x64 at strength 0.55" (empty for a plain txt2img).
QString refineSummary(const GenerationResult &r)
{
    if (r.img2img)
        return QStringLiteral(", img2img strength %1").arg(A1111Parameters::formatNumber(r.strength));
    if (r.hires)
        return QStringLiteral(", hires x%1 from %2x%3 at strength %4")
            .arg(A1111Parameters::formatNumber(r.hiresScale), QString::number(r.baseWidth),
                 QString::number(r.baseHeight), A1111Parameters::formatNumber(r.hiresStrength));
    return {};
}

QString seconds(double ms)
{
    return QString::number(ms / 1000.0, 'f', 1) + QStringLiteral(" s");
}

// ", LoRA kohya x0.75" when a LoRA was merged (its effective scale), else nothing.
QString loraSummary(const GenerationResult &r)
{
    if (!r.lora.enabled())
        return {};
    const QString scale = r.loraEffectiveScaleMin == r.loraEffectiveScaleMax
                              ? A1111Parameters::formatNumber(r.loraEffectiveScaleMin)
                              : A1111Parameters::formatNumber(r.loraEffectiveScaleMin) + QStringLiteral("..") +
                                    A1111Parameters::formatNumber(r.loraEffectiveScaleMax);
    return QStringLiteral(", LoRA %1 (%2) at effective scale %3")
        .arg(QFileInfo(QString::fromStdString(r.lora.path)).fileName(), QString::fromStdString(r.loraFormat), scale);
}

// The PNG chunks of a stand-alone image: A1111 "parameters", our JSON chunk and the implicit AI label.
// `initImage` and `batchIndex` (-1: not a batch) as bridge::generationParameters takes them.
QVector<PngTextChunk> generateChunks(const GenerationResult &r, const QString &modelDir,
                                     const std::optional<bridge::InitImageFile> &initImage, int batchIndex)
{
    A1111Parameters a1111;
    a1111.prompt = QString::fromStdString(r.prompt);
    a1111.negativePrompt = QString::fromStdString(r.negativePrompt);
    // A1111's "Size" is the first pass's size; the hires size follows from "Hires upscale".
    a1111.setGeneration(r.steps, QString::fromStdString(r.sampler), r.cfg, qint64(r.seed),
                        r.hires ? r.baseWidth : r.width, r.hires ? r.baseHeight : r.height);
    bridge::addRefineParameters(&a1111, r);
    a1111.set(QStringLiteral("Model"), QStringLiteral("Kolors"));
    a1111.set(QStringLiteral("Version"), QStringLiteral("storyboard-studio ") + PanelMetadata::appVersion());

    QJsonObject json = bridge::generationParameters(r, initImage, batchIndex);
    PanelMetadata::addEngineChoices(json, &a1111);
    addIpAdapterParameters(r, &json, &a1111);
    json.insert(QStringLiteral("schema"), PanelMetadata::kSchemaVersion);
    json.insert(QStringLiteral("app"), QStringLiteral("storyboard-studio"));
    json.insert(QStringLiteral("version"), PanelMetadata::appVersion());
    QJsonObject model;
    model.insert(QStringLiteral("base"), QStringLiteral("Kwai-Kolors/Kolors"));
    model.insert(QStringLiteral("folder"), QDir(modelDir).dirName()); // never the absolute path
    json.insert(QStringLiteral("model"), model);
    return {PngTextChunk::forValue(PanelMetadata::parametersKeyword(), a1111.format()),
            PngTextChunk::forValue(PanelMetadata::chunkKeyword(), QString::fromLatin1(PanelMetadata::asciiJson(json))),
            AigcLabel::generated().pngChunk()};
}

bool checkWritableFile(const QString &path, const QString &suffix, const QString &option, QString *error)
{
    const QFileInfo info(path);
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) {
        *error = QStringLiteral("%1 %2 must end in %3").arg(option, path, suffix);
        return false;
    }
    if (info.isDir()) {
        *error = QStringLiteral("%1 %2 is a folder").arg(option, path);
        return false;
    }
    if (!QFileInfo(info.absolutePath()).isDir()) {
        *error = QStringLiteral("%1 %2: the folder %3 does not exist").arg(option, path, info.absolutePath());
        return false;
    }
    return true;
}

int runGenerate(const QStringList &args)
{
    const QString command = QStringLiteral("generate");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Kolors model folder."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("The prompt."), QStringLiteral("TEXT"));
    const QCommandLineOption negative(QStringLiteral("negative"), QStringLiteral("Negative prompt."),
                                      QStringLiteral("TEXT"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed (default: random)."),
                                  QStringLiteral("N"));
    const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("Sampling steps (default 25)."),
                                   QStringLiteral("N"));
    const QCommandLineOption cfg(QStringLiteral("cfg"),
                                 QStringLiteral("Guidance scale (default 5; <= 1 turns it off)."), QStringLiteral("X"));
    const QCommandLineOption sampler(
        QStringLiteral("sampler"), QStringLiteral("euler, euler_a, dpmpp_2m, dpmpp_2m_karras or ddim (default euler)."),
        QStringLiteral("NAME"));
    const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("Width in pixels (default 1024)."),
                                   QStringLiteral("W"));
    const QCommandLineOption height(QStringLiteral("height"), QStringLiteral("Height in pixels (default 1024)."),
                                    QStringLiteral("H"));
    const QCommandLineOption outFile(QStringLiteral("out"), QStringLiteral("The PNG to write."),
                                     QStringLiteral("FILE.png"));
    const QCommandLineOption latentsOut(QStringLiteral("latents-out"),
                                        QStringLiteral("Also write the final latents (before 1/scaling_factor) as "
                                                       "float32 tensor \"latents\"."),
                                        QStringLiteral("FILE.safetensors"));
    const RunOptions run;
    const LoraOptions loraOptions;
    const RefineOptions refineOptions;
    const IpAdapterOptions ipAdapterOptions;
    parser.addOptions({model, prompt, negative, seed, steps, cfg, sampler, width, height, outFile, latentsOut});
    parser.addOptions(loraOptions.all());
    parser.addOptions(refineOptions.all());
    parser.addOptions(ipAdapterOptions.all());
    parser.addOptions(run.all());
    if (const auto done = parseCommand(parser, args, command,
                                         QStringLiteral("Generate one image with Kolors and write it as a PNG with "
                                                        "its parameters embedded.")))
        return *done;

    for (const QCommandLineOption *required : {&model, &prompt, &outFile})
        if (!parser.isSet(*required))
            return fail(command, QStringLiteral("--%1 is required (see 'storyboard generate --help')")
                                     .arg(required->names().constFirst()));
    GenerationRequest request;
    request.prompt = parser.value(prompt).toStdString();
    request.negativePrompt = parser.value(negative).toStdString();
    request.seed = uint64_t(randomSeed());
    if (parser.isSet(seed)) {
        bool ok = false;
        const qint64 value = parser.value(seed).trimmed().toLongLong(&ok);
        if (!ok || value < 0 || value > kMaxSeed)
            return fail(command, QStringLiteral("--seed \"%1\" is not a whole number in [0, %2]")
                                     .arg(parser.value(seed), QString::number(kMaxSeed)));
        request.seed = uint64_t(value);
    }
    request.sampler = parser.isSet(sampler) ? parser.value(sampler).toStdString() : std::string("euler");
    QString error;
    if (!parseInt(parser, steps, &request.steps, &error) || !parseDouble(parser, cfg, &request.cfg, &error) ||
        !parseInt(parser, width, &request.width, &error) || !parseInt(parser, height, &request.height, &error) ||
        !loraOptions.read(parser, &request.lora, &error))
        return fail(command, error);
    std::optional<bridge::InitImageFile> initImage;
    int batchCount = 1;
    if (!refineOptions.read(parser, &request, &initImage, &batchCount, &error) ||
        !ipAdapterOptions.read(parser, &request.ipAdapter, &error))
        return fail(command, error);
    if (qint64(request.seed) > kMaxSeed - (batchCount - 1))
        return fail(command, QStringLiteral("--seed %1 + --batch-count %2 goes beyond the largest seed %3")
                                 .arg(request.seed)
                                 .arg(batchCount)
                                 .arg(kMaxSeed));
    ModelSettings settings;
    settings.modelDir = parser.value(model).toStdString();
    if (!run.read(parser, &settings, &error))
        return fail(command, error);
    const QString pngPath = parser.value(outFile);
    const QString latentsPath = parser.value(latentsOut);
    if (!checkWritableFile(pngPath, QStringLiteral(".png"), QStringLiteral("--out"), &error) ||
        (parser.isSet(latentsOut) &&
         !checkWritableFile(latentsPath, QStringLiteral(".safetensors"), QStringLiteral("--latents-out"), &error)))
        return fail(command, error);
    if (!QFileInfo(parser.value(model)).isDir())
        return fail(command, QStringLiteral("--model %1 is not a folder").arg(parser.value(model)));

    Generator generator;
    try {
        generator.validate(request); // refuse absurd arguments before loading gigabytes
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    InterruptGuard interrupt;
    request.isCancelled = [] { return interruptRequested(); };
    request.onProgress = progressPrinter(QStringLiteral("generate:"));
    request.keepLatents = parser.isSet(latentsOut);
    try {
        generator.load(settings);
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    // A1111's batch count: image i has seed + i; each file is written as soon as its image is done.
    const uint64_t firstSeed = request.seed;
    for (int index = 0; index < batchCount; ++index) {
        request.seed = firstSeed + uint64_t(index);
        const QString imagePath = batchPath(pngPath, index, batchCount);
        GenerationResult result;
        try {
            result = generator.generate(request);
            if (request.keepLatents)
                Generator::writeLatents(batchPath(latentsPath, index, batchCount).toStdString(), result.latents,
                                        result.latentShape);
        } catch (const EngineError &e) {
            return fail(command, engineMessage(e));
        }
        if (!PngMetadata::writeRgb8(imagePath, result.rgb.data(), result.width, result.height,
                                    qsizetype(result.width) * 3,
                                    generateChunks(result, parser.value(model), initImage, batchCount > 1 ? index : -1),
                                    &error))
            return fail(command, error);
        out(QStringLiteral("wrote %1: %2x%3, seed %4, %5 steps %6, cfg %7, %8 %9%10%11, %12")
                .arg(imagePath, QString::number(result.width), QString::number(result.height),
                     QString::number(result.seed), QString::number(result.steps),
                     QString::fromStdString(result.sampler), A1111Parameters::formatNumber(result.cfg),
                     QString::fromStdString(result.device), QString::fromStdString(result.precision),
                     loraSummary(result), refineSummary(result) + ipAdapterSummary(result),
                     seconds(result.timings.totalMs)));
    }
    return 0;
}

int runBench(const QStringList &args)
{
    if (args.contains(QStringLiteral("--train")))
        return runTrainBench(args);
    const QString command = QStringLiteral("bench");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Kolors model folder."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption random(QStringLiteral("random"),
                                    QStringLiteral("kolors (full size) or tiny: modules with random weights, no "
                                                   "download needed; the image is noise."),
                                    QStringLiteral("WHICH"));
    const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("Width (default 1024; 64 for tiny)."),
                                   QStringLiteral("W"));
    const QCommandLineOption height(QStringLiteral("height"), QStringLiteral("Height (default 1024; 64 for tiny)."),
                                    QStringLiteral("H"));
    const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("Steps (default 25)."), QStringLiteral("N"));
    const QCommandLineOption cfg(QStringLiteral("cfg"), QStringLiteral("Guidance (default 5: two UNet rows per step)."),
                                 QStringLiteral("X"));
    const QCommandLineOption sampler(QStringLiteral("sampler"), QStringLiteral("Sampler (default euler)."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("CPU threads (default: LibTorch's)."),
                                     QStringLiteral("N"));
    const RunOptions run;
    parser.addOptions({model, random, width, height, steps, cfg, sampler, threads});
    parser.addOptions(run.all());
    if (const auto done = parseCommand(parser, args, command,
                                         QStringLiteral("Measure generation speed and memory: median ms per step, "
                                                        "text encoding, VAE decoding, peak RSS and CUDA memory.")))
        return *done;
    if (parser.isSet(model) == parser.isSet(random))
        return fail(command, QStringLiteral("give exactly one of --model DIR and --random kolors|tiny"));
    const QString randomKind = parser.value(random);
    if (parser.isSet(random) && randomKind != QLatin1String("kolors") && randomKind != QLatin1String("tiny"))
        return fail(command, QStringLiteral("--random \"%1\" is not kolors or tiny").arg(randomKind));

    GenerationRequest request;
    request.prompt = "一只戴着红围巾的橘猫坐在雪地里，水彩插画";
    request.negativePrompt = "模糊，低质量";
    request.seed = 1;
    request.width = request.height = randomKind == QLatin1String("tiny") ? 64 : 1024;
    request.sampler = parser.isSet(sampler) ? parser.value(sampler).toStdString() : std::string("euler");
    QString error;
    int threadCount = 0;
    if (!parseInt(parser, width, &request.width, &error) || !parseInt(parser, height, &request.height, &error) ||
        !parseInt(parser, steps, &request.steps, &error) || !parseDouble(parser, cfg, &request.cfg, &error) ||
        !parseInt(parser, threads, &threadCount, &error))
        return fail(command, error);
    ModelSettings settings;
    if (!run.read(parser, &settings, &error))
        return fail(command, error);
    settings.benchmarkTimings = true;
    if (settings.releaseTextEncoder == Switch::Auto)
        settings.releaseTextEncoder = Switch::Off; // keep it: text-encode time must not include reloading it
    Generator::setThreads(threadCount);

    Generator generator;
    InterruptGuard interrupt;
    Generator::startMemorySampling(); // private-memory peaks over loading and both runs
    try {
        generator.validate(request);
        QElapsedTimer loadTimer;
        loadTimer.start();
        if (parser.isSet(random)) {
            generator.loadRandom(randomKind.toStdString(), settings);
        } else {
            settings.modelDir = parser.value(model).toStdString();
            generator.load(settings);
        }
        const qint64 loadMs = loadTimer.elapsed();
        // Warm-up (first-call kernel selection, lazy text-encoder load), then the measured run with new prompts.
        GenerationRequest warmup = request;
        warmup.steps = 1;
        warmup.isCancelled = [] { return interruptRequested(); };
        generator.generate(warmup);
        Generator::resetPeakMemory();
        request.prompt += "，夜晚";
        request.negativePrompt += "，噪点";
        request.isCancelled = warmup.isCancelled;
        request.onProgress = progressPrinter(QStringLiteral("bench:"));
        request.keepLatents = true; // to say whether the run stayed finite
        const GenerationResult r = generator.generate(request);
        const bool finite = std::all_of(r.latents.begin(), r.latents.end(), [](float v) { return std::isfinite(v); });
        const MemoryStats memory = Generator::memoryStats();
        auto mib = [](int64_t bytes) { return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 0) + " MiB"; };
        out(QStringLiteral("model: %1%2")
                .arg(QString::fromStdString(r.model),
                     parser.isSet(random) ? QStringLiteral(" (random weights)") : QString()));
        out(QStringLiteral("device: %1, precision: %2, text encoder quantization: %3, load: %4 ms")
                .arg(QString::fromStdString(r.device), QString::fromStdString(r.precision),
                     QString::fromStdString(r.textEncoderQuant), QString::number(loadMs)));
        out(QStringLiteral("text encoder: %1, unet offload: %2")
                .arg(QString::fromStdString(r.textEncoderDevice),
                     QString::fromLatin1(unetOffloadName(generator.settings().unetOffload))));
        out(QStringLiteral("size: %1x%2, steps: %3, sampler: %4, cfg: %5%6")
                .arg(QString::number(r.width), QString::number(r.height), QString::number(r.steps),
                     QString::fromStdString(r.sampler), A1111Parameters::formatNumber(r.cfg),
                     r.cfgApplied ? QStringLiteral(" (batch 2)") : QStringLiteral(" (batch 1)")));
        out(QStringLiteral("median step: %1 ms").arg(r.timings.medianStepMs(), 0, 'f', 1));
        out(QStringLiteral("text encode: %1 ms").arg(r.timings.textEncodeMs, 0, 'f', 1));
        out(QStringLiteral("vae decode: %1 ms%2")
                .arg(r.timings.vaeDecodeMs, 0, 'f', 1)
                .arg(r.vaeTiled ? QStringLiteral(" (tiled)") : QString()));
        out(QStringLiteral("total: %1 ms").arg(r.timings.totalMs, 0, 'f', 1));
        out(QStringLiteral("final latents finite: %1").arg(finite ? QStringLiteral("yes") : QStringLiteral("no")));
        out(QStringLiteral("peak RSS: %1 (mapped weight pages included)").arg(mib(memory.peakRssBytes)));
        if (memory.peakPrivateBytes >= 0)
            out(QStringLiteral("peak private memory: %1 (sampled every 10 ms)").arg(mib(memory.peakPrivateBytes)));
        for (const MemoryStats::Phase &phase : memory.phases) // of the measured run
            out(QStringLiteral("  %1: peak private %2, peak RSS %3")
                    .arg(QString::fromStdString(phase.name), mib(phase.peakPrivateBytes), mib(phase.peakRssBytes)));
        out(QStringLiteral("CUDA max allocated: %1")
                .arg(memory.cudaMaxAllocatedBytes < 0 ? QStringLiteral("n/a (no CUDA)")
                                                      : mib(memory.cudaMaxAllocatedBytes)));
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    return 0;
}

} // namespace studio::cli
