#pragma once

#include <QString>

#include <optional>

namespace studio::ui {

// Ctrl+Up / Ctrl+Down in a prompt, as A1111's editor does it: raise or lower the weight of the selection, or of
// the word (or bracketed group) under the cursor, by `step`. Plain text becomes "(text:1.1)"; an existing
// "(text:w)" or "(text)" gets its weight changed; a weight that reaches 1 drops the brackets again.
struct PromptEdit
{
    QString text;
    int selectionStart = 0, selectionEnd = 0; // the weighted text, selected afterwards
};
std::optional<PromptEdit> adjustPromptWeight(const QString &text, int selectionStart, int selectionEnd, double step);

} // namespace studio::ui
