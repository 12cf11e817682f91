// `storyboard train-lora` and `storyboard bench --train`: Kolors LoRA training on the command line, through the
// torch-free facade engine/api/Training.h (the studio's Train LoRA page drives the same calls).
#include "Cli.h"

#include "engine/api/Training.h"
#include "engine/api/Errors.h"
#include "story/PngMetadata.h"
#include "story/labels/AigcLabel.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <cstdio>

using namespace studio::engine;

namespace studio::cli {
namespace {

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

// One line per step on a terminal (overwritten in place); in logs one line per 5 % of the run.
std::function<void(const TrainingProgress &)> progressPrinter()
{
    const bool terminal = stderrIsTerminal();
    return [terminal](const TrainingProgress &p) {
        const int every = std::max(1, p.totalSteps / 20);
        if (!terminal && p.step % every != 0 && p.step != p.totalSteps)
            return;
        std::fprintf(stderr, "%sstep %d/%d  loss %.4f  smoothed %.4f  %.2f it/s  %s left%s", terminal ? "\r" : "",
                     p.step, p.totalSteps, p.loss, p.smoothedLoss, p.itPerSec,
                     qUtf8Printable(duration(p.etaSeconds)), terminal ? "   " : "\n");
        if (terminal && p.step == p.totalSteps)
            std::fputc('\n', stderr);
        std::fflush(stderr);
    };
}

bool parseSwitch(const QCommandLineParser &parser, const QCommandLineOption &option, Switch *value, QString *error)
{
    if (!parser.isSet(option))
        return true;
    const QString text = parser.value(option);
    if (text == QLatin1String("on"))
        *value = Switch::On;
    else if (text == QLatin1String("off"))
        *value = Switch::Off;
    else if (text == QLatin1String("auto"))
        *value = Switch::Auto;
    else {
        *error = QStringLiteral("--%1 \"%2\" is not auto, on or off").arg(option.names().constFirst(), text);
        return false;
    }
    return true;
}

bool parseDevicePrecision(const QCommandLineParser &parser, const QCommandLineOption &device,
                          const QCommandLineOption &precision, ComputeDevice *d, TrainingPrecision *p, QString *error)
{
    if (parser.isSet(device) && !parseComputeDevice(parser.value(device).toStdString(), d)) {
        *error = QStringLiteral("--device \"%1\" is not auto, cpu or cuda").arg(parser.value(device));
        return false;
    }
    if (parser.isSet(precision) && !parseTrainingPrecision(parser.value(precision).toStdString(), p)) {
        *error = QStringLiteral("--precision \"%1\" is not auto, fp32, fp16 or bf16").arg(parser.value(precision));
        return false;
    }
    return true;
}

QCommandLineOption valueOption(const char *name, const QString &help, const char *valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), help, QString::fromLatin1(valueName));
}

QString mib(int64_t bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 0) + QStringLiteral(" MiB");
}

} // namespace

int runTrainLora(const QStringList &args)
{
    const QString command = QStringLiteral("train-lora");
    QCommandLineParser parser;
    const TrainingOptions defaults;
    const auto model = valueOption("model", QStringLiteral("Kolors model folder (tokenizer, text_encoder, unet, vae, "
                                                           "scheduler)."), "DIR");
    const auto data = valueOption("data", QStringLiteral("Data folder: DIR/train/metadata.csv or DIR/metadata.csv "
                                                         "(columns file_name, text) and the images."), "DIR");
    const auto outFile = valueOption("out", QStringLiteral("The trained LoRA (.ckpt for diffsynth, .safetensors for "
                                                           "kohya). Its training facts go to FILE.training.json."),
                                     "FILE");
    const auto format = valueOption("format", QStringLiteral("diffsynth (default, DiffSynth-Studio .ckpt) or kohya "
                                                             "(.safetensors with alpha)."), "F");
    const auto rank = valueOption("rank", QStringLiteral("LoRA rank (default 16)."), "R");
    const auto alpha = valueOption("alpha", QStringLiteral("LoRA alpha; the training scale is alpha/rank (default 4)."),
                                   "A");
    const auto steps = valueOption("steps", QStringLiteral("Optimizer steps, batch 1 (default 500; with --resume the "
                                                           "total)."), "N");
    const auto lr = valueOption("lr", QStringLiteral("AdamW learning rate (default 1e-4)."), "LR");
    const auto seed = valueOption("seed", QStringLiteral("Seed of the training generator (default 0)."), "S");
    const auto resolution = valueOption("resolution", QStringLiteral("Square training size, a multiple of 8 (default "
                                                                     "1024): shorter side resized, centre crop."), "N");
    const auto init = valueOption("init", QStringLiteral("Start from this DiffSynth .ckpt LoRA (same rank)."), "FILE");
    const auto device = valueOption("device", QStringLiteral("auto, cpu or cuda (default auto)."), "D");
    const auto precision = valueOption("precision", QStringLiteral("auto, fp32, fp16 or bf16 (default auto: fp16 mixed "
                                                                   "precision on CUDA, fp32 on the CPU)."), "P");
    const auto trace = valueOption("trace", QStringLiteral("Write loss/timesteps/indices per step to this "
                                                           ".safetensors file."), "FILE");
    const auto saveEvery = valueOption("save-every", QStringLiteral("Every N steps write OUT-stepK and the resume "
                                                                    "state OUT.resume.safetensors (default 0: never)."),
                                       "N");
    const auto resume = valueOption("resume", QStringLiteral("Continue from a .resume.safetensors state (same data "
                                                             "and settings; --steps is the total)."), "FILE");
    const auto sampleEvery = valueOption("sample-every", QStringLiteral("Every N steps render --sample-prompt with "
                                                                        "the LoRA so far to OUT-sample-stepK.png."),
                                         "N");
    const auto samplePrompt = valueOption("sample-prompt", QStringLiteral("The preview prompt."), "TEXT");
    const auto sampleSteps = valueOption("sample-steps", QStringLiteral("Preview sampler steps (default 20)."), "N");
    const auto sampleSize = valueOption("sample-size", QStringLiteral("Preview size (default: --resolution)."), "N");
    const auto checkpointing =
        valueOption("gradient-checkpointing", QStringLiteral("auto, on or off: re-run UNet blocks in backward to save "
                                                             "memory (default auto: on for CUDA)."), "MODE");
    const auto threads = valueOption("threads", QStringLiteral("CPU threads (default: LibTorch's)."), "N");
    const auto preparation = valueOption("data-preparation", QStringLiteral("Text recorded in the training facts: "
                                                                            "how the data was prepared."), "TEXT");
    parser.addOptions({model, data, outFile, format, rank, alpha, steps, lr, seed, resolution, init, device, precision,
                       trace, saveEvery, resume, sampleEvery, samplePrompt, sampleSteps, sampleSize, checkpointing,
                       threads, preparation});
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Train a Kolors LoRA (to_q/to_k/to_v/to_out of every attention) "
                                                      "the way the challenge baseline (DiffSynth-Studio) does: "
                                                      "epsilon-MSE, AdamW, captions and latents encoded once. Ctrl+C "
                                                      "stops after the current step and keeps a checkpoint.")))
        return *done;
    for (const QCommandLineOption *required : {&model, &data, &outFile})
        if (!parser.isSet(*required) || parser.value(*required).isEmpty())
            return fail(command, QStringLiteral("--%1 is required").arg(required->names().constFirst()));

    TrainingOptions options;
    options.modelDir = parser.value(model).toStdString();
    options.dataDir = parser.value(data).toStdString();
    options.outputPath = parser.value(outFile).toStdString();
    options.initLora = parser.value(init).toStdString();
    options.resumeFrom = parser.value(resume).toStdString();
    options.tracePath = parser.value(trace).toStdString();
    options.samplePrompt = parser.value(samplePrompt).toStdString();
    options.dataPreparation = parser.value(preparation).toStdString();
    QString error;
    if (parser.isSet(format) && !parseLoraFileFormat(parser.value(format).toStdString(), &options.format))
        return fail(command, QStringLiteral("--format \"%1\" is not diffsynth or kohya").arg(parser.value(format)));
    if (!parseInt(parser, rank, &options.rank, &error) || !parseDouble(parser, alpha, &options.alpha, &error) ||
        !parseInt(parser, steps, &options.steps, &error) || !parseDouble(parser, lr, &options.learningRate, &error) ||
        !parseInt(parser, resolution, &options.resolution, &error) ||
        !parseInt(parser, saveEvery, &options.saveEvery, &error) ||
        !parseInt(parser, sampleEvery, &options.sampleEvery, &error) ||
        !parseInt(parser, sampleSteps, &options.sampleSteps, &error) ||
        !parseInt(parser, sampleSize, &options.sampleSize, &error) || !parseInt(parser, threads, &options.threads, &error) ||
        !parseSwitch(parser, checkpointing, &options.gradientCheckpointing, &error) ||
        !parseDevicePrecision(parser, device, precision, &options.device, &options.precision, &error))
        return fail(command, error);
    if (parser.isSet(seed)) {
        bool ok = false;
        options.seed = parser.value(seed).trimmed().toULongLong(&ok);
        if (!ok)
            return fail(command, QStringLiteral("--seed \"%1\" is not a whole number >= 0").arg(parser.value(seed)));
        options.sampleSeed = options.seed;
    }

    const QFileInfo outInfo(parser.value(outFile));
    TrainingCallbacks callbacks;
    callbacks.onProgress = progressPrinter();
    callbacks.isCancelled = [] { return interruptRequested(); };
    if (stderrIsTerminal())
        callbacks.onStage = [](const std::string &stage) {
            if (stage != "training" && stage != "sampling")
                std::fprintf(stderr, "train-lora: %s\n", stage.c_str());
        };
    callbacks.onCheckpoint = [](int step, const std::string &lora, const std::string &state) {
        std::fprintf(stderr, "\ntrain-lora: checkpoint at step %d: %s%s%s\n", step, lora.c_str(),
                     lora.empty() ? "" : ", ", state.c_str());
    };
    QString sampleError;
    callbacks.onSample = [&](const TrainingSample &sample) {
        const QString path = QDir(outInfo.absolutePath())
                                 .filePath(QStringLiteral("%1-sample-step%2.png")
                                               .arg(outInfo.completeBaseName())
                                               .arg(sample.step, 6, 10, QLatin1Char('0')));
        // A preview is a generated image: it carries the implicit AI label like every PNG the project writes.
        if (!studio::story::PngMetadata::writeRgb8(path, sample.rgb.data(), sample.width, sample.height,
                                                   qsizetype(sample.width) * 3,
                                                   {studio::story::AigcLabel::generated().pngChunk()}, &sampleError))
            std::fprintf(stderr, "\ntrain-lora: cannot write %s: %s\n", qUtf8Printable(path),
                         qUtf8Printable(sampleError));
        else
            std::fprintf(stderr, "\ntrain-lora: preview %s\n", qUtf8Printable(path));
    };
    InterruptGuard interrupt;
    try {
        validateTraining(options);
        const TrainingResult result = trainLora(options, callbacks);
        if (result.cancelled) {
            if (result.loraPath.empty())
                return fail(command, QStringLiteral("stopped before any step was trained; nothing was written"));
            std::fprintf(stderr, "train-lora: stopped at step %d; LoRA so far: %s; continue with --resume %s\n",
                         result.stepsDone, result.loraPath.c_str(), result.statePath.c_str());
            return 130;
        }
        out(QStringLiteral("wrote %1 (%2 steps, final smoothed loss %3, %4 s/step, peak RSS %5); facts in %6")
                .arg(QString::fromStdString(result.loraPath))
                .arg(result.stepsDone)
                .arg(result.finalSmoothedLoss, 0, 'f', 4)
                .arg(result.secondsPerStep, 0, 'f', 3)
                .arg(mib(result.peakRssBytes), QString::fromStdString(result.factsPath)));
        return 0;
    } catch (const EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
}

int runTrainBench(const QStringList &args)
{
    const QString command = QStringLiteral("bench --train");
    QCommandLineParser parser;
    const QCommandLineOption trainFlag(QStringLiteral("train"), QStringLiteral("Measure LoRA training steps."));
    const auto random = valueOption("random", QStringLiteral("tiny (fixture size, default), mid (Kolors' structure "
                                                             "at a quarter of its widths) or kolors (full size); "
                                                             "random weights."), "WHICH");
    const auto resolution = valueOption("resolution", QStringLiteral("Training size (default 64)."), "N");
    const auto rank = valueOption("rank", QStringLiteral("LoRA rank (default 16)."), "R");
    const auto steps = valueOption("steps", QStringLiteral("Timed steps after one warm-up step (default 3)."), "N");
    const auto device = valueOption("device", QStringLiteral("auto, cpu or cuda (default cpu)."), "D");
    const auto precision = valueOption("precision", QStringLiteral("auto, fp32, fp16 or bf16."), "P");
    const auto checkpointing = valueOption("gradient-checkpointing", QStringLiteral("auto, on or off."), "MODE");
    const auto threads = valueOption("threads", QStringLiteral("CPU threads (default: LibTorch's)."), "N");
    parser.addOptions({trainFlag, random, resolution, rank, steps, device, precision, checkpointing, threads});
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Measure LoRA training: seconds per step (forward, backward, "
                                                      "AdamW) and peak memory, on a random-weight UNet.")))
        return *done;
    TrainingBenchRequest request;
    if (parser.isSet(random))
        request.model = parser.value(random).toStdString();
    QString error;
    int threadCount = 0;
    if (!parseInt(parser, resolution, &request.resolution, &error) || !parseInt(parser, rank, &request.rank, &error) ||
        !parseInt(parser, steps, &request.steps, &error) || !parseInt(parser, threads, &threadCount, &error) ||
        !parseSwitch(parser, checkpointing, &request.gradientCheckpointing, &error) ||
        !parseDevicePrecision(parser, device, precision, &request.device, &request.precision, &error))
        return fail(command, error);
    Generator::setThreads(threadCount);
    try {
        const TrainingBenchResult r = benchmarkTraining(request);
        out(QStringLiteral("train bench: model %1 (UNet %2 M parameters), LoRA rank %3 (%4 parameters), %5x%5, "
                           "%6 %7, gradient checkpointing %8")
                .arg(QString::fromStdString(r.model))
                .arg(double(r.unetParameters) / 1e6, 0, 'f', 1)
                .arg(request.rank)
                .arg(r.loraParameters)
                .arg(request.resolution)
                .arg(QString::fromStdString(r.device), QString::fromStdString(r.precision),
                     r.gradientCheckpointing ? QStringLiteral("on") : QStringLiteral("off")));
        out(QStringLiteral("seconds per step: %1").arg(r.secondsPerStep, 0, 'f', 3));
        out(QStringLiteral("peak RSS: %1").arg(mib(r.peakRssBytes)));
        if (r.cudaPeakBytes >= 0)
            out(QStringLiteral("peak CUDA allocated: %1").arg(mib(r.cudaPeakBytes)));
        return 0;
    } catch (const EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
}

} // namespace studio::cli
