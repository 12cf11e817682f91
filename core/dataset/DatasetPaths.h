#pragma once

#include <string>

// Path strings handled as dj-process handles them: lexical (no symlink resolution), POSIX separators.
namespace studio::dataset {

// Python's os.path.normpath on POSIX: drops "." parts, folds "dir/..", collapses repeated "/" (two leading
// slashes are kept, as POSIX allows), "" becomes ".".
std::string normalizePath(const std::string &path);
// os.path.abspath: `path` when absolute, else getcwd() + "/" + path; normalised either way.
std::string absolutePath(const std::string &path);
// The folder part of a path (os.path.dirname): everything before the last "/", trailing slashes removed.
std::string parentPath(const std::string &path);
// The last part of a path (os.path.basename).
std::string fileName(const std::string &path);
// os.path.splitext(basename)[1] in ASCII lower case: from the last "." of the base name, leading dots do not
// count, "" when there is none ("Photo.JPEG" -> ".jpeg", ".hidden" -> "").
std::string lowerExtension(const std::string &path);
bool endsWithNoCase(const std::string &text, const std::string &suffix);

} // namespace studio::dataset
