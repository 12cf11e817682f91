#include "Cli.h"

#include <cstdio>

namespace studio::cli {

int fail(const QString &command, const QString &message)
{
    QString line = message.simplified();
    std::fprintf(stderr, "storyboard %s: %s\n", qUtf8Printable(command), qUtf8Printable(line));
    return 1;
}

void out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace studio::cli
