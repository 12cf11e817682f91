#pragma once

#include "Project.h"

#include <QString>
#include <QVector>

namespace studio::story {

// One finding about a story and the files it references.
struct StoryIssue
{
    enum class Severity
    {
        Warning,
        Error
    };
    Severity severity = Severity::Error;
    int panel = -1;  // 0-based; -1 for the story as a whole
    QString message; // names the file and the problem

    // "error: panel 3: images/panel-03/x.png: file is missing"
    QString toString() const;
};

// Checks a loaded story against the disk: every image of every panel (missing, unreadable, not a
// PNG/JPEG, damaged; a size different from the panel's width x height is a warning), the LoRA file,
// and what export will need (a chosen image per panel, a team name).
class StoryValidator
{
public:
    static QVector<StoryIssue> check(const Project &project, const QString &projectDir);
    static bool hasErrors(const QVector<StoryIssue> &issues);
    // The story's LoRA file, ready to load: the one resolution the CLI, the studio and export use. Absolute, or
    // relative to the project folder (and staying inside it); the file exists and is readable. Empty when unset,
    // and empty with *why saying why when the story names a file that cannot be used: callers refuse to go on
    // rather than render or export without the story's LoRA.
    static QString loraPath(const Project &project, const QString &projectDir, QString *why);
};

} // namespace studio::story
