#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

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
// The positional arguments of a sub-command.
struct Positional
{
    QString name; // as the usage line shows it: "STORY", "FILE", "IMAGE...|STORY"
    QString help;
    int min = 1, max = 1; // how many; max -1: any number
};
// The one story file most commands take.
Positional storyArgument();

// Parses one sub-command's arguments, adding -h/--help and `positional`. Returns the exit code when the command is
// done (help printed as "Usage: storyboard <command> [options] <positional>…", or one error line), else std::nullopt.
std::optional<int> parseCommand(QCommandLineParser &parser, const QStringList &args, const QString &command,
                                const QString &about, const std::optional<Positional> &positional = std::nullopt);
// Strict numbers: the whole value must be a number (finite), else *error names the option. Unset options leave
// *value as it is.
bool parseInt(const QCommandLineParser &parser, const QCommandLineOption &option, int *value, QString *error);
bool parseDouble(const QCommandLineParser &parser, const QCommandLineOption &option, double *value, QString *error);

// Whether stderr is an interactive terminal (progress lines are printed only then). The one platform-specific call
// of the tool.
bool stderrIsTerminal();

// Ctrl+C while a guard lives sets a flag instead of killing the process, so long engine runs (generation, training)
// stop at their next step and keep what they finished.
class InterruptGuard
{
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    void (*m_previous)(int) = nullptr;
};
bool interruptRequested();

int runNew(const QStringList &args);
int runValidate(const QStringList &args);
int runExport(const QStringList &args);
int runPrepareData(const QStringList &args);
#ifdef STUDIO_HAS_ENGINE
int runInspectLora(const QStringList &args);
int runGenerate(const QStringList &args);
int runRender(const QStringList &args);
int runGenerateStory(const QStringList &args);
int runBench(const QStringList &args);
int runTrainLora(const QStringList &args);
int runTrainBench(const QStringList &args); // `bench --train`
int runTokenize(const QStringList &args);
int runEncode(const QStringList &args);
int runScore(const QStringList &args);
int runMakeRandomModel(const QStringList &args);
int runMemoryEstimate(const QStringList &args);
#endif

} // namespace studio::cli
