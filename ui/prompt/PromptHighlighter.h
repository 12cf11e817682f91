#pragma once

#include <QSyntaxHighlighter>

namespace studio::ui {

// Colours A1111 weighting syntax in a prompt editor: brackets, weights and dropped backslashes grey, escapes
// (`\(`) as literal text, raised text warm and lowered text cool (stronger the further the weight is from 1), and
// a weight that is no number underlined in red. It reads the same parser the engine encodes with.
class PromptHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit PromptHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace studio::ui
