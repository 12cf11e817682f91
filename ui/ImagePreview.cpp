#include "ImagePreview.h"

#include <QPainter>
#include <QPainterPath>

namespace studio::ui {

ImagePreview::ImagePreview(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("panelPreview"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ImagePreview::setImage(const QImage &image)
{
    m_image = image;
    update();
}

void ImagePreview::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    update();
}

void ImagePreview::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    const int edge = qMin(width(), height());
    const QRectF square((width() - edge) / 2.0, 0, edge, edge);
    QPainterPath frame;
    frame.addRoundedRect(square.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    p.fillPath(frame, palette().color(QPalette::Base));
    if (!m_image.isNull()) {
        QSizeF size = m_image.size();
        size.scale(square.size(), Qt::KeepAspectRatio);
        const QRectF target(square.center() - QPointF(size.width() / 2, size.height() / 2), size);
        p.save();
        p.setClipPath(frame);
        p.drawImage(target, m_image);
        p.restore();
    } else {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(square.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    }
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawPath(frame);
}

} // namespace studio::ui
