#pragma once

#include "ComicOptions.h"

#include <QString>
#include <QStringList>

namespace studio::story {

// Writes the chosen comic outputs into `dir` (which exists): comic-strip.png, comic.pdf, comic.cbz.
// Every image carries the implicit label (AigcLabel, composite, one ProduceID per file); the explicit
// label is drawn when options.visibleLabel. Refuses to write through a symbolic link.
class ComicExporter
{
public:
    static constexpr qint64 kStripBudgetBytes = 6 * 1024 * 1024; // "a few MB": what a phone loads quickly
    // Half the preferred width still fills a phone (360-430 CSS px wide) sharply; below it captions get small.
    static constexpr int kMinStripWidth = 540;

    static QString stripFileName(); // comic-strip.png
    static QString pdfFileName();   // comic.pdf
    static QString cbzFileName();   // comic.cbz

    // Appends the names it wrote to `files` and notes (e.g. a narrower strip) to `warnings`.
    static bool write(const ComicContent &content, const ComicOptions &options, const QString &dir, QStringList *files,
                      QStringList *warnings, QString *error);

    // The strip PNG (with its XMP label): at options.stripWidth, or narrower (down to kMinStripWidth) when the
    // PNG would exceed kStripBudgetBytes. `width` receives the width used.
    static std::optional<QByteArray> encodeStrip(const ComicContent &content, const ComicOptions &options,
                                                 int *width, QString *error);
};

} // namespace studio::story
