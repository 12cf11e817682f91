#include "Cli.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

using namespace studio::cli;

static const Command kCommands[] = {
    {"new", "create a story project from a file of 8 prompts", runNew},
    {"validate", "check a story file and every image it references", runValidate},
    {"export", "write the challenge submission (grid, panels, LoRA card)", runExport},
    {"prepare-data", "filter LoRA training images with a Data-Juicer config; write DiffSynth's folder", runPrepareData},
#ifdef STUDIO_HAS_ENGINE
    {"inspect-lora", "print the facts of a LoRA file as JSON (format, rank, alpha, effective scale)", runInspectLora},
    {"generate", "generate one image with Kolors into a PNG with its parameters", runGenerate},
    {"render", "render panels of a story with their stored parameters into the project", runRender},
    {"bench", "measure per-step speed, text encoding, VAE decoding and peak memory", runBench},
    {"tokenize", "show how Kolors tokenizes a prompt (JSON: ids, masks, token count)", runTokenize},
    {"encode", "encode a prompt with the text encoder into a .safetensors file", runEncode},
    {"score", "aesthetic score of images or of a story's panels (the challenge's gate)", runScore},
#endif
};

static void printUsage()
{
    std::fprintf(stderr, "usage: storyboard <command> [options]\n\ncommands:\n");
    for (const Command &c : kCommands)
        std::fprintf(stderr, "  %-14s %s\n", c.name, c.summary);
    std::fprintf(stderr, "\nRun 'storyboard <command> --help' for the options of one command.\n");
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("storyboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STUDIO_VERSION));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        printUsage();
        return args.size() < 2 ? 2 : 0;
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
