// `storyboard tokenize` and `storyboard encode`: the text side of Kolors from the command line.
#include "Cli.h"

#include "engine/api/TextApi.h"
#include "engine/api/Errors.h"

#include <QCommandLineParser>

#include <cstdio>
#include <exception>
#include <functional>
#include <optional>

using studio::engine::EngineError;

namespace studio::cli {
namespace {

// Every option of these commands takes a value: an empty --model or --out is an error, an empty prompt is not.
std::optional<int> refuseEmptyValues(const QCommandLineParser &parser, const QString &command,
                                     const QList<QCommandLineOption> &options)
{
    for (const QCommandLineOption &option : options) {
        const QString name = option.names().front();
        if (parser.isSet(option) && parser.value(option).isEmpty() && name != QLatin1String("prompt") &&
            name != QLatin1String("negative"))
            return fail(command, QStringLiteral("--%1 is empty").arg(name));
    }
    return std::nullopt;
}

// Runs `work`, turning engine errors into the one-line failure every command reports.
int guarded(const QString &command, const std::function<int()> &work)
{
    try {
        return work();
    } catch (const EngineError &e) {
        return fail(command, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return fail(command, QString::fromStdString(e.what()));
    }
}

std::string utf8(const QString &text)
{
    return text.toUtf8().toStdString();
}

} // namespace

int runTokenize(const QStringList &args)
{
    const QString command = QStringLiteral("tokenize");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Kolors model folder (or its tokenizer.model file)."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("The prompt (UTF-8)."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption weights(QStringLiteral("weights"),
                                     QStringLiteral("Read A1111 weighting syntax ((word:1.3), [word], \\( ) as "
                                                    "encode and generate do: tokenize the text without the syntax "
                                                    "and add \"text\", \"weights\" and [piece, weight] "
                                                    "\"pieces\"."));
    parser.addOptions({model, prompt, weights});
    if (const auto done = parseCommand(
            parser, args, command,
            QStringLiteral("Tokenizes a prompt as Kolors does (ChatGLM3: [gMASK] sop + pieces, left-padded to 256) "
                           "and prints JSON: input_ids, attention_mask, position_ids and tokens (the real token "
                           "count).")))
        return *done;
    if (const auto empty = refuseEmptyValues(parser, command, {model, prompt}))
        return *empty;
    if (!parser.isSet(model))
        return fail(command, QStringLiteral("missing --model DIR"));
    if (!parser.isSet(prompt))
        return fail(command, QStringLiteral("missing --prompt TEXT"));
    return guarded(command, [&] {
        const auto tokenizer = studio::engine::PromptTokenizer::load(utf8(parser.value(model)));
        if (parser.isSet(weights)) {
            out(QString::fromStdString(
                studio::engine::weightedTextToJson(tokenizer->tokenizeWeighted(utf8(parser.value(prompt))))));
            return 0;
        }
        out(QString::fromStdString(
            studio::engine::tokenizedTextToJson(tokenizer->tokenize(utf8(parser.value(prompt))))));
        return 0;
    });
}

int runEncode(const QStringList &args)
{
    const QString command = QStringLiteral("encode");
    QCommandLineParser parser;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Kolors model folder (required)."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption prompt(QStringLiteral("prompt"),
                                    QStringLiteral("The prompt (required; UTF-8); at most 256 tokens are used."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption negative(QStringLiteral("negative"),
                                      QStringLiteral("A negative prompt: also writes negative_prompt_embeds and "
                                                     "negative_pooled_prompt_embeds."),
                                      QStringLiteral("TEXT"));
    const QCommandLineOption output(QStringLiteral("out"), QStringLiteral("The .safetensors file to write (required)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption device(QStringLiteral("device"),
                                    QStringLiteral("auto (CUDA when present), cpu or cuda[:N] (default cpu)."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption precision(QStringLiteral("precision"),
                                       QStringLiteral("auto (default: fp32 on the CPU, fp16 on CUDA), fp32, fp16 or "
                                                      "bf16. The file is float32 either way."),
                                       QStringLiteral("P"));
    // The earlier name of --precision, still accepted so that scripts keep working.
    QCommandLineOption dtype(QStringLiteral("dtype"), QStringLiteral("Old name of --precision."), QStringLiteral("P"));
    dtype.setFlags(QCommandLineOption::HiddenFromHelp);
    const QList<QCommandLineOption> options{model, prompt, negative, output, device, precision, dtype};
    parser.addOptions(options);
    if (const auto done = parseCommand(parser, args, command,
                                       QStringLiteral("Encodes a prompt with the model's ChatGLM3 text encoder as "
                                                      "Kolors does and writes float32 prompt_embeds [1,256,H] and "
                                                      "pooled_prompt_embeds [1,H].")))
        return *done;
    if (const auto empty = refuseEmptyValues(parser, command, options))
        return *empty;
    if (!parser.isSet(model))
        return fail(command, QStringLiteral("missing --model DIR"));
    if (!parser.isSet(prompt))
        return fail(command, QStringLiteral("missing --prompt TEXT"));
    if (!parser.isSet(output))
        return fail(command, QStringLiteral("missing --out FILE.safetensors"));
    return guarded(command, [&] {
        studio::engine::EncodeRequest request;
        request.modelDir = utf8(parser.value(model));
        request.prompt = utf8(parser.value(prompt));
        if (parser.isSet(negative))
            request.negativePrompt = utf8(parser.value(negative));
        request.outPath = utf8(parser.value(output));
        if (parser.isSet(device))
            request.device = utf8(parser.value(device));
        if (parser.isSet(precision) || parser.isSet(dtype))
            request.dtype = utf8(parser.value(parser.isSet(precision) ? precision : dtype));
        const studio::engine::EncodeSummary summary = studio::engine::encodePromptToFile(request);
        if (summary.promptTruncated || summary.negativeTruncated)
            std::fprintf(stderr, "storyboard encode: warning: the %s prompt was cut to %d tokens\n",
                         summary.promptTruncated ? "positive" : "negative", studio::engine::kPromptMaxTokens);
        out(QStringLiteral("wrote %1: %2 tensors, hidden size %3, %4/%5 prompt tokens")
                .arg(parser.value(output))
                .arg(summary.tensorNames.size())
                .arg(summary.hiddenSize)
                .arg(summary.promptTokens)
                .arg(studio::engine::kPromptMaxTokens));
        return 0;
    });
}

} // namespace studio::cli
