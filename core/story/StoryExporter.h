#pragma once

#include "LoraCard.h"
#include "Project.h"
#include "comic/ComicOptions.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace studio::story {

struct ExportOptions
{
    // Adds the implicit "AI-generated" label (XMP, REFERENCE Part D) to every exported PNG.
    bool aigcLabel = true;
    // Draws the explicit label (VisibleLabel, "AI生成") on grid.png and the panels too. Off by default: the
    // challenge judges the pictures themselves. The comic outputs have their own switch (comic.visibleLabel).
    bool visibleLabel = false;
    QString visibleLabelText; // empty: VisibleLabel::defaultText()
    // Reader-ready outputs written after the submission (ComicExporter); none by default.
    ComicOptions comic;
    // Called before each step; return false to cancel (the export then fails with "cancelled").
    std::function<bool(int step, int steps, const QString &what)> progress;
    // The panels' aesthetic scores, when the studio has them: recorded on the card, and a mean below the
    // threshold adds a warning to the report (the export itself goes on).
    std::optional<LoraCard::AestheticScores> aestheticScores;
    // Fills the LoRA facts only the engine can read (rank, alpha, convention, effective scale at `scale`);
    // bridge::completeLoraFacts in builds with the engine. A refusal becomes a warning and the card says
    // "not yet determined" for those facts.
    std::function<bool(const QString &path, double scale, LoraFacts *facts, QString *error)> completeLoraFacts;
};

struct ExportReport
{
    QStringList files;    // written files, relative to the output folder, in writing order
    QStringList warnings; // e.g. "no LoRA file is set"
};

// Writes the challenge submission of a story into a folder:
//   grid.png                 1024x2048: the panels resized to 512x512 (area interpolation), 2 columns x 4
//                            rows, row by row (panel 1 top left, panel 2 top right, ...)
//   panels/01.png … 08.png   each chosen image at full size, with the A1111 "parameters" chunk and our
//                            "storyboard_studio" JSON chunk (PanelMetadata)
//   README.md                the LoRA card (LoraCard)
//   configuration.json       {"framework":"Pytorch","task":"text-to-image-synthesis"}
//   <LoRA file>              a copy of the story's LoRA, when it has one
//   story.json               the story, pointing at panels/NN.png, so the folder reopens in the studio
//   comic-strip.png, comic.pdf, comic.cbz   when ExportOptions::comic asks for them (ComicExporter)
//
// The implicit label: each panel PNG is "trainedAlgorithmicMedia", grid.png a composite; every file gets a
// ProduceID of its own.
//
// Refuses (naming the panels) when a panel has no chosen image or its file is missing or unreadable,
// before writing anything. Only writes those names inside the output folder: it refuses to follow a
// symbolic link there, and the LoRA's file name is sanitised. Every file is written atomically.
class StoryExporter
{
public:
    static constexpr int kTileSize = 512;
    static constexpr int kGridColumns = 2;
    static constexpr int kGridRows = 4;

    static bool exportStory(const Project &project, const QString &projectDir, const QString &outDir, QString *error);
    static bool exportStory(const Project &project, const QString &projectDir, const QString &outDir,
                            const ExportOptions &options, ExportReport *report, QString *error);

    // The file name the LoRA gets in the output folder: its own name made safe on every platform and
    // kept clear of the names above.
    static QString loraFileName(const QString &loraPath);
    // The exact content of configuration.json.
    static QByteArray configurationJson();
};

} // namespace studio::story
