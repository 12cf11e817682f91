#pragma once

#include <QString>

namespace studio::story {

// Rules for the file paths a project stores. Images (and a LoRA inside the project) are kept as
// relative paths below the project folder, always with '/' separators, so a project folder can be
// moved or zipped. Anything that could reach outside the folder is refused, including tricks that
// only work on Windows (drive letters, backslashes, "..." or "name. " components, device names).
class ProjectPaths
{
public:
    // True when `path` is a clean relative path that stays inside whatever folder it is joined to.
    // On false, *why says what is wrong (without the path itself).
    static bool isSafeRelativePath(const QString &path, QString *why);

    // True when `path` looks absolute on any platform ("/x", "\\x", "C:", "c:/x", "//server/share").
    static bool looksAbsolute(const QString &path);

    // Joins a safe relative path to the project folder and checks, following any symbolic links that
    // exist on disk, that the result still lies inside the folder. Returns the absolute path, or an
    // empty string with *why set.
    static QString resolveInside(const QString &projectDir, const QString &relativePath, QString *why);

    // The path of `absolutePath` relative to `projectDir` when it lies inside it (with '/'), else empty.
    static QString relativeInside(const QString &projectDir, const QString &absolutePath);
};

} // namespace studio::story
