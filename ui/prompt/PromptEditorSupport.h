#pragma once

#include <QObject>

class QPlainTextEdit;

namespace studio::ui {

// Makes a plain text edit a prompt editor: A1111 weighting syntax highlighted, and Ctrl+Up / Ctrl+Down raising or
// lowering the weight of the selection or the word under the cursor by 0.1 (adjustPromptWeight).
class PromptEditorSupport : public QObject
{
    Q_OBJECT
public:
    static constexpr double kWeightStep = 0.1; // A1111's default "Ctrl+up/down precision"
    static void install(QPlainTextEdit *edit);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit PromptEditorSupport(QPlainTextEdit *edit);
    QPlainTextEdit *m_edit;
};

} // namespace studio::ui
