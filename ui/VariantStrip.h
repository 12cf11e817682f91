#pragma once

#include "ThumbnailCache.h"

#include <QJsonObject>
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
    // What a card says about an image's refine parameters: a short line under it ("img2img 0.60", "hires ×1.5")
    // and, in *details, the full story for its tooltip (start image and its SHA-256, hires size, batch place).
    static QString refineSummary(const QJsonObject &parameters, QString *details = nullptr);

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
