#include "Cli.h"
namespace studio::cli {
int runNew(const QStringList &args) { return fail(QStringLiteral("new"), QStringLiteral("not implemented")); }
int runValidate(const QStringList &args) { return fail(QStringLiteral("validate"), QStringLiteral("not implemented")); }
int runExport(const QStringList &args) { return fail(QStringLiteral("export"), QStringLiteral("not implemented")); }
}
