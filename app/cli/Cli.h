#pragma once

#include <QString>
#include <QStringList>

// The `storyboard` command-line tool: one function per sub-command. Each returns the process exit
// code; every failure prints exactly one line "storyboard <command>: <message>" on stderr.
namespace studio::cli {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args); // args[0] is "storyboard <name>"
};

// Prints "storyboard <command>: <message>" on stderr and returns the exit code to use (1).
int fail(const QString &command, const QString &message);
// Writes text to stdout (UTF-8), adding a newline.
void out(const QString &text);

int runNew(const QStringList &args);
int runValidate(const QStringList &args);
int runExport(const QStringList &args);
#ifdef STUDIO_HAS_ENGINE
int runInspectLora(const QStringList &args);
int runGenerate(const QStringList &args);
int runRender(const QStringList &args);
int runBench(const QStringList &args);
int runTokenize(const QStringList &args);
int runEncode(const QStringList &args);
int runScore(const QStringList &args);
#endif

} // namespace studio::cli
