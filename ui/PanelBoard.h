#pragma once

#include "ThumbnailCache.h"

#include <QImage>
#include <QVector>
#include <QWidget>

namespace studio::ui {

class PanelThumbnail;
class StoryDocument;

// The story at a glance: 8 thumbnails in 2 columns x 4 rows, panel 1 top left, panel 2 top right, ...
// (the layout of the exported grid). Clicking a cell selects the panel the editor shows; the arrow keys
// move the selection.
class PanelBoard : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kColumns = 2;
    static constexpr int kRows = 4;

    explicit PanelBoard(StoryDocument *document, QWidget *parent = nullptr);

    int currentPanel() const { return m_current; }
    PanelThumbnail *thumbnail(int panel) const;

    // Render feedback (for the render queue): progress 0..1 (negative hides) and a live preview image.
    void setPanelProgress(int panel, double fraction);
    void setPanelPreview(int panel, const QImage &preview);
    // A line about the panel's last render (why it failed, ...), shown in its tooltip; empty clears it.
    void setPanelNote(int panel, const QString &note);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void setCurrentPanel(int panel);
    void refreshAll();
    void refreshPanel(int panel);

Q_SIGNALS:
    void currentPanelChanged(int panel);
    void contextMenuRequested(int panel, const QPoint &globalPos);
    void imageDropped(int panel, const QString &path);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void layoutCells();

    StoryDocument *m_document;
    QVector<PanelThumbnail *> m_cells;
    ThumbnailCache m_cache;
    int m_current = 0;
};

} // namespace studio::ui
