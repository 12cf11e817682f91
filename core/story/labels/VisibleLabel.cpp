#include "VisibleLabel.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

#include <cmath>

namespace studio::story {

QString VisibleLabel::defaultText()
{
    return QStringLiteral("AI生成");
}

QStringList VisibleLabel::cjkFamilies()
{
    // WenQuanYi Micro Hei is TrueType (glyf outlines), which Qt's PDF writer embeds as real text; the Noto CJK
    // fonts are CFF-based. Both cover simplified Chinese.
    return {QStringLiteral("WenQuanYi Micro Hei"), QStringLiteral("Noto Sans CJK SC"),
            QStringLiteral("Noto Sans SC"), QStringLiteral("Source Han Sans SC"), QStringLiteral("Microsoft YaHei"),
            QStringLiteral("PingFang SC"), QStringLiteral("sans-serif")};
}

QRect VisibleLabel::draw(QImage *image, const QString &text)
{
    if (!image || image->isNull())
        return {};
    QPainter painter(image);
    return draw(&painter, image->rect(), text);
}

QRect VisibleLabel::draw(QPainter *painter, const QRect &area, const QString &text)
{
    const QString label = text.trimmed().isEmpty() ? defaultText() : text.trimmed();
    const double shorter = std::min(area.width(), area.height());
    const double wanted = std::max(kMinTextPixels, shorter * kTextHeightShare);

    QFont font;
    font.setFamilies(cjkFamilies());
    font.setBold(true);
    font.setPixelSize(std::max(1, int(std::ceil(wanted))));
    // The ink of the glyphs (not the font's line height) is what a reader sees: grow the font until the
    // tight bounding box of the text is at least `wanted` tall.
    for (int i = 0; i < 8; ++i) {
        const QRectF ink = QFontMetricsF(font, painter->device()).tightBoundingRect(label);
        if (ink.height() >= wanted || ink.height() <= 0)
            break;
        font.setPixelSize(int(std::ceil(font.pixelSize() * wanted / ink.height())) + 1);
    }
    const QFontMetricsF metrics(font, painter->device());
    const QRectF ink = metrics.tightBoundingRect(label);
    const double padding = std::max(2.0, ink.height() * 0.35);
    const double margin = std::max(2.0, shorter * 0.02);
    const QSizeF box(ink.width() + 2 * padding, ink.height() + 2 * padding);
    const QRectF backdrop(area.right() + 1 - margin - box.width(), area.bottom() + 1 - margin - box.height(),
                          box.width(), box.height());

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 200)); // dark and nearly opaque: white text reads on any picture
    painter->drawRoundedRect(backdrop, padding * 0.6, padding * 0.6);
    painter->setPen(Qt::white);
    painter->setFont(font);
    // Place the baseline so the ink box sits inside the padding.
    const QPointF baseline(backdrop.left() + padding - ink.left(), backdrop.top() + padding - ink.top());
    painter->drawText(baseline, label);
    painter->restore();
    return backdrop.toAlignedRect();
}

} // namespace studio::story
