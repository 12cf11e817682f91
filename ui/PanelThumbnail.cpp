#include "PanelThumbnail.h"

#include <QContextMenuEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextOption>

namespace studio::ui {

namespace {
QColor badgeColor(PanelState state)
{
    switch (state) {
    case PanelState::Empty:
        return QColor(0x8a, 0x8f, 0x98);
    case PanelState::HasImage:
        return QColor(0x3b, 0x7d, 0xd8);
    case PanelState::Queued:
        return QColor(0xd9, 0x8e, 0x04);
    case PanelState::Running:
        return QColor(0x7c, 0x4d, 0xff);
    case PanelState::Done:
        return QColor(0x2e, 0x9d, 0x5b);
    case PanelState::Failed:
        return QColor(0xd6, 0x3a, 0x3a);
    case PanelState::Cancelled:
        return QColor(0x5f, 0x63, 0x6b);
    }
    return Qt::gray;
}
} // namespace

PanelThumbnail::PanelThumbnail(int panel, QWidget *parent) : QWidget(parent), m_panel(panel)
{
    setObjectName(QStringLiteral("panelThumb%1").arg(panel + 1));
    setFocusPolicy(Qt::NoFocus);
    setCursor(Qt::PointingHandCursor);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAcceptDrops(true); // drop a PNG to take over its prompt, seed and settings
    updateAccessibleText();
}

QString PanelThumbnail::droppedImagePath(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1)
        return {};
    const QUrl url = mime->urls().constFirst();
    if (!url.isLocalFile())
        return {};
    const QString path = url.toLocalFile();
    return QFileInfo(path).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0 ? path : QString();
}

void PanelThumbnail::setScore(std::optional<double> score, double threshold)
{
    if (m_score == score && m_threshold == threshold)
        return;
    m_score = score;
    m_threshold = threshold;
    update();
}

void PanelThumbnail::setNote(const QString &note)
{
    if (m_note == note)
        return;
    m_note = note;
    updateToolTip();
}

void PanelThumbnail::updateToolTip()
{
    QString tip = m_prompt;
    if (!m_caption.trimmed().isEmpty())
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n\n")) + m_caption.trimmed();
    if (!m_note.isEmpty())
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n\n")) + m_note;
    setToolTip(tip);
}

void PanelThumbnail::contextMenuEvent(QContextMenuEvent *event)
{
    Q_EMIT contextMenuRequested(m_panel, event->globalPos());
    event->accept();
}

void PanelThumbnail::dragEnterEvent(QDragEnterEvent *event)
{
    if (droppedImagePath(event->mimeData()).isEmpty())
        return;
    event->acceptProposedAction();
    m_dropTarget = true;
    update();
}

void PanelThumbnail::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_dropTarget = false;
    update();
    QWidget::dragLeaveEvent(event);
}

void PanelThumbnail::dropEvent(QDropEvent *event)
{
    m_dropTarget = false;
    update();
    const QString path = droppedImagePath(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT imageDropped(m_panel, path);
}

void PanelThumbnail::setImage(const QImage &image)
{
    m_image = image;
    update();
}

void PanelThumbnail::setPrompt(const QString &prompt)
{
    if (m_prompt == prompt)
        return;
    m_prompt = prompt;
    updateToolTip();
    update();
}

void PanelThumbnail::setCaption(const QString &caption)
{
    if (m_caption == caption)
        return;
    m_caption = caption;
    updateToolTip();
    update();
}

void PanelThumbnail::setState(PanelState state)
{
    if (m_state == state)
        return;
    m_state = state;
    updateAccessibleText();
    update();
}

void PanelThumbnail::setSelected(bool selected)
{
    if (m_selected == selected)
        return;
    m_selected = selected;
    update();
}

void PanelThumbnail::setProgress(double fraction)
{
    m_progress = fraction < 0 ? -1.0 : qMin(1.0, fraction);
    update();
}

void PanelThumbnail::setPreview(const QImage &preview)
{
    m_preview = preview;
    update();
}

QSize PanelThumbnail::sizeHint() const
{
    return {220, 220};
}

QSize PanelThumbnail::minimumSizeHint() const
{
    return {80, 80};
}

void PanelThumbnail::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);

    const QRectF frame = QRectF(rect()).adjusted(2, 2, -2, -2);
    QPainterPath framePath;
    framePath.addRoundedRect(frame, 8, 8);
    p.fillPath(framePath, palette().color(QPalette::Base));

    const QImage &shown = m_preview.isNull() ? m_image : m_preview;
    QRectF inner = frame.adjusted(4, 4, -4, -4);
    // The caption takes one line under the image, beside the state badge.
    const QString caption = m_caption.simplified();
    QRectF captionRect;
    if (!caption.isEmpty()) {
        const qreal lineHeight = QFontMetricsF(font()).height() + 6;
        captionRect = QRectF(inner.left() + 4, inner.bottom() - lineHeight, inner.width() - 8, lineHeight);
        inner.setBottom(captionRect.top() - 2);
    }
    if (!shown.isNull()) {
        QSizeF size = shown.size();
        size.scale(inner.size(), Qt::KeepAspectRatio);
        const QRectF target(inner.center() - QPointF(size.width() / 2, size.height() / 2), size);
        p.save();
        p.setClipPath(framePath);
        p.drawImage(target, shown);
        p.restore();
    } else {
        // No image yet: show what the panel is about, so the board reads like a script.
        QPen dashed(palette().color(QPalette::Mid), 1.2, Qt::DashLine);
        p.setPen(dashed);
        p.drawRoundedRect(inner, 6, 6);
        p.setPen(palette().color(QPalette::PlaceholderText));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.95);
        p.setFont(f);
        QTextOption option(Qt::AlignCenter);
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        const QString text = m_prompt.trimmed().isEmpty() ? tr("No prompt yet") : m_prompt.trimmed();
        const QRectF textRect = inner.adjusted(14, 34, -14, -34);
        // Keep long prompts inside the cell: cut to what roughly fits, then let the painter wrap.
        const int maxChars =
            qMax(20, int(textRect.width() * textRect.height() / (f.pointSizeF() * f.pointSizeF() * 2.2)));
        p.drawText(textRect, text.size() > maxChars ? text.left(maxChars - 1) + QChar(0x2026) : text, option);
    }

    if (!caption.isEmpty()) {
        // Leave room for the state badge at the bottom right.
        QFont badgeFont = font();
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
        badgeFont.setBold(true);
        const qreal badgeWidth = QFontMetricsF(badgeFont).horizontalAdvance(panelStateLabel(m_state)) + 24;
        const QRectF textRect = captionRect.adjusted(0, 0, -badgeWidth, 0);
        p.setPen(palette().color(QPalette::Text));
        p.setFont(font());
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(font()).elidedText(caption, Qt::ElideRight, textRect.width()));
    }

    // Panel number, top left.
    {
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        const QRectF badge(frame.left() + 8, frame.top() + 8, 26, 26);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 150));
        p.drawEllipse(badge);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, QString::number(m_panel + 1));
    }

    // State badge, bottom right.
    {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        f.setBold(true);
        p.setFont(f);
        const QString label = panelStateLabel(m_state);
        const QFontMetricsF fm(f);
        const qreal w = fm.horizontalAdvance(label) + 16;
        const qreal h = fm.height() + 6;
        const QRectF badge(frame.right() - 8 - w, frame.bottom() - 8 - h, w, h);
        p.setPen(Qt::NoPen);
        p.setBrush(badgeColor(m_state));
        p.drawRoundedRect(badge, h / 2, h / 2);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, label);
    }

    // Aesthetic score, top right: green at or above the threshold, red below.
    if (m_score) {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        f.setBold(true);
        p.setFont(f);
        const QString label = QString::number(*m_score, 'f', 2);
        const QFontMetricsF fm(f);
        const qreal w = fm.horizontalAdvance(label) + 14;
        const qreal h = fm.height() + 6;
        const QRectF badge(frame.right() - 8 - w, frame.top() + 8, w, h);
        p.setPen(Qt::NoPen);
        p.setBrush(*m_score >= m_threshold ? QColor(0x2e, 0x9d, 0x5b) : QColor(0xd6, 0x3a, 0x3a));
        p.drawRoundedRect(badge, h / 2, h / 2);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, label);
    }

    if (m_progress >= 0) {
        const QRectF track(frame.left() + 8, frame.bottom() - 4, frame.width() - 16, 3);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 60));
        p.drawRect(track);
        p.setBrush(badgeColor(PanelState::Running));
        p.drawRect(QRectF(track.topLeft(), QSizeF(track.width() * m_progress, track.height())));
    }

    if (m_dropTarget) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(palette().color(QPalette::Highlight), 3, Qt::DashLine));
        p.drawRoundedRect(frame.adjusted(1.5, 1.5, -1.5, -1.5), 7, 7);
    } else if (m_selected) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(palette().color(QPalette::Highlight), 3));
        p.drawRoundedRect(frame.adjusted(1.5, 1.5, -1.5, -1.5), 7, 7);
    } else {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.drawRoundedRect(frame, 8, 8);
    }
}

void PanelThumbnail::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT clicked(m_panel);
    QWidget::mousePressEvent(event);
}

void PanelThumbnail::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT activated(m_panel);
    QWidget::mouseDoubleClickEvent(event);
}

void PanelThumbnail::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        updateAccessibleText();
        update();
    }
    QWidget::changeEvent(event);
}

void PanelThumbnail::updateAccessibleText()
{
    //: %1 is the panel number 1..8, %2 its state ("Empty", "Rendering", ...)
    setAccessibleName(tr("Panel %1: %2", "storyboard panel").arg(m_panel + 1).arg(panelStateLabel(m_state)));
}

} // namespace studio::ui
