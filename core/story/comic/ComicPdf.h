#pragma once

#include "ComicOptions.h"

#include <QString>

#include <optional>

namespace studio::story {

// comic.pdf with Qt's PDF writer (QPdfWriter, A4 portrait, 300 dpi): the title and the panels with their
// captions, either all on one page in the challenge's 2x4 order or one panel per page. Text is real text in
// an embedded CJK font (pdftotext gets it back); the document's XMP metadata carries the implicit AI label
// (AigcLabel, composite). Written atomically.
class ComicPdf
{
public:
    static constexpr int kResolution = 300; // dots per inch

    static bool write(const QString &path, const ComicContent &content, ComicOptions::PdfLayout layout,
                      const std::optional<QString> &label, QString *error);
};

} // namespace studio::story
