#include "Cli.h"

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace studio::cli {

int fail(const QString &command, const QString &message)
{
    QString line = message.simplified();
    std::fprintf(stderr, "storyboard %s: %s\n", qUtf8Printable(command), qUtf8Printable(line));
    return 1;
}

Positional storyArgument()
{
    return {QStringLiteral("STORY"), QStringLiteral("the story project file (JSON)")};
}

std::optional<int> parseCommand(QCommandLineParser &parser, const QStringList &args, const QString &command,
                                const QString &about, const std::optional<Positional> &positional)
{
    parser.setApplicationDescription(about);
    if (positional)
        parser.addPositionalArgument(positional->name, positional->help);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    const QString seeHelp = QStringLiteral(" (see 'storyboard %1 --help')").arg(command);
    if (!parser.parse(args)) {
        QString text = parser.errorText();
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
        return fail(command, text + seeHelp);
    }
    if (parser.isSet(help)) {
        // Qt's first help line names the executable's path; say "storyboard <command>" instead.
        const QString text = parser.helpText();
        out((QStringLiteral("Usage: storyboard %1 [options]").arg(command) +
             (positional ? QLatin1Char(' ') + positional->name : QString()) + text.mid(text.indexOf(QLatin1Char('\n'))))
                .trimmed());
        return 0;
    }
    const QStringList rest = parser.positionalArguments();
    const int min = positional ? positional->min : 0;
    const int max = positional ? positional->max : 0;
    if (rest.size() < min)
        return fail(command, QStringLiteral("missing the %1 argument").arg(positional->name) + seeHelp);
    if (max >= 0 && rest.size() > max)
        return fail(command, QStringLiteral("unexpected argument \"%1\"").arg(rest.at(max)) + seeHelp);
    return std::nullopt;
}

bool parseInt(const QCommandLineParser &parser, const QCommandLineOption &option, int *value, QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const QString text = parser.value(option).trimmed();
    const int parsed = text.toInt(&ok);
    if (!ok) {
        *error = QStringLiteral("--%1 \"%2\" is not a whole number").arg(option.names().constFirst(), text);
        return false;
    }
    *value = parsed;
    return true;
}

bool parseDouble(const QCommandLineParser &parser, const QCommandLineOption &option, double *value, QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const QString text = parser.value(option).trimmed();
    const double parsed = text.toDouble(&ok);
    if (!ok || !std::isfinite(parsed)) {
        *error = QStringLiteral("--%1 \"%2\" is not a finite number").arg(option.names().constFirst(), text);
        return false;
    }
    *value = parsed;
    return true;
}

bool stderrIsTerminal()
{
#ifdef _WIN32
    return _isatty(_fileno(stderr)) != 0;
#else
    return isatty(fileno(stderr)) != 0;
#endif
}

void out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

namespace {
// Ctrl+C asks the engine to stop at its next step; a handler may only touch a lock-free atomic.
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}
} // namespace

InterruptGuard::InterruptGuard()
{
    g_interrupted = false;
    m_previous = std::signal(SIGINT, onInterrupt);
}

InterruptGuard::~InterruptGuard()
{
    std::signal(SIGINT, m_previous);
}

bool interruptRequested()
{
    return g_interrupted.load();
}

} // namespace studio::cli
