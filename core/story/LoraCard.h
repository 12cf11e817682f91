#pragma once

#include "LoraFacts.h"
#include "Project.h"

#include <QString>

#include <array>
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
    // Aesthetic scores of the panels (the challenge's validity gate, REFERENCE A.7) as the studio computed them
    // with the aesthetic predictor; an unscored panel is nullopt. The card records them with their mean.
    struct AestheticScores
    {
        std::array<std::optional<double>, kPanelCount> panels;
        double threshold = 6.0;
        QString model; // the predictor's name, e.g. its folder name; may be empty

        int count() const
        {
            int n = 0;
            for (const auto &s : panels)
                n += s ? 1 : 0;
            return n;
        }
        std::optional<double> mean() const // over the scored panels
        {
            double sum = 0.0;
            for (const auto &s : panels)
                sum += s.value_or(0.0);
            return count() ? std::optional<double>(sum / count()) : std::nullopt;
        }
    };

    static QString markdown(const Project &project, const std::optional<LoraFacts> &lora,
                            const QString &gridFile = QStringLiteral("grid.png"),
                            const std::optional<AestheticScores> &scores = std::nullopt);

    // Escapes text for a Markdown table cell or paragraph (|, *, _, `, [, ], <, >, &, \, line breaks).
    static QString escapeMarkdown(const QString &text);
};

} // namespace studio::story
