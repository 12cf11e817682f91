#pragma once

#include "ComicOptions.h"

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QVector>

#include <optional>

namespace studio::story {

// comic.cbz: a zip (stored entries, studio_zip) of the page images in reading order, page-00.png (cover) …
// page-08.png, each labelled as AI-generated (XMP, composite), plus ComicInfo.xml in the Anansi ComicInfo
// schema (v2.0): Title, Summary, Notes (model and LoRA), Writer (the team), PageCount, LanguageISO,
// Manga = No and one Page entry per image.
class ComicCbz
{
public:
    static QString pageName(int index); // "page-00.png"
    static QByteArray comicInfoXml(const ComicContent &content, const QVector<QImage> &pages,
                                   const QVector<qint64> &pageBytes);
    static bool write(const QString &path, const ComicContent &content, const QVector<QImage> &pages,
                      QString *error);
};

} // namespace studio::story
