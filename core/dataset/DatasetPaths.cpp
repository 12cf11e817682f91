#include "DatasetPaths.h"

#include <cctype>
#include <filesystem>
#include <vector>

namespace studio::dataset {

std::string normalizePath(const std::string &path)
{
    if (path.empty())
        return ".";
    size_t leading = 0;
    while (leading < path.size() && path[leading] == '/')
        ++leading;
    // POSIX: exactly two leading slashes may mean something else; three or more are one.
    const std::string root = leading == 0 ? "" : (leading == 2 ? "//" : "/");
    std::vector<std::string> parts;
    size_t start = leading;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        const std::string part = path.substr(start, end - start);
        if (part.empty() || part == ".") {
            // nothing
        } else if (part == ".." && (!parts.empty() && parts.back() != "..")) {
            parts.pop_back();
        } else if (part == ".." && !root.empty()) {
            // "/.." is "/"
        } else {
            parts.push_back(part);
        }
        start = end + 1;
    }
    std::string out = root;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += '/';
        out += parts[i];
    }
    return out.empty() ? "." : out;
}

std::string absolutePath(const std::string &path)
{
    if (!path.empty() && path[0] == '/')
        return normalizePath(path);
    std::error_code error;
    const std::string cwd = std::filesystem::current_path(error).string();
    return normalizePath(cwd + "/" + path);
}

std::string parentPath(const std::string &path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return "";
    std::string head = path.substr(0, slash + 1);
    // os.path.dirname strips trailing slashes unless the head is all slashes.
    if (head.find_first_not_of('/') != std::string::npos)
        while (!head.empty() && head.back() == '/')
            head.pop_back();
    return head;
}

std::string fileName(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string lowerExtension(const std::string &path)
{
    const std::string base = fileName(path);
    const size_t dot = base.rfind('.');
    if (dot == std::string::npos)
        return "";
    if (base.find_first_not_of('.') >= dot)
        return ""; // only dots before the last one: a hidden file, not an extension
    std::string ext = base.substr(dot);
    for (char &c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool endsWithNoCase(const std::string &text, const std::string &suffix)
{
    if (suffix.size() > text.size())
        return false;
    for (size_t i = 0; i < suffix.size(); ++i) {
        const auto a = static_cast<unsigned char>(text[text.size() - suffix.size() + i]);
        const auto b = static_cast<unsigned char>(suffix[i]);
        if (std::tolower(a) != std::tolower(b))
            return false;
    }
    return true;
}

} // namespace studio::dataset
