#include "ComicExporter.h"

#include "ComicCbz.h"
#include "ComicLayout.h"
#include "ComicPdf.h"
#include "story/PngMetadata.h"
#include "story/labels/AigcLabel.h"
#include "story/labels/VisibleLabel.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>

namespace studio::story {

namespace {

bool checkTarget(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (info.isSymLink()) {
        *error = QCoreApplication::translate("studio::story::ComicExporter",
                                             "%1 is a symbolic link; refusing to write through it")
                     .arg(path);
        return false;
    }
    if (info.exists() && !info.isFile()) {
        *error = QCoreApplication::translate("studio::story::ComicExporter", "%1 exists and is not a file").arg(path);
        return false;
    }
    return true;
}

std::optional<QString> labelText(const ComicOptions &options)
{
    if (!options.visibleLabel)
        return std::nullopt;
    return options.labelText.trimmed().isEmpty() ? VisibleLabel::defaultText() : options.labelText.trimmed();
}

} // namespace

QString ComicExporter::stripFileName()
{
    return QStringLiteral("comic-strip.png");
}

QString ComicExporter::pdfFileName()
{
    return QStringLiteral("comic.pdf");
}

QString ComicExporter::cbzFileName()
{
    return QStringLiteral("comic.cbz");
}

std::optional<QByteArray> ComicExporter::encodeStrip(const ComicContent &content, const ComicOptions &options,
                                                     int *width, QString *error)
{
    int w = std::max(kMinStripWidth, options.stripWidth);
    std::optional<QByteArray> png;
    for (;;) {
        const QImage strip = ComicLayout::strip(content, w, labelText(options)).convertToFormat(QImage::Format_RGB888);
        png = PngMetadata::encodeRgb8(strip.constBits(), strip.width(), strip.height(), strip.bytesPerLine(),
                                      {AigcLabel::composite(content.title).pngChunk()}, error);
        if (!png || png->size() <= kStripBudgetBytes || w <= kMinStripWidth)
            break;
        w = std::max(kMinStripWidth, int(w * 0.85) / 8 * 8);
    }
    if (width)
        *width = w;
    return png;
}

bool ComicExporter::write(const ComicContent &content, const ComicOptions &options, const QString &dir,
                          QStringList *files, QStringList *warnings, QString *error)
{
    const std::optional<QString> label = labelText(options);
    if (options.strip) {
        const QString path = dir + QLatin1Char('/') + stripFileName();
        int width = 0;
        QString why;
        const std::optional<QByteArray> png = encodeStrip(content, options, &width, &why);
        if (!png) {
            *error = QStringLiteral("%1: %2").arg(path, why);
            return false;
        }
        if (!checkTarget(path, error))
            return false;
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(*png) != png->size() || !file.commit()) {
            *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot write: %2")
                         .arg(path, file.errorString());
            return false;
        }
        if (width != options.stripWidth)
            warnings->append(QCoreApplication::translate("studio::story::ComicExporter",
                                                         "%1 is %2 px wide instead of %3 px, to stay under %4 MB")
                                 .arg(stripFileName())
                                 .arg(width)
                                 .arg(options.stripWidth)
                                 .arg(kStripBudgetBytes / (1024 * 1024)));
        if (png->size() > kStripBudgetBytes)
            warnings->append(QCoreApplication::translate("studio::story::ComicExporter",
                                                         "%1 is %2 MB, more than phones load quickly")
                                 .arg(stripFileName(), QString::number(double(png->size()) / (1024 * 1024), 'f', 1)));
        files->append(stripFileName());
    }
    if (options.pdf) {
        const QString path = dir + QLatin1Char('/') + pdfFileName();
        if (!checkTarget(path, error) || !ComicPdf::write(path, content, options.pdfLayout, label, error))
            return false;
        files->append(pdfFileName());
    }
    if (options.cbz) {
        const QString path = dir + QLatin1Char('/') + cbzFileName();
        if (!checkTarget(path, error) ||
            !ComicCbz::write(path, content, ComicLayout::pages(content, options.pageWidth, label), error))
            return false;
        files->append(cbzFileName());
    }
    return true;
}

} // namespace studio::story
