// `storyboard render STORY`: a story's panels rendered with their stored parameters into the project, through
// the render flow the studio uses too (story::PanelRender, bridge::PanelGeneration), and with the story's
// character settings (StoryRenderPlan) as the studio's Render All follows them.
#include "Cli.h"
#include "GenerateOutput.h"
#include "LoraOptions.h"
#include "RunOptions.h"

#include "bridge/CharacterGeneration.h"
#include "bridge/PanelGeneration.h"
#include "bridge/StoryGenerationRequest.h"

#include "engine/api/Errors.h"
#include "engine/api/Generation.h"
#include "engine/api/StoryGeneration.h"
#include "story/CharacterReference.h"
#include "story/PanelRender.h"
#include "story/ProjectFile.h"
#include "story/StoryRenderPlan.h"
#include "story/StoryValidator.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>

#include <optional>
#include <vector>

using namespace studio::engine;
using namespace studio::story;

namespace studio::cli {

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

} // namespace studio::cli
