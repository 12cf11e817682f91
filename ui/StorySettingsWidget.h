#pragma once

#include "StoryDocument.h"

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace studio::ui {

// Story-level settings: title, team, style words around every prompt, the shared negative prompt and the story's
// LoRA with its scale (the model folder is the computer's: Settings ▸ Model; a note says so). Edits are undoable
// commands on the document.
class StorySettingsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit StorySettingsWidget(StoryDocument *document, QWidget *parent = nullptr);

public Q_SLOTS:
    void refresh();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void browseLora();
    void edit(StoryField field, const QVariant &value);

    StoryDocument *m_document;
    bool m_updating = false;

    QLabel *m_titleLabel;
    QLineEdit *m_title;
    QLabel *m_teamLabel;
    QLineEdit *m_team;
    QLabel *m_styleHeading;
    QLabel *m_prefixLabel;
    QLineEdit *m_prefix;
    QLabel *m_suffixLabel;
    QLineEdit *m_suffix;
    QLabel *m_negativeLabel;
    QPlainTextEdit *m_negative;
    QLabel *m_modelHeading;
    QLabel *m_loraLabel;
    QLineEdit *m_loraPath;
    QToolButton *m_loraBrowse;
    QLabel *m_loraScaleLabel;
    QDoubleSpinBox *m_loraScale;
    QLabel *m_modelNote;
};

} // namespace studio::ui
