#pragma once

#include "ComicOptions.h"

#include <QFont>
#include <QImage>
#include <QRectF>
#include <QVector>

#include <optional>

class QPaintDevice;
class QPainter;

namespace studio::story {

// Lays out and typesets the comic: the vertical strip, the CBZ pages and the PDF pages share these routines,
// so a caption looks the same everywhere. All sizes are in device pixels and scale with the output's width.
class ComicLayout
{
public:
    // A CJK-capable font (VisibleLabel::cjkFamilies()) at `pixelSize`.
    static QFont font(int pixelSize, bool bold = false);

    // Height of `text` typeset in `width` with word wrap (CJK text wraps between characters).
    static qreal textHeight(const QString &text, const QFont &font, qreal width, QPaintDevice *device = nullptr);

    // Draws the title block (title, then the team) from `top`; returns the y below it. With a null painter it
    // only measures.
    static qreal paintTitle(QPainter *painter, const ComicContent &content, qreal left, qreal top, qreal width,
                            qreal titlePixels, QPaintDevice *device = nullptr);
    // Draws a panel scaled into `width` (at most `maxHeight` tall, centred) with its caption beneath, from
    // `top`; returns the y below the caption. With a null painter it only measures.
    static qreal paintPanel(QPainter *painter, const QImage &image, const QString &caption, qreal left, qreal top,
                            qreal width, qreal maxHeight, const QFont &captionFont, QPaintDevice *device = nullptr);

    // The whole story as one vertical image `width` pixels wide: title at the top, the panels in order, each
    // with its caption beneath. The explicit label goes in the bottom-right corner when `label` is set.
    static QImage strip(const ComicContent &content, int width, const std::optional<QString> &label);
    // The CBZ pages in reading order: a cover (title, team and the 2x4 overview), then one page per panel.
    static QVector<QImage> pages(const ComicContent &content, int width, const std::optional<QString> &label);
};

} // namespace studio::story
