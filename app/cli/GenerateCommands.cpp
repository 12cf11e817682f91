// `storyboard generate | render | bench`: the Kolors engine on the command line (through the torch-free facade
// engine/api/Generation.h only).
#include "Cli.h"
#include "GenerateOutput.h"
#include "IpAdapterOptions.h"
#include "RefineOptions.h"
#include "RunOptions.h"

#include "bridge/CharacterGeneration.h"
#include "bridge/GenerationParameters.h"
#include "bridge/PanelGeneration.h"
#include "bridge/StoryGenerationRequest.h"

#include "engine/api/Generation.h"
#include "engine/api/Errors.h"
#include "story/A1111Parameters.h"
#include "story/CharacterReference.h"
#include "story/labels/AigcLabel.h"
#include "story/PanelMetadata.h"
#include "story/PanelRender.h"
#include "story/PngMetadata.h"
#include "story/ProjectFile.h"
#include "story/ProjectPaths.h"
#include "story/SeedPolicy.h"
#include "story/StoryRenderPlan.h"
#include "story/StoryValidator.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>

#include <cmath>
#include <cstdio>
#include <optional>

using namespace studio::engine;
using namespace studio::story;

namespace studio::cli {

namespace {

// --lora FILE --lora-scale S, for generate and render.
struct LoraOptions
{
    QCommandLineOption file{QStringLiteral("lora"), QStringLiteral("LoRA file to merge into the UNet (.safetensors "
                                                                   "from kohya/civitai/diffusers, or a DiffSynth "
                                                                   ".ckpt)."),
                            QStringLiteral("FILE")};
    QCommandLineOption scale{QStringLiteral("lora-scale"),
                             QStringLiteral("The LoRA multiplier S (default 1). ") + QString::fromUtf8(kLoraScaleRule),
                             QStringLiteral("S")};
    QList<QCommandLineOption> all() const { return {file, scale}; }

    // Fills `spec` from the options the user gave (keeping its defaults otherwise).
    bool read(const QCommandLineParser &parser, LoraSpec *spec, QString *error) const
    {
        if (parser.isSet(file)) {
            const QString path = parser.value(file);
            if (!QFileInfo(path).isFile()) {
                *error = QStringLiteral("--lora %1 is not a file").arg(path);
                return false;
            }
            spec->path = QFileInfo(path).absoluteFilePath().toStdString();
        }
        if (!parseDouble(parser, scale, &spec->scale, error))
            return false;
        if (parser.isSet(scale) && !spec->enabled()) {
            *error = QStringLiteral("--lora-scale needs a LoRA (--lora FILE)");
            return false;
        }
        return true;
    }
};

} // namespace

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

int runRender(const QStringList &args)
{
    const QString command = QStringLiteral("render");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Kolors model folder (default: the story's model folder)."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption panels(QStringLiteral("panels"),
                                    QStringLiteral("Panels to render, e.g. 1,3,5 (default: all 8)."),
                                    QStringLiteral("LIST"));
    // The story's reference image (Character settings) needs this computer's IP-Adapter files.
    const QCommandLineOption ipAdapter(QStringLiteral("ip-adapter"),
                                       QStringLiteral("Kolors-IP-Adapter-Plus weights (ip_adapter_plus_general.bin "
                                                      "or .safetensors), for a story with a reference image."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption imageEncoder(QStringLiteral("image-encoder"),
                                          QStringLiteral("The IP-Adapter's CLIP image encoder folder."),
                                          QStringLiteral("DIR"));
    const RunOptions run;
    const LoraOptions loraOptions;
    parser.addOptions({model, panels, ipAdapter, imageEncoder});
    parser.addOptions(loraOptions.all());
    parser.addOptions(run.all());
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Render panels of a story with their stored parameters; each "
                                                      "image is added to the project as the panel's chosen variant."),
                                       storyArgument()))
        return *done;

    const QString storyPath = parser.positionalArguments().constFirst();
    QString error;
    std::optional<Project> project = ProjectFile::load(storyPath, &error);
    if (!project)
        return fail(command, error);
    const QString projectDir = QFileInfo(storyPath).absolutePath();

    QVector<int> selected;
    if (parser.isSet(panels)) {
        for (const QString &part : parser.value(panels).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int n = part.trimmed().toInt(&ok);
            if (!ok || n < 1 || n > kPanelCount)
                return fail(command, QStringLiteral("--panels: \"%1\" is not a panel number from 1 to %2")
                                         .arg(part.trimmed(), QString::number(kPanelCount)));
            if (!selected.contains(n - 1))
                selected.append(n - 1);
        }
        if (selected.isEmpty())
            return fail(command, QStringLiteral("--panels names no panel"));
    } else {
        for (int i = 0; i < kPanelCount; ++i)
            selected.append(i);
    }

    ModelSettings settings;
    const QString modelDir = parser.isSet(model) ? parser.value(model) : project->modelFolder;
    if (modelDir.isEmpty())
        return fail(command, QStringLiteral("the story names no model folder; give --model DIR"));
    if (!QFileInfo(modelDir).isDir())
        return fail(command, QStringLiteral("model folder %1 does not exist").arg(modelDir));
    settings.modelDir = modelDir.toStdString();
    if (!run.read(parser, &settings, &error))
        return fail(command, error);
    // The story's LoRA unless --lora names another; --lora-scale overrides the story's multiplier either way.
    LoraSpec lora;
    if (!project->lora.path.isEmpty() && !parser.isSet(loraOptions.file)) {
        const QString path = StoryValidator::loraPath(*project, projectDir, &error);
        if (path.isEmpty())
            return fail(command, QStringLiteral("the story's LoRA %1: %2").arg(project->lora.path, error));
        lora = LoraSpec{path.toStdString(), project->lora.scale};
    }
    if (!loraOptions.read(parser, &lora, &error))
        return fail(command, error);
    // The story's character settings: its reference image (with --ip-adapter/--image-encoder) and, with consistent
    // characters on, one story job (StoryRenderPlan: the rule the studio follows too).
    const std::optional<IpAdapterFiles> ipFiles = CharacterReference::files(
        *project, projectDir, parser.value(ipAdapter), parser.value(imageEncoder), &error);
    if (!ipFiles)
        return fail(command, QStringLiteral("%1 (give --ip-adapter FILE --image-encoder DIR)").arg(error));
    const std::optional<StoryRenderPlan> plan = StoryRenderPlan::make(*project, selected, &error);
    if (!plan)
        return fail(command, error);

    Generator generator;
    // Writes one finished panel into the project as its chosen variant and saves the story (an interrupted render
    // keeps the panels already done): the render flow the studio uses too (story::PanelRender). False with *why.
    int rendered = 0;
    auto writePanel = [&](int index, const GenerationResult &result, const CharacterUse &use, QString *why) {
        const qint64 seed = qint64(result.seed);
        const std::optional<PanelVariant> variant = PanelRender::writeImage(
            *project, projectDir, index, PanelRender::relativePathFor(index, seed, QDateTime::currentDateTimeUtc()),
            bridge::renderedImage(result), bridge::renderedParameters(result, use, modelDir), seed,
            /*aigcLabel=*/true, why);
        if (!variant)
            return false;
        PanelRender::addChosenVariant(*project, index, *variant);
        const QString &relative = variant->path;
        if (!ProjectFile::save(*project, storyPath, why))
            return false;
        ++rendered;
        out(QStringLiteral("panel %1: %2 (%3x%4, seed %5%6%7, %8)")
                .arg(QString::number(index + 1), relative, QString::number(result.width),
                     QString::number(result.height), QString::number(result.seed),
                     refineSummary(result) + loraSummary(result), // the panel's hires fix, the story's LoRA
                     use.consistent ? (use.isIdentityPanel() ? QStringLiteral(", identity panel")
                                                             : QStringLiteral(", consistent with panels 1-%1")
                                                                   .arg(use.identityPanels))
                                    : QString(),
                     seconds(result.timings.totalMs)));
        return true;
    };

    if (plan->consistent) {
        // One story job: the identity panels first (as one batch), then the others, in lockstep.
        for (int index : std::as_const(plan->skipped))
            out(QStringLiteral("panel %1: no prompt, skipped").arg(index + 1));
        if (plan->requested.isEmpty())
            return fail(command, QStringLiteral("no panel asked for has a prompt"));
        if (!plan->rerunIdentity.isEmpty())
            out(QStringLiteral("identity panels %1 run again first (their images stay as they are)")
                    .arg(StoryRenderPlan::panelList(plan->rerunIdentity)));
        if (!plan->overridden.isEmpty())
            out(QStringLiteral("panels %1 render with panel 1's steps, CFG, sampler, size, negative prompt and seed + "
                               "panel number (consistent characters render the story as one)")
                    .arg(StoryRenderPlan::panelList(plan->overridden)));
        GenerationRequest base;
        base.lora = lora;
        StoryRequest request;
        try {
            bridge::applyIpAdapter(*ipFiles, &base);
            request = bridge::storyRequest(*plan, base);
            generator.validate(request);
            generator.load(settings);
        } catch (const EngineError &e) {
            return fail(command, engineMessage(e));
        }
        InterruptGuard interrupt;
        request.base.isCancelled = [] { return interruptRequested(); };
        request.base.onProgress = progressPrinter(QStringLiteral("story:"));
        QString writeError;
        request.onPanelDone = [&](int index, const GenerationResult &result) {
            if (!plan->requested.contains(index) || !writeError.isEmpty())
                return; // an identity panel that ran again only because a later panel needs it
            writePanel(index, result, bridge::storyPanelUse(result, *plan, *ipFiles), &writeError);
        };
        try {
            generator.generateStory(request);
        } catch (const EngineError &e) {
            return fail(command, engineMessage(e));
        }
        if (!writeError.isEmpty())
            return fail(command, writeError);
        out(QStringLiteral("rendered %1 panel(s) into %2").arg(rendered).arg(storyPath));
        return 0;
    }

    // Check every selected panel before loading the model, so a bad panel fails fast.
    std::vector<GenerationRequest> requests(kPanelCount);
    for (int index : selected) {
        GenerationRequest &r = requests[size_t(index)];
        r = bridge::panelRequest(PanelRender::settingsFor(*project, index)); // as the studio asks
        r.lora = lora;
        try {
            bridge::applyIpAdapter(*ipFiles, &r);
            generator.validate(r);
        } catch (const EngineError &e) {
            return fail(command, QStringLiteral("panel %1: %2").arg(index + 1).arg(engineMessage(e)));
        }
    }
    try {
        generator.load(settings);
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }

    InterruptGuard interrupt;
    for (int index : selected) {
        GenerationRequest &r = requests[size_t(index)];
        if (r.prompt.empty()) {
            out(QStringLiteral("panel %1: no prompt, skipped").arg(index + 1));
            continue;
        }
        r.isCancelled = [] { return interruptRequested(); };
        r.onProgress = progressPrinter(QStringLiteral("panel %1:").arg(index + 1));
        GenerationResult result;
        try {
            result = generator.generate(r);
        } catch (const EngineError &e) {
            return fail(command, QStringLiteral("panel %1: %2").arg(index + 1).arg(engineMessage(e)));
        }
        if (!writePanel(index, result, bridge::ipAdapterUse(result, *ipFiles), &error))
            return fail(command, error);
    }
    out(QStringLiteral("rendered %1 panel(s) into %2").arg(rendered).arg(storyPath));
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
        const GenerationResult r = generator.generate(request);
        const MemoryStats memory = Generator::memoryStats();
        auto mib = [](int64_t bytes) { return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 0) + " MiB"; };
        out(QStringLiteral("model: %1%2")
                .arg(QString::fromStdString(r.model),
                     parser.isSet(random) ? QStringLiteral(" (random weights)") : QString()));
        out(QStringLiteral("device: %1, precision: %2, load: %3 ms")
                .arg(QString::fromStdString(r.device), QString::fromStdString(r.precision), QString::number(loadMs)));
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
        out(QStringLiteral("peak RSS: %1").arg(mib(memory.peakRssBytes)));
        out(QStringLiteral("CUDA max allocated: %1")
                .arg(memory.cudaMaxAllocatedBytes < 0 ? QStringLiteral("n/a (no CUDA)")
                                                      : mib(memory.cudaMaxAllocatedBytes)));
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    return 0;
}

} // namespace studio::cli
