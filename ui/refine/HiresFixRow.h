#pragma once

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace studio::ui {

class StoryDocument;

// The panel editor's hires fix settings (off by default): scale, denoising strength and steps of the second pass,
// and the size the image will come out at (the panel itself keeps the story's size). Edits are undoable panel
// fields like every other setting.
class HiresFixRow : public QWidget
{
    Q_OBJECT
public:
    explicit HiresFixRow(StoryDocument *document, QWidget *parent = nullptr);
    void setPanel(int panel);
    void refresh();
    QString sizeText() const; // what the size label shows, for the tests

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    StoryDocument *m_document;
    int m_panel = 0;
    bool m_updating = false;
    QCheckBox *m_enabled;
    QLabel *m_scaleLabel;
    QDoubleSpinBox *m_scale;
    QLabel *m_strengthLabel;
    QDoubleSpinBox *m_strength;
    QLabel *m_stepsLabel;
    QSpinBox *m_steps;
    QLabel *m_size;
};

} // namespace studio::ui
