#include "ComicPdf.h"

#include "ComicLayout.h"
#include "story/PanelMetadata.h"
#include "story/labels/AigcLabel.h"
#include "story/labels/VisibleLabel.h"

#include <QCoreApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

#include <cmath>

namespace studio::story {

namespace {

// One page: the title, then the 8 panels in 2 columns x 4 rows, each with its caption beneath.
void paintGridPage(QPainter &painter, QPdfWriter &writer, const ComicContent &content, const QRect &page)
{
    const qreal gap = page.width() * 0.03;
    const qreal titleBottom = ComicLayout::paintTitle(&painter, content, page.left(), page.top(), page.width(),
                                                      page.width() * 0.045, &writer);
    const QFont captionFont = ComicLayout::font(int(std::round(page.width() * 0.016)));
    const qreal columnWidth = (page.width() - gap) / 2;
    // The tallest caption decides the room under every image, so the rows line up.
    qreal captionRoom = 0;
    for (const QString &caption : content.captions)
        captionRoom = std::max(captionRoom, ComicLayout::textHeight(caption, captionFont, columnWidth, &writer));
    if (captionRoom > 0)
        captionRoom += captionFont.pixelSize() * 0.6;
    const qreal top = titleBottom + gap;
    const qreal rowHeight = (page.bottom() - top - 3 * gap) / 4;
    const qreal imageHeight = std::max<qreal>(rowHeight - captionRoom, rowHeight * 0.5);
    for (int i = 0; i < kPanelCount; ++i) {
        const qreal x = page.left() + (i % 2) * (columnWidth + gap);
        const qreal y = top + (i / 2) * (rowHeight + gap);
        ComicLayout::paintPanel(&painter, content.panels[size_t(i)], content.captions[size_t(i)], x, y, columnWidth,
                                imageHeight, captionFont, &writer);
    }
}

// Page `index`: the title (smaller after the first page), the panel as large as fits, its caption.
void paintPanelPage(QPainter &painter, QPdfWriter &writer, const ComicContent &content, const QRect &page, int index)
{
    const qreal titlePixels = page.width() * (index == 0 ? 0.05 : 0.025);
    const qreal titleBottom =
        ComicLayout::paintTitle(&painter, content, page.left(), page.top(), page.width(), titlePixels, &writer);
    const QFont captionFont = ComicLayout::font(int(std::round(page.width() * 0.03)));
    const QString &caption = content.captions[size_t(index)];
    const qreal captionRoom = caption.trimmed().isEmpty()
                                  ? 0
                                  : ComicLayout::textHeight(caption, captionFont, page.width(), &writer) +
                                        captionFont.pixelSize() * 0.6;
    const qreal top = titleBottom + page.width() * 0.04;
    const qreal imageHeight = std::max<qreal>(page.bottom() - top - captionRoom, page.height() * 0.3);
    ComicLayout::paintPanel(&painter, content.panels[size_t(index)], caption, page.left(), top, page.width(),
                            imageHeight, captionFont, &writer);
}

} // namespace

bool ComicPdf::write(const QString &path, const ComicContent &content, ComicOptions::PdfLayout layout,
                     const std::optional<QString> &label, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot write: %2")
                     .arg(path, file.errorString());
        return false;
    }
    {
        QPdfWriter writer(&file);
        writer.setResolution(kResolution);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(12, 12, 12, 12),
                                         QPageLayout::Millimeter));
        writer.setTitle(content.title);
        writer.setCreator(QStringLiteral("Storyboard Studio ") + PanelMetadata::appVersion());
        writer.setDocumentXmpMetadata(AigcLabel::composite(content.title).xmpPacket().toUtf8());

        QPainter painter;
        if (!painter.begin(&writer)) {
            *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot start the PDF").arg(path);
            return false;
        }
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        const QRect page = writer.pageLayout().paintRectPixels(kResolution).translated(
            -writer.pageLayout().paintRectPixels(kResolution).topLeft());
        const int pageCount = layout == ComicOptions::PdfLayout::Grid ? 1 : kPanelCount;
        for (int i = 0; i < pageCount; ++i) {
            if (i > 0 && !writer.newPage()) {
                *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot add a page").arg(path);
                return false;
            }
            if (layout == ComicOptions::PdfLayout::Grid)
                paintGridPage(painter, writer, content, page);
            else
                paintPanelPage(painter, writer, content, page, i);
            if (label)
                VisibleLabel::draw(&painter, page, *label);
        }
        painter.end();
    }
    if (!file.commit()) {
        *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot write: %2")
                     .arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace studio::story
