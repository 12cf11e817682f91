#pragma once

#include "LoraFacts.h"
#include "Project.h"

#include <QString>

#include <optional>

namespace studio::story {

// The README.md of an exported submission: a ModelScope model card for the story's LoRA.
// Front matter (frameworks, license, tasks, base model Kwai-Kolors/Kolors), the model name in the
// challenge pattern "<team>-可图Kolors训练-<name>", the LoRA file facts (rank, alpha and effective scale
// marked "not yet determined" until the LoRA tools fill LoraFacts), style and trigger words, a table
// of the 8 panels, the grid, and how to reproduce the images. All user text is escaped for Markdown.
class LoraCard
{
public:
    static constexpr const char *kBaseModel = "Kwai-Kolors/Kolors";

    // "<team>-可图Kolors训练-<name>"; the name is the project's modelName, else its title.
    // Empty parts are replaced by "team" / "story" so the name always has the pattern.
    static QString modelName(const Project &project);

    // `lora`: the facts of the copied LoRA file, or nullopt when the story has none.
    // `gridFile`, `panelFile(i)`: the relative paths the card links to.
    static QString markdown(const Project &project, const std::optional<LoraFacts> &lora,
                            const QString &gridFile = QStringLiteral("grid.png"));

    // Escapes text for a Markdown table cell or paragraph (|, *, _, `, [, ], <, >, &, \, line breaks).
    static QString escapeMarkdown(const QString &text);
};

} // namespace studio::story
