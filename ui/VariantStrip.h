#pragma once

#include "ThumbnailCache.h"

#include <QListWidget>

namespace studio::ui {

class StoryDocument;

// Every image rendered for the current panel, oldest first, each with its seed. Clicking one makes it the
// panel's image (an undoable command); the chosen one is highlighted.
class VariantStrip : public QListWidget
{
    Q_OBJECT
public:
    explicit VariantStrip(StoryDocument *document, QWidget *parent = nullptr);

    int panel() const { return m_panel; }
    void setPanel(int panel);
    void refresh();

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    StoryDocument *m_document;
    ThumbnailCache m_cache;
    int m_panel = 0;
    bool m_refreshing = false;
};

} // namespace studio::ui
