#pragma once

#include "PanelState.h"

#include <QImage>
#include <QWidget>

#include <optional>

class QMimeData;

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
    // The panel's comic caption, one elided line under the image (the tooltip has all of it); empty hides it.
    void setCaption(const QString &caption);
    QString caption() const { return m_caption; }
    void setState(PanelState state);
    void setSelected(bool selected);
    // 0..1 while rendering; a negative value hides the bar.
    void setProgress(double fraction);
    // Shown instead of the image while set (live preview during a render); a null image clears it.
    void setPreview(const QImage &preview);
    // The aesthetic score of the chosen image (shown top right; red below `threshold`), or none.
    void setScore(std::optional<double> score, double threshold);
    std::optional<double> score() const { return m_score; }
    // A line about the last render (e.g. why it failed), added to the tooltip; empty clears it.
    void setNote(const QString &note);
    QString note() const { return m_note; }

    // The local image file a drag carries, if it carries exactly one PNG (empty otherwise).
    static QString droppedImagePath(const QMimeData *mime);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void clicked(int panel);
    void activated(int panel); // double click
    void contextMenuRequested(int panel, const QPoint &globalPos);
    void imageDropped(int panel, const QString &path); // a PNG to take the settings from

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateAccessibleText();
    void updateToolTip();

    int m_panel;
    QImage m_image;
    QImage m_preview;
    QString m_prompt;
    QString m_caption;
    PanelState m_state = PanelState::Empty;
    bool m_selected = false;
    double m_progress = -1.0;
    std::optional<double> m_score;
    double m_threshold = 6.0;
    QString m_note;
    bool m_dropTarget = false;
};

} // namespace studio::ui
