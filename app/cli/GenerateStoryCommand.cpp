// `storyboard generate-story`: a story's panels from a prompts file, with consistent self-attention across them
// (the contract: golden/consistency-tiny/README.md part A), through the torch-free facade
// engine/api/StoryGeneration.h only.
#include "Cli.h"
#include "GenerateOutput.h"
#include "IpAdapterOptions.h"
#include "RunOptions.h"

#include "engine/api/StoryGeneration.h"
#include "story/A1111Parameters.h"
#include "story/Project.h"
#include "story/SeedPolicy.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <algorithm>
#include <optional>

using namespace studio::engine;
using namespace studio::story;

namespace studio::cli {

namespace {

constexpr qint64 kMaxPromptsFileSize = 1024 * 1024;

// One prompt per line: split on '\n', drop one trailing '\r' per line, skip empty lines, nothing else trimmed.
std::optional<std::vector<std::string>> readStoryPrompts(const QString &path, QString *error)
{
    QFile file(path);
    if (!QFileInfo(path).isFile()) {
        *error = QStringLiteral("--prompts %1 is not a file").arg(path);
        return std::nullopt;
    }
    if (file.size() > kMaxPromptsFileSize) {
        *error = QStringLiteral("--prompts %1 is larger than %2 bytes").arg(path).arg(kMaxPromptsFileSize);
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--prompts %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8(bytes);
    if (utf8.hasError()) {
        *error = QStringLiteral("--prompts %1 is not UTF-8 text").arg(path);
        return std::nullopt;
    }
    std::vector<std::string> prompts;
    for (QString line : text.split(QLatin1Char('\n'))) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (!line.isEmpty())
            prompts.push_back(line.toStdString());
    }
    if (prompts.empty()) {
        *error = QStringLiteral("--prompts %1 holds no prompt (one per line)").arg(path);
        return std::nullopt;
    }
    return prompts;
}

// "1,3,5" → {0, 2, 4}, each within 1..panels.
bool parsePanelList(const QString &text, int panels, std::vector<int> *out, QString *error)
{
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > panels) {
            *error = QStringLiteral("--panels: \"%1\" is not a panel number from 1 to %2").arg(part.trimmed()).arg(panels);
            return false;
        }
        if (std::find(out->begin(), out->end(), n - 1) == out->end())
            out->push_back(n - 1);
    }
    if (out->empty()) {
        *error = QStringLiteral("--panels names no panel");
        return false;
    }
    std::sort(out->begin(), out->end());
    return true;
}

// Creates `path` (and its parents) when missing; *error names `option`.
bool makeFolder(const QString &path, const QString &option, QString *error)
{
    if (QFileInfo(path).isDir() || QDir().mkpath(path))
        return true;
    *error = QStringLiteral("%1 %2: cannot create the folder").arg(option, path);
    return false;
}

QString panelFile(const QString &folder, int panel, const QString &suffix)
{
    return QDir(folder).filePath(QStringLiteral("panel-%1%2").arg(panel + 1, 2, 10, QLatin1Char('0')).arg(suffix));
}

} // namespace

int runGenerateStory(const QStringList &args)
{
    const QString command = QStringLiteral("generate-story");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Kolors model folder (required)."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption promptsFile(
        QStringLiteral("prompts"),
        QStringLiteral("UTF-8 text file, one panel prompt per line (empty lines skipped; required)."),
        QStringLiteral("FILE"));
    const QCommandLineOption negative(QStringLiteral("negative"), QStringLiteral("Negative prompt of every panel."),
                                      QStringLiteral("TEXT"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of panel 1; panel i uses seed + i - 1 (default: random)."),
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
    const QCommandLineOption identityPanels(
        QStringLiteral("identity-panels"),
        QStringLiteral("K: the first K panels are denoised together and share their look with every other panel; "
                       "1 <= K <= panels (default 2, or 1 for a one-panel story)."),
        QStringLiteral("K"));
    const QCommandLineOption consistency(
        QStringLiteral("consistency"),
        QStringLiteral("P in [0, 1]: share of the identity panels' tokens each step (default 0.5; 0 = independent "
                       "panels)."),
        QStringLiteral("P"));
    const QCommandLineOption consistencyStart(
        QStringLiteral("consistency-start"),
        QStringLiteral("S: the first S steps use plain self-attention (default 5)."), QStringLiteral("S"));
    const QCommandLineOption panels(QStringLiteral("panels"),
                                    QStringLiteral("Panels to render, e.g. 3,5 (default: all); the identity panels "
                                                   "always render."),
                                    QStringLiteral("LIST"));
    const QCommandLineOption outDir(QStringLiteral("out-dir"),
                                    QStringLiteral("Folder for panel-01.png, panel-02.png, ... (created; required)."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption latentsOutDir(
        QStringLiteral("latents-out-dir"),
        QStringLiteral("Also write each panel's final latents (before 1/scaling_factor) as panel-NN.safetensors, "
                       "float32 tensor \"latents\" (folder created)."),
        QStringLiteral("DIR"));
    const RunOptions run;
    const IpAdapterOptions ipAdapterOptions; // a reference image for every panel, as in `generate`
    parser.addOptions({model, promptsFile, negative, seed, steps, cfg, sampler, width, height, identityPanels,
                       consistency, consistencyStart, panels, outDir, latentsOutDir});
    parser.addOptions(ipAdapterOptions.all());
    parser.addOptions(run.all());
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Generate a story's panels with Kolors, one prompt per line, "
                                                      "keeping the character consistent: the first K panels share "
                                                      "self-attention tokens with every panel.")))
        return *done;

    for (const QCommandLineOption *required : {&model, &promptsFile, &outDir})
        if (!parser.isSet(*required))
            return fail(command, QStringLiteral("--%1 is required (see 'storyboard generate-story --help')")
                                     .arg(required->names().constFirst()));
    QString error;
    const auto prompts = readStoryPrompts(parser.value(promptsFile), &error);
    if (!prompts)
        return fail(command, error);
    const int n = int(prompts->size());

    StoryRequest request;
    request.prompts = *prompts;
    GenerationRequest &base = request.base;
    base.negativePrompt = parser.value(negative).toStdString();
    base.seed = uint64_t(randomSeed());
    if (parser.isSet(seed)) {
        bool ok = false;
        const qint64 value = parser.value(seed).trimmed().toLongLong(&ok);
        if (!ok || value < 0 || value > kMaxSeed)
            return fail(command, QStringLiteral("--seed \"%1\" is not a whole number in [0, %2]")
                                     .arg(parser.value(seed), QString::number(kMaxSeed)));
        base.seed = uint64_t(value);
    }
    if (qint64(base.seed) > kMaxSeed - (n - 1))
        return fail(command, QStringLiteral("--seed %1 + %2 panels goes beyond the largest seed %3")
                                 .arg(base.seed)
                                 .arg(n)
                                 .arg(kMaxSeed));
    base.sampler = parser.isSet(sampler) ? parser.value(sampler).toStdString() : std::string("euler");
    ConsistencySettings &settings = request.consistency;
    settings.enabled = true;
    settings.identityPanels = std::min(settings.identityPanels, n);
    if (!parseInt(parser, steps, &base.steps, &error) || !parseDouble(parser, cfg, &base.cfg, &error) ||
        !parseInt(parser, width, &base.width, &error) || !parseInt(parser, height, &base.height, &error) ||
        !parseInt(parser, identityPanels, &settings.identityPanels, &error) ||
        !parseDouble(parser, consistency, &settings.strength, &error) ||
        !parseInt(parser, consistencyStart, &settings.start, &error) ||
        !ipAdapterOptions.read(parser, &base.ipAdapter, &error))
        return fail(command, error);
    if (settings.identityPanels < 1 || settings.identityPanels > n)
        return fail(command, QStringLiteral("--identity-panels %1 must be between 1 and the number of panels (%2)")
                                 .arg(settings.identityPanels)
                                 .arg(n));
    if (!(settings.strength >= 0.0 && settings.strength <= 1.0))
        return fail(command, QStringLiteral("--consistency %1 must be between 0 and 1").arg(parser.value(consistency)));
    if (settings.start < 0)
        return fail(command, QStringLiteral("--consistency-start %1 must not be negative").arg(settings.start));
    if (parser.isSet(panels) && !parsePanelList(parser.value(panels), n, &request.panelsToRender, &error))
        return fail(command, error);
    ModelSettings modelSettings;
    modelSettings.modelDir = parser.value(model).toStdString();
    if (!run.read(parser, &modelSettings, &error))
        return fail(command, error);
    if (!QFileInfo(parser.value(model)).isDir())
        return fail(command, QStringLiteral("--model %1 is not a folder").arg(parser.value(model)));

    Generator generator;
    try {
        generator.validate(request); // refuse absurd arguments before loading gigabytes
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    const QString pngFolder = parser.value(outDir);
    const QString latentsFolder = parser.value(latentsOutDir);
    if (!makeFolder(pngFolder, QStringLiteral("--out-dir"), &error) ||
        (parser.isSet(latentsOutDir) && !makeFolder(latentsFolder, QStringLiteral("--latents-out-dir"), &error)))
        return fail(command, error);
    try {
        generator.load(modelSettings);
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }

    InterruptGuard interrupt;
    base.isCancelled = [] { return interruptRequested(); };
    base.onProgress = progressPrinter(QStringLiteral("generate-story:"));
    base.keepLatents = parser.isSet(latentsOutDir);
    // Each panel's files are written as soon as it is decoded; a failure stops the story there.
    QString writeError;
    request.onPanelDone = [&](int panel, const GenerationResult &result) {
        if (!writeError.isEmpty())
            return;
        const QString png = panelFile(pngFolder, panel, QStringLiteral(".png"));
        if (base.keepLatents) {
            try {
                Generator::writeLatents(panelFile(latentsFolder, panel, QStringLiteral(".safetensors")).toStdString(),
                                        result.latents, result.latentShape);
            } catch (const EngineError &e) {
                writeError = engineMessage(e);
                return;
            }
        }
        if (!PngMetadata::writeRgb8(png, result.rgb.data(), result.width, result.height,
                                    qsizetype(result.width) * 3,
                                    generateChunks(result, parser.value(model), std::nullopt, -1), &writeError))
            return;
        out(QStringLiteral("wrote %1: %2x%3, seed %4, %5 panel, %6 steps %7, cfg %8, %9 %10%11")
                .arg(png, QString::number(result.width), QString::number(result.height),
                     QString::number(result.seed),
                     result.consistency.identity ? QStringLiteral("identity") : QStringLiteral("later"),
                     QString::number(result.steps), QString::fromStdString(result.sampler),
                     A1111Parameters::formatNumber(result.cfg), QString::fromStdString(result.device),
                     QString::fromStdString(result.precision), loraSummary(result)));
    };
    std::vector<GenerationResult> results;
    try {
        results = generator.generateStory(request);
    } catch (const EngineError &e) {
        return fail(command, engineMessage(e));
    }
    if (!writeError.isEmpty())
        return fail(command, writeError);
    if (!results.empty())
        out(QStringLiteral("story: %1 panels, %2 identity, consistency %3 from step %4, shared tokens kept %5 KiB at "
                           "most, %6")
                .arg(results.size())
                .arg(settings.identityPanels)
                .arg(A1111Parameters::formatNumber(settings.strength))
                .arg(settings.start)
                .arg(QString::number(double(results.back().consistency.sharedTokenBytes) / 1024.0, 'f', 1))
                .arg(seconds(results.back().timings.totalMs)));
    return 0;
}

} // namespace studio::cli
