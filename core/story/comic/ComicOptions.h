#pragma once

#include "story/Project.h"

#include <QImage>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace studio::story {

// Which reader-ready outputs an export writes next to the submission (all off by default).
struct ComicOptions
{
    enum class PdfLayout
    {
        Grid,         // one page: the title and the 8 panels in the challenge's 2x4 order
        PanelPerPage, // 8 pages: one panel with its caption on each
    };

    bool pdf = false;   // comic.pdf
    bool cbz = false;   // comic.cbz
    bool strip = false; // comic-strip.png
    PdfLayout pdfLayout = PdfLayout::Grid;
    // The explicit "AI生成" label in a corner of every comic image and PDF page.
    bool visibleLabel = false;
    QString labelText;      // empty: VisibleLabel::defaultText()
    int stripWidth = 1080;  // pixels: the width phones show a vertical strip at
    int pageWidth = 1080;   // pixels: CBZ page images

    bool any() const { return pdf || cbz || strip; }

    // "pdf,cbz,strip" (any subset, any order, case-insensitive); refuses unknown names.
    static std::optional<ComicOptions> fromFormatList(const QString &list, QString *error);
    static std::optional<PdfLayout> pdfLayoutFromName(const QString &name); // "grid" or "pages"
};

// What the comic outputs show, gathered from the story by fromProject().
struct ComicContent
{
    QString title;
    QString team;
    QString summary;  // the captions, one per line
    QString notes;    // which model and LoRA made the pictures
    QString language; // ISO 639-1: "zh" when the title or a caption is Chinese, else "en"
    std::array<QImage, kPanelCount> panels;
    std::array<QString, kPanelCount> captions;

    // `loraName`: the LoRA's file name as exported (empty when the story has none).
    static ComicContent fromProject(const Project &project, const std::array<QImage, kPanelCount> &panels,
                                    const QString &loraName);
};

} // namespace studio::story
