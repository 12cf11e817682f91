#include "Cli.h"

#include <QGuiApplication>

#include <memory>

#include <cstdio>
#include <cstring>

using namespace studio::cli;

static const Command kCommands[] = {
    {"new", "create a story project from a file of 8 prompts", runNew},
    {"validate", "check a story file and every image it references", runValidate},
    {"export", "write the challenge submission (grid, panels, LoRA card) and the comic (PDF, CBZ, strip)", runExport},
    {"prepare-data", "filter LoRA training images with a Data-Juicer config; write DiffSynth's folder", runPrepareData},
#ifdef STUDIO_HAS_ENGINE
    {"inspect-lora", "print the facts of a LoRA file as JSON (format, rank, alpha, effective scale)", runInspectLora},
    {"generate", "generate one image with Kolors into a PNG with its parameters", runGenerate},
    {"render", "render panels of a story with their stored parameters into the project", runRender},
    {"generate-story", "generate a story's panels from a prompts file, keeping the character consistent",
     runGenerateStory},
    {"bench", "measure per-step speed, text encoding, VAE decoding and peak memory (--train: training)", runBench},
    {"train-lora", "train a Kolors style LoRA on a folder of captioned images", runTrainLora},
    {"tokenize", "show how Kolors tokenizes a prompt (JSON: ids, masks, token count)", runTokenize},
    {"encode", "encode a prompt with the text encoder into a .safetensors file", runEncode},
    {"score", "aesthetic score of images or of a story's panels (the challenge's gate)", runScore},
    {"make-random-model", "write a Kolors folder with random weights in the shipped file formats (measurements)",
     runMakeRandomModel},
    {"memory-estimate", "estimate the RAM and VRAM a model needs with given settings, and whether it fits", runMemoryEstimate},
#endif
};

static QtMessageHandler s_forward = nullptr;

static void keepOnlyErrors(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if ((type == QtCriticalMsg || type == QtFatalMsg) && s_forward)
        s_forward(type, context, message);
}

// `export` with comic outputs or the visible label.
static bool drawsText(int argc, char **argv)
{
    if (argc < 2 || std::strcmp(argv[1], "export") != 0)
        return false;
    for (int i = 2; i < argc; ++i) {
        if (std::strncmp(argv[i], "--comic", 7) == 0 || std::strcmp(argv[i], "--visible-label") == 0)
            return true;
    }
    return false;
}

// On stdout when asked for (--help), on stderr when it answers a missing command.
static void printUsage(FILE *to)
{
    std::fprintf(to, "Usage: storyboard <command> [options]\n\nCommands:\n");
    for (const Command &c : kCommands)
        std::fprintf(to, "  %-14s %s\n", c.name, c.summary);
    std::fprintf(to, "\nRun 'storyboard <command> --help' for the options of one command.\n");
    std::fflush(to);
}

int main(int argc, char **argv)
{
    // Drawing text (comic captions, the visible AI label) needs a GUI application for its fonts. The tool never
    // opens a window, so the offscreen platform (no display server, every OS) serves; the other commands keep
    // the plain core application, which starts faster and prints nothing of its own.
    std::unique_ptr<QCoreApplication> app;
    if (drawsText(argc, argv)) {
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        // The platform's start-up notes (e.g. "XDG_RUNTIME_DIR not set") are not the user's concern here and
        // would mix into the tool's own messages; errors still come through.
        const QtMessageHandler previous = qInstallMessageHandler(keepOnlyErrors);
        s_forward = previous;
        app = std::make_unique<QGuiApplication>(argc, argv);
        qInstallMessageHandler(previous);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("storyboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STUDIO_VERSION));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        const bool asked = args.size() >= 2;
        printUsage(asked ? stdout : stderr);
        return asked ? 0 : 2;
    }
    if (args[1] == QLatin1String("--version")) {
        out(QStringLiteral("storyboard " STUDIO_VERSION));
        return 0;
    }
    for (const Command &c : kCommands) {
        if (args[1] == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("storyboard ") + QLatin1String(c.name));
            return c.run(rest);
        }
    }
    return fail(args[1], QStringLiteral("unknown command (run 'storyboard --help')"));
}
