#pragma once

#include "CharacterUse.h"
#include "Project.h"

#include <QString>

#include <optional>

namespace studio::story {

// What a render with the story's reference image needs: the machine's IP-Adapter files and the reference image, all
// absolute. Disabled (adapterPath empty) when the story uses no reference image.
struct IpAdapterFiles
{
    QString adapterPath; // Kolors-IP-Adapter-Plus weights (.bin or .safetensors)
    QString encoderDir;  // its CLIP image encoder folder
    QString referencePath;
    double scale = kDefaultIpScale;

    bool enabled() const { return !adapterPath.isEmpty(); }
    // The IP-Adapter part of what an image made with these records (file names and the reference's SHA-256).
    CharacterUse use() const;
};

// The character's reference image on disk: the one resolution the CLI, the studio and export use.
class CharacterReference
{
public:
    static constexpr const char *kFolder = "characters"; // inside the project folder

    // The absolute path of the reference image the story names: its file inside the project folder, or the
    // chosen image of its panel. Empty when the story uses none, and empty with *why saying why when it names
    // one that cannot be used (missing file, a panel without a chosen image, an unsaved story): callers refuse to
    // render rather than render without it.
    static QString path(const Project &project, const QString &projectDir, QString *why);

    // The IP-Adapter files of a render of `project`: disabled when it uses no reference image; nullopt with *why
    // when it uses one and the reference or the machine's IP-Adapter files (`adapterPath`, `encoderDir`) cannot be
    // used. The CLI and the studio both take their files from here.
    static std::optional<IpAdapterFiles> files(const Project &project, const QString &projectDir,
                                               const QString &adapterPath, const QString &encoderDir, QString *why);

    // Copies `sourcePath` into <projectDir>/characters/ (a file with the same name and other bytes gets a
    // "-2", "-3", ... suffix; the same bytes reuse the copy) and returns its path relative to the project folder,
    // or empty with *error. A file already inside the project folder is used where it is.
    static QString import(const QString &projectDir, const QString &sourcePath, QString *error);

    // Lower-case hex SHA-256 of a file's bytes (empty when it cannot be read).
    static QString sha256(const QString &path);
};

} // namespace studio::story
