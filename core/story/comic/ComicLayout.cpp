#include "ComicLayout.h"

#include "story/labels/VisibleLabel.h"

#include <QFontMetricsF>
#include <QPainter>

#include <cmath>

namespace studio::story {

namespace {

const QColor kPaper(0xff, 0xfd, 0xf8);
const QColor kInk(0x22, 0x22, 0x22);
const QColor kMutedInk(0x66, 0x66, 0x66);
constexpr int kTextFlags = Qt::TextWordWrap | Qt::AlignHCenter | Qt::AlignTop;

QImage blankPage(int width, int height)
{
    QImage image(width, std::max(1, height), QImage::Format_RGB32);
    image.fill(kPaper);
    return image;
}

QSizeF fitted(const QImage &image, qreal width, qreal maxHeight)
{
    if (image.isNull())
        return {width, std::min(width, maxHeight)};
    QSizeF size = image.size();
    size.scale(width, maxHeight, Qt::KeepAspectRatio);
    return size;
}

} // namespace

QFont ComicLayout::font(int pixelSize, bool bold)
{
    QFont f;
    f.setFamilies(VisibleLabel::cjkFamilies());
    f.setPixelSize(std::max(1, pixelSize));
    f.setBold(bold);
    f.setStyleStrategy(QFont::PreferAntialias);
    return f;
}

qreal ComicLayout::textHeight(const QString &text, const QFont &font, qreal width, QPaintDevice *device)
{
    if (text.trimmed().isEmpty())
        return 0;
    const QFontMetricsF metrics = device ? QFontMetricsF(font, device) : QFontMetricsF(font);
    return metrics.boundingRect(QRectF(0, 0, width, 1e7), kTextFlags, text).height();
}

qreal ComicLayout::paintTitle(QPainter *painter, const ComicContent &content, qreal left, qreal top, qreal width,
                              qreal titlePixels, QPaintDevice *device)
{
    const QFont titleFont = font(int(std::round(titlePixels)), true);
    const QFont teamFont = font(int(std::round(titlePixels * 0.5)));
    qreal y = top;
    const QString title = content.title.isEmpty() ? QStringLiteral(" ") : content.title;
    const qreal titleHeight = textHeight(title, titleFont, width, device);
    if (painter) {
        painter->setFont(titleFont);
        painter->setPen(kInk);
        painter->drawText(QRectF(left, y, width, titleHeight), kTextFlags, title);
    }
    y += titleHeight;
    if (!content.team.isEmpty()) {
        y += titlePixels * 0.25;
        const qreal teamHeight = textHeight(content.team, teamFont, width, device);
        if (painter) {
            painter->setFont(teamFont);
            painter->setPen(kMutedInk);
            painter->drawText(QRectF(left, y, width, teamHeight), kTextFlags, content.team);
        }
        y += teamHeight;
    }
    return y;
}

qreal ComicLayout::paintPanel(QPainter *painter, const QImage &image, const QString &caption, qreal left, qreal top,
                              qreal width, qreal maxHeight, const QFont &captionFont, QPaintDevice *device)
{
    const QSizeF size = fitted(image, width, maxHeight);
    const QRectF target(left + (width - size.width()) / 2, top, size.width(), size.height());
    if (painter && !image.isNull()) {
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(target, image);
    }
    qreal y = target.bottom();
    if (!caption.trimmed().isEmpty()) {
        y += captionFont.pixelSize() * 0.6;
        const qreal height = textHeight(caption, captionFont, width, device);
        if (painter) {
            painter->setFont(captionFont);
            painter->setPen(kInk);
            painter->drawText(QRectF(left, y, width, height), kTextFlags, caption);
        }
        y += height;
    }
    return y;
}

QImage ComicLayout::strip(const ComicContent &content, int width, const std::optional<QString> &label)
{
    const qreal margin = std::round(width * 0.04);
    const qreal inner = width - 2 * margin;
    const qreal gap = std::round(width * 0.06);
    const QFont captionFont = font(int(std::round(width * 0.036)));
    const qreal titlePixels = width * 0.06;

    // Measure, then paint the same steps.
    auto layout = [&](QPainter *painter) {
        qreal y = paintTitle(painter, content, margin, margin, inner, titlePixels) + gap;
        for (int i = 0; i < kPanelCount; ++i)
            y = paintPanel(painter, content.panels[size_t(i)], content.captions[size_t(i)], margin, y, inner,
                           inner * 2, captionFont) +
                gap;
        return y;
    };
    const qreal labelRoom = label ? width * 0.15 : 0; // keeps the corner label clear of the last caption
    QImage image = blankPage(width, int(std::ceil(layout(nullptr) + labelRoom)));
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        layout(&painter);
    }
    if (label)
        VisibleLabel::draw(&image, *label);
    return image;
}

QVector<QImage> ComicLayout::pages(const ComicContent &content, int width, const std::optional<QString> &label)
{
    const qreal margin = std::round(width * 0.05);
    const qreal inner = width - 2 * margin;
    const QFont captionFont = font(int(std::round(width * 0.04)));
    const qreal labelRoom = label ? width * 0.15 : 0;
    QVector<QImage> result;

    // Cover: the title and the whole story at a glance, 2 columns x 4 rows as in the challenge grid.
    {
        const qreal gap = std::round(width * 0.02);
        const qreal cell = (inner - gap) / 2;
        const qreal titleBottom = paintTitle(nullptr, content, margin, margin, inner, width * 0.07);
        const qreal gridTop = titleBottom + margin;
        QImage cover = blankPage(width, int(std::ceil(gridTop + 4 * cell + 3 * gap + margin + labelRoom)));
        QPainter painter(&cover);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        paintTitle(&painter, content, margin, margin, inner, width * 0.07);
        for (int i = 0; i < kPanelCount; ++i) {
            const qreal x = margin + (i % 2) * (cell + gap);
            const qreal y = gridTop + (i / 2) * (cell + gap);
            paintPanel(&painter, content.panels[size_t(i)], QString(), x, y, cell, cell, captionFont);
        }
        painter.end();
        result.append(cover);
    }
    for (int i = 0; i < kPanelCount; ++i) {
        const QImage &panel = content.panels[size_t(i)];
        const QString &caption = content.captions[size_t(i)];
        const qreal bottom = paintPanel(nullptr, panel, caption, margin, margin, inner, inner * 2, captionFont);
        QImage page = blankPage(width, int(std::ceil(bottom + margin + labelRoom)));
        QPainter painter(&page);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        paintPanel(&painter, panel, caption, margin, margin, inner, inner * 2, captionFont);
        painter.end();
        result.append(page);
    }
    if (label) {
        for (QImage &page : result)
            VisibleLabel::draw(&page, *label);
    }
    return result;
}

} // namespace studio::story
