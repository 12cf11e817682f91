#pragma once

#include "PanelState.h"

#include <QImage>
#include <QWidget>

namespace studio::ui {

// One cell of the board: the panel's image (or its prompt while it has none), its number, a state badge
// and, while rendering, a progress bar and the live preview.
class PanelThumbnail : public QWidget
{
    Q_OBJECT
public:
    explicit PanelThumbnail(int panel, QWidget *parent = nullptr);

    int panel() const { return m_panel; }
    PanelState state() const { return m_state; }
    bool isSelected() const { return m_selected; }
    bool hasImage() const { return !m_image.isNull(); }

    void setImage(const QImage &image);
    void setPrompt(const QString &prompt);
    void setState(PanelState state);
    void setSelected(bool selected);
    // 0..1 while rendering; a negative value hides the bar.
    void setProgress(double fraction);
    // Shown instead of the image while set (live preview during a render); a null image clears it.
    void setPreview(const QImage &preview);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void clicked(int panel);
    void activated(int panel); // double click

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateAccessibleText();

    int m_panel;
    QImage m_image;
    QImage m_preview;
    QString m_prompt;
    PanelState m_state = PanelState::Empty;
    bool m_selected = false;
    double m_progress = -1.0;
};

} // namespace studio::ui
