// `storyboard inspect-lora`: the facts of a LoRA file as JSON (through the torch-free facade engine/api/LoraApi.h).
#include "Cli.h"

#include "engine/api/LoraApi.h"
#include "engine/api/Errors.h"

#include <QCommandLineParser>

#include <cmath>
#include <exception>

namespace studio::cli {

int runInspectLora(const QStringList &args)
{
    const QString command = QStringLiteral("inspect-lora");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reads a Kolors UNet LoRA (DiffSynth-Studio .ckpt, kohya/civitai .safetensors or diffusers/peft "
                       "names) and prints JSON: format, rank, alpha, the effective scale for --lora-scale, target "
                       "modules, layer and tensor counts, SHA-256 and file size. A file with anything that is not a "
                       "complete UNet LoRA pair is refused, naming every offending tensor.\n\nScale rule: ") +
        QString::fromUtf8(studio::engine::kLoraScaleRule));
    const QCommandLineOption scale(QStringLiteral("lora-scale"),
                                   QStringLiteral("Your multiplier S for the effective scale (default 1)."),
                                   QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Kolors model folder (or its unet folder): also map every layer onto "
                                                  "that UNet's weights and check their shapes."),
                                   QStringLiteral("DIR"));
    parser.addOptions({scale, model});
    if (const auto done = parseCommand(parser, args, command, parser.applicationDescription(),
                                       Positional{QStringLiteral("FILE"), QStringLiteral("the LoRA file")}))
        return *done;
    const QStringList files = parser.positionalArguments();
    double multiplier = 1.0;
    QString error;
    if (!parseDouble(parser, scale, &multiplier, &error))
        return fail(command, error);
    if (parser.isSet(model) && parser.value(model).isEmpty())
        return fail(command, QStringLiteral("--model is empty"));
    try {
        const studio::engine::LoraInfo info =
            studio::engine::inspectLora(files.front().toStdString(), multiplier, parser.value(model).toStdString());
        out(QString::fromStdString(studio::engine::loraInfoToJson(info)));
        return 0;
    } catch (const studio::engine::EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
}

} // namespace studio::cli
