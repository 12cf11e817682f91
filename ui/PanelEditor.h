#pragma once

#include "StoryDocument.h"
#include "ThumbnailCache.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QToolButton;

namespace studio::ui {

class HiresFixRow;
class ImagePreview;
class PromptTokenCounter;
class VariantStrip;

// Edits the selected panel: prompt, negative prompt, seed and seed mode, steps, CFG, sampler, size, and
// the chosen image among its variants. Every change goes to the document as an undoable command.
class PanelEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PanelEditor(StoryDocument *document, QWidget *parent = nullptr);

    int panel() const { return m_panel; }
    // The large view of the panel's chosen image; a render may show its live preview there meanwhile.
    ImagePreview *preview() const { return m_preview; }
    // The live preview of a render of `panel`, shown while that panel is the one being edited. A null image
    // goes back to the chosen image.
    void showRenderPreview(int panel, const QImage &image);
    PromptTokenCounter *tokenCounter() const { return m_tokenCounter; }

public Q_SLOTS:
    void setPanel(int panel);
    void refresh();

Q_SIGNALS:
    void imageDropped(int panel, const QString &path); // a PNG dropped on the editor, for the current panel

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void retranslateUi();
    void updateTokenModel();
    void updateTokenCount();
    void fillCombos();
    void refreshEffectivePrompt();
    void edit(PanelField field, const QVariant &value);

    StoryDocument *m_document;
    int m_panel = 0;
    bool m_updating = false;

    ThumbnailCache m_cache;
    QLabel *m_header;
    ImagePreview *m_preview;
    QLabel *m_promptLabel;
    QLabel *m_tokenLabel;
    PromptTokenCounter *m_tokenCounter;
    QTimer m_tokenTimer;
    QPlainTextEdit *m_prompt;
    QLabel *m_negativeLabel;
    QPlainTextEdit *m_negative;
    QLabel *m_captionLabel;
    QPlainTextEdit *m_caption;
    QLabel *m_seedLabel;
    QDoubleSpinBox *m_seed; // a double holds every seed up to 2^53 exactly; QSpinBox stops at 2^31
    QToolButton *m_randomSeed;
    QLabel *m_seedModeLabel;
    QComboBox *m_seedMode;
    QLabel *m_stepsLabel;
    QSpinBox *m_steps;
    QLabel *m_cfgLabel;
    QDoubleSpinBox *m_cfg;
    QLabel *m_samplerLabel;
    QComboBox *m_sampler;
    QLabel *m_sizeLabel;
    QSpinBox *m_width;
    QLabel *m_times;
    QSpinBox *m_height;
    HiresFixRow *m_hires;
    QLabel *m_effectiveLabel;
    QPlainTextEdit *m_effective;
    QLabel *m_variantsLabel;
    VariantStrip *m_variants;
};

} // namespace studio::ui
