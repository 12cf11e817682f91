#pragma once

#include <QImage>
#include <QRect>
#include <QString>
#include <QStringList>

class QPainter;

namespace studio::story {

// The explicit label of AI-generated content (REFERENCE Part D): visible text such as "AI生成" in a corner of
// the image, on a contrasting backdrop, its text at least 5 % of the image's shorter side tall.
class VisibleLabel
{
public:
    // The label's text height as a share of the shorter side: above the rule's 5 %, so rounding and the
    // glyphs' own bearings never bring the drawn ink below it.
    static constexpr double kTextHeightShare = 0.06;
    // On small images the share gives unreadable text (and antialiasing eats a pixel): never below this.
    static constexpr double kMinTextPixels = 10.0;

    static QString defaultText(); // "AI生成"
    // CJK-capable font families in order of preference (the set-up script installs them).
    static QStringList cjkFamilies();

    // Draws `text` (defaultText() when empty) in the bottom-right corner of `image` (any format; painted in
    // place) and returns the backdrop's rectangle.
    static QRect draw(QImage *image, const QString &text = QString());
    // The same on any paint device: `area` is the image's rectangle in device coordinates.
    static QRect draw(QPainter *painter, const QRect &area, const QString &text = QString());
};

} // namespace studio::story
