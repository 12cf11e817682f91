#include "ProjectPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace studio::story {

namespace {

bool isWindowsDeviceName(const QString &component)
{
    // CON, PRN, AUX, NUL, COM1-9 and LPT1-9 name devices on Windows, with or without an extension.
    const QString base = component.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    static const QStringList fixed = {QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                                      QStringLiteral("NUL")};
    if (fixed.contains(base))
        return true;
    if (base.size() == 4 && (base.startsWith(QLatin1String("COM")) || base.startsWith(QLatin1String("LPT"))))
        return base.at(3) >= QLatin1Char('1') && base.at(3) <= QLatin1Char('9');
    return false;
}

// True when `path` equals `dir` or lies below it (both absolute and clean).
bool isWithin(const QString &dir, const QString &path)
{
    if (path == dir)
        return true;
    const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
    return path.startsWith(prefix);
}

} // namespace

bool ProjectPaths::looksAbsolute(const QString &path)
{
    if (path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1Char('\\')))
        return true;
    // "C:", "C:foo" (drive-relative) and "C:/foo" all escape the project folder on Windows.
    return path.size() >= 2 && path.at(1) == QLatin1Char(':') && path.at(0).isLetter();
}

bool ProjectPaths::isSafeRelativePath(const QString &path, QString *why)
{
    auto refuse = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (path.isEmpty())
        return refuse(QCoreApplication::translate("studio::story::ProjectPaths", "the path is empty"));
    if (looksAbsolute(path))
        return refuse(QCoreApplication::translate(
            "studio::story::ProjectPaths", "the path is absolute; images must be relative to the project folder"));
    if (path.contains(QLatin1Char('\\')))
        return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                  "the path contains a backslash; use '/' as separator"));
    if (path.contains(QLatin1Char(':')))
        return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                  "the path contains ':' (a drive or stream name)"));
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return refuse(
                QCoreApplication::translate("studio::story::ProjectPaths", "the path contains a control character"));
    }
    const QStringList components = path.split(QLatin1Char('/'));
    for (int i = 0; i < components.size(); ++i) {
        const QString &c = components.at(i);
        if (c.isEmpty()) {
            if (i == components.size() - 1)
                return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                          "the path ends with '/' (a folder, not a file)"));
            return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                      "the path contains an empty component ('//')"));
        }
        if (c == QLatin1String("."))
            continue;
        if (c == QLatin1String(".."))
            return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                      "the path contains '..' and would leave the project folder"));
        if (c.endsWith(QLatin1Char('.')) || c.endsWith(QLatin1Char(' ')))
            return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                      "the path component '%1' ends with a dot or space")
                              .arg(c));
        if (isWindowsDeviceName(c))
            return refuse(QCoreApplication::translate("studio::story::ProjectPaths",
                                                      "the path component '%1' is a reserved device name")
                              .arg(c));
    }
    if (components.constLast() == QLatin1String("."))
        return refuse(
            QCoreApplication::translate("studio::story::ProjectPaths", "the path names a folder, not a file"));
    return true;
}

QString ProjectPaths::resolveInside(const QString &projectDir, const QString &relativePath, QString *why)
{
    if (!isSafeRelativePath(relativePath, why))
        return {};
    const QString root = QDir::cleanPath(QDir(projectDir).absolutePath());
    const QString joined = QDir::cleanPath(root + QLatin1Char('/') + relativePath);
    if (!isWithin(root, joined)) {
        if (why)
            *why = QCoreApplication::translate("studio::story::ProjectPaths", "the path leaves the project folder");
        return {};
    }
    // Follow symbolic links: find the deepest part of the path that exists and compare its canonical
    // form with the canonical project folder. A link pointing outside is refused even if its target
    // does not exist yet (canonicalFilePath is empty for dangling links, so check those explicitly).
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    if (canonicalRoot.isEmpty())
        return joined; // the folder does not exist (yet): nothing on disk can redirect the path
    QString probe = joined;
    while (isWithin(root, probe) && probe != root) {
        const QFileInfo info(probe);
        if (info.isSymLink() && !info.exists()) {
            if (why)
                *why = QCoreApplication::translate("studio::story::ProjectPaths",
                                                   "the path goes through a dangling symbolic link");
            return {};
        }
        if (info.exists()) {
            const QString canonical = info.canonicalFilePath();
            if (!isWithin(canonicalRoot, canonical)) {
                if (why)
                    *why = QCoreApplication::translate(
                        "studio::story::ProjectPaths",
                        "the path leads outside the project folder through a symbolic link");
                return {};
            }
            break;
        }
        probe = QFileInfo(probe).path();
    }
    return joined;
}

QString ProjectPaths::relativeInside(const QString &projectDir, const QString &absolutePath)
{
    const QString root = QDir::cleanPath(QDir(projectDir).absolutePath());
    const QString path = QDir::cleanPath(QFileInfo(absolutePath).absoluteFilePath());
    if (path == root || !isWithin(root, path))
        return {};
    return path.mid(root.size() + (root.endsWith(QLatin1Char('/')) ? 0 : 1));
}

} // namespace studio::story
