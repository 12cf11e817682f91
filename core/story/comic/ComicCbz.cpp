#include "ComicCbz.h"

#include "story/PngMetadata.h"
#include "story/labels/AigcLabel.h"
#include "zip/ZipWriter.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QXmlStreamWriter>

namespace studio::story {

QString ComicCbz::pageName(int index)
{
    return QStringLiteral("page-%1.png").arg(index, 2, 10, QLatin1Char('0'));
}

QByteArray ComicCbz::comicInfoXml(const ComicContent &content, const QVector<QImage> &pages,
                                  const QVector<qint64> &pageBytes)
{
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("ComicInfo"));
    w.writeNamespace(QStringLiteral("http://www.w3.org/2001/XMLSchema"), QStringLiteral("xsd"));
    w.writeNamespace(QStringLiteral("http://www.w3.org/2001/XMLSchema-instance"), QStringLiteral("xsi"));
    // The schema is a sequence: the elements keep its order.
    w.writeTextElement(QStringLiteral("Title"), content.title);
    if (!content.summary.isEmpty())
        w.writeTextElement(QStringLiteral("Summary"), content.summary);
    w.writeTextElement(QStringLiteral("Notes"), content.notes);
    if (!content.team.isEmpty())
        w.writeTextElement(QStringLiteral("Writer"), content.team);
    w.writeTextElement(QStringLiteral("PageCount"), QString::number(pages.size()));
    w.writeTextElement(QStringLiteral("LanguageISO"), content.language);
    w.writeTextElement(QStringLiteral("Manga"), QStringLiteral("No"));
    w.writeStartElement(QStringLiteral("Pages"));
    for (int i = 0; i < pages.size(); ++i) {
        w.writeEmptyElement(QStringLiteral("Page"));
        w.writeAttribute(QStringLiteral("Image"), QString::number(i));
        if (i == 0)
            w.writeAttribute(QStringLiteral("Type"), QStringLiteral("FrontCover"));
        w.writeAttribute(QStringLiteral("ImageSize"), QString::number(i < pageBytes.size() ? pageBytes[i] : 0));
        w.writeAttribute(QStringLiteral("ImageWidth"), QString::number(pages[i].width()));
        w.writeAttribute(QStringLiteral("ImageHeight"), QString::number(pages[i].height()));
    }
    w.writeEndElement(); // Pages
    w.writeEndElement(); // ComicInfo
    w.writeEndDocument();
    return xml;
}

bool ComicCbz::write(const QString &path, const ComicContent &content, const QVector<QImage> &pages, QString *error)
{
    zip::ZipWriter archive;
    QVector<qint64> sizes;
    for (int i = 0; i < pages.size(); ++i) {
        const QImage rgb = pages[i].convertToFormat(QImage::Format_RGB888);
        QString why;
        const std::optional<QByteArray> png = PngMetadata::encodeRgb8(
            rgb.constBits(), rgb.width(), rgb.height(), rgb.bytesPerLine(), {AigcLabel::composite().pngChunk()}, &why);
        if (!png) {
            *error = QStringLiteral("%1: page %2: %3").arg(path).arg(i).arg(why);
            return false;
        }
        sizes.append(png->size());
        if (!archive.add(pageName(i).toStdString(), png->constData(), size_t(png->size())))
            break;
    }
    const QByteArray info = comicInfoXml(content, pages, sizes);
    archive.add("ComicInfo.xml", info.constData(), size_t(info.size()));
    const std::vector<uint8_t> bytes = archive.finish();
    if (bytes.empty()) {
        *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(archive.error()));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(reinterpret_cast<const char *>(bytes.data()), qint64(bytes.size())) != qint64(bytes.size()) ||
        !file.commit()) {
        *error = QCoreApplication::translate("studio::story::ComicExporter", "%1: cannot write: %2")
                     .arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace studio::story
