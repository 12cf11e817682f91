#pragma once

#include "Project.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace studio::story {

// Reads and writes a story project as versioned JSON:
//
//   { "app": "storyboard-studio", "schema": 3, "id": "…", "title": "…", "team": "…", "modelName": "…",
//     "license": "apache-2.0", "modelFolder": "…",
//     "style": { "prefix": "…", "suffix": "…", "negativePrompt": "…" },
//     "lora":  { "path": "…", "scale": 1.0, "triggerWords": "…" },
//     "character": { … CharacterSettings.h … },
//     "panels": [ 8 × { "prompt": "…", "negativePrompt": "…", "seed": 42, "seedMode": "fixed",
//                       "steps": 25, "cfgScale": 5.0, "sampler": "euler", "width": 1024, "height": 1024,
//                       "chosenVariant": 0, "caption": "…",
//                       "variants": [ { "path": "images/panel-01/42-20250101T120000Z.png", "seed": 42,
//                                       "createdAt": "2025-01-01T12:00:00Z", "parameters": { … } } ] } ] }
//
// Required: "app", "schema", "title", "panels", and each panel's "prompt" and "seed". Every other field
// may be left out (it takes the default of Project.h), but a field that is present must have the right
// type and a value in range. Unknown fields are ignored.
//
// Schema history: 1 = the first release; 2 adds each panel's optional "caption"; 3 adds the story's optional
// "character" (consistent characters and the reference image). An older file opens unchanged (every caption
// empty, consistent characters off, no reference image) and becomes schema 3 only when it is saved. A file that is refused is refused whole: the
// message names the field path and the offending value, and no partial project is returned.
class ProjectFile
{
public:
    static constexpr int kSchemaVersion = 3;
    static constexpr qint64 kMaxFileSize = 64 * 1024 * 1024; // a story file is a few KiB; refuse junk

    // Reads `path`; the project folder is the file's folder (image paths are checked against it).
    static std::optional<Project> load(const QString &path, QString *error);
    // Writes atomically (QSaveFile). Refuses a project that could not be loaded back.
    static bool save(const Project &project, const QString &path, QString *error);

    static QByteArray toJson(const Project &project);
    // `projectDir` may be empty: then the paths are checked by their text only (no symlink checks).
    static std::optional<Project> fromJson(const QByteArray &json, const QString &projectDir, QString *error);
};

} // namespace studio::story
