#include "StoryExporter.h"

#include "A1111Parameters.h"
#include "ImageIo.h"
#include "LoraCard.h"
#include "LoraFacts.h"
#include "PanelMetadata.h"
#include "ProjectFile.h"
#include "ProjectPaths.h"
#include "StoryValidator.h"
#include "comic/ComicExporter.h"
#include "labels/AigcLabel.h"
#include "labels/VisibleLabel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <opencv2/imgproc.hpp>

#include <array>
#include <vector>

namespace studio::story {

namespace {

const QStringList &reservedNames()
{
    static const QStringList names = {QStringLiteral("grid.png"), QStringLiteral("panels"), QStringLiteral("README.md"),
                                      QStringLiteral("configuration.json"), QStringLiteral("story.json"),
                                      ComicExporter::stripFileName(), ComicExporter::pdfFileName(),
                                      ComicExporter::cbzFileName()};
    return names;
}

QString panelFileName(int index)
{
    return QStringLiteral("panels/%1.png").arg(index + 1, 2, 10, QLatin1Char('0'));
}

// Refuses to write through a symbolic link or over a folder: QSaveFile would follow a link and write
// wherever it points.
bool checkTarget(const QString &path, QString *why)
{
    const QFileInfo info(path);
    if (info.isSymLink()) {
        *why = QCoreApplication::translate("studio::story::StoryExporter",
                                           "%1 is a symbolic link; refusing to write through it")
                   .arg(path);
        return false;
    }
    if (info.exists() && !info.isFile()) {
        *why = QCoreApplication::translate("studio::story::StoryExporter", "%1 exists and is not a file").arg(path);
        return false;
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    if (!checkTarget(path, error))
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot write: %2")
                     .arg(path, file.errorString());
        return false;
    }
    return true;
}

bool copyFile(const QString &from, const QString &to, QString *error)
{
    if (!checkTarget(to, error))
        return false;
    const QString fromCanonical = QFileInfo(from).canonicalFilePath();
    if (!fromCanonical.isEmpty() && fromCanonical == QFileInfo(to).canonicalFilePath())
        return true; // exporting into the folder that already holds the LoRA
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot read: %2")
                     .arg(from, in.errorString());
        return false;
    }
    QSaveFile out(to);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot write: %2")
                     .arg(to, out.errorString());
        return false;
    }
    while (!in.atEnd()) {
        const QByteArray chunk = in.read(4 * 1024 * 1024);
        if (chunk.isEmpty() && in.error() != QFileDevice::NoError) {
            *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot read: %2")
                         .arg(from, in.errorString());
            return false;
        }
        if (out.write(chunk) != chunk.size()) {
            *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot write: %2")
                         .arg(to, out.errorString());
            return false;
        }
    }
    if (!out.commit()) {
        *error = QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot write: %2")
                     .arg(to, out.errorString());
        return false;
    }
    return true;
}

QString panelList(const QVector<int> &panels)
{
    QStringList numbers;
    for (int p : panels)
        numbers.append(QString::number(p + 1));
    return (panels.size() == 1 ? QCoreApplication::translate("studio::story::StoryExporter", "panel %1")
                               : QCoreApplication::translate("studio::story::StoryExporter", "panels %1"))
        .arg(numbers.join(QStringLiteral(", ")));
}

cv::Mat composeGrid(const std::array<cv::Mat, kPanelCount> &panels)
{
    const int tile = StoryExporter::kTileSize;
    cv::Mat grid(tile * StoryExporter::kGridRows, tile * StoryExporter::kGridColumns, CV_8UC3, cv::Scalar::all(0));
    for (int i = 0; i < kPanelCount; ++i) {
        const int row = i / StoryExporter::kGridColumns;
        const int column = i % StoryExporter::kGridColumns;
        cv::Mat target = grid(cv::Rect(column * tile, row * tile, tile, tile));
        cv::resize(panels[size_t(i)], target, cv::Size(tile, tile), 0, 0, cv::INTER_AREA);
    }
    return grid;
}

// A copy of an 8-bit BGR image as a QImage (for painting and for the comic layout).
QImage toQImage(const cv::Mat &bgr)
{
    return QImage(bgr.data, bgr.cols, bgr.rows, qsizetype(bgr.step[0]), QImage::Format_BGR888)
        .convertToFormat(QImage::Format_RGB32);
}

// Writes a submission image, with the explicit label drawn on a copy when asked.
bool writeImage(const QString &path, const cv::Mat &bgr, const QVector<PngTextChunk> &chunks,
                const ExportOptions &options, QString *error)
{
    if (!checkTarget(path, error))
        return false;
    if (!options.visibleLabel)
        return ImageIo::writePng(path, bgr, chunks, error);
    QImage image = toQImage(bgr);
    VisibleLabel::draw(&image, options.visibleLabelText);
    return PngMetadata::writeImage(path, image, chunks, error);
}

// The story as it is saved next to the export: each panel points at its exported PNG.
Project exportedProject(const Project &project, const QString &loraName)
{
    Project copy = project;
    copy.modelFolder.clear(); // machine-specific absolute path: not for publication
    copy.lora.path = loraName;
    for (int i = 0; i < kPanelCount; ++i) {
        Panel &panel = copy.panels[size_t(i)];
        PanelVariant variant = *project.panels[size_t(i)].chosen();
        variant.path = panelFileName(i);
        panel.variants = {variant};
        panel.chosenVariant = 0;
    }
    return copy;
}

} // namespace

QByteArray StoryExporter::configurationJson()
{
    return QByteArrayLiteral("{\"framework\":\"Pytorch\",\"task\":\"text-to-image-synthesis\"}");
}

QString StoryExporter::loraFileName(const QString &loraPath)
{
    // The last component of either separator style, then only characters that are safe everywhere.
    QString name = loraPath.section(QRegularExpression(QStringLiteral("[/\\\\]")), -1);
    name.replace(QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f<>:\"|?*]")), QStringLiteral("_"));
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char(' ')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('.')) || name.endsWith(QLatin1Char(' ')))
        name.chop(1);
    if (name.isEmpty())
        name = QStringLiteral("lora.safetensors");
    QString why;
    if (!ProjectPaths::isSafeRelativePath(name, &why) || reservedNames().contains(name, Qt::CaseInsensitive))
        name = QStringLiteral("lora-") + name;
    return name;
}

bool StoryExporter::exportStory(const Project &project, const QString &projectDir, const QString &outDir,
                                QString *error)
{
    ExportReport report;
    return exportStory(project, projectDir, outDir, ExportOptions(), &report, error);
}

bool StoryExporter::exportStory(const Project &project, const QString &projectDir, const QString &outDir,
                                const ExportOptions &options, ExportReport *report, QString *error)
{
    QString problem;
    auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    ExportReport localReport;
    ExportReport &rep = report ? *report : localReport;
    rep = ExportReport();

    const int steps =
        kPanelCount /*read*/ + 1 /*grid*/ + kPanelCount /*panels*/ + 1 /*LoRA*/ + 3 /*texts*/ + 1 /*comic*/;
    int step = 0;
    auto advance = [&](const QString &what) { return !options.progress || options.progress(step++, steps, what); };

    // 1. Everything that can be refused is checked before anything is written.
    QVector<int> withoutImage;
    for (int i = 0; i < kPanelCount; ++i) {
        if (!project.panels[size_t(i)].chosen())
            withoutImage.append(i);
    }
    if (!withoutImage.isEmpty())
        return refuse(
            (withoutImage.size() == 1
                 ? QCoreApplication::translate("studio::story::StoryExporter", "cannot export: %1 has no image")
                 : QCoreApplication::translate("studio::story::StoryExporter", "cannot export: %1 have no image"))
                .arg(panelList(withoutImage)));

    std::array<cv::Mat, kPanelCount> images;
    QStringList unreadable;
    for (int i = 0; i < kPanelCount; ++i) {
        if (!advance(QCoreApplication::translate("studio::story::StoryExporter", "reading panel %1").arg(i + 1)))
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
        const PanelVariant *chosen = project.panels[size_t(i)].chosen();
        QString why;
        const QString path = ProjectPaths::resolveInside(projectDir, chosen->path, &why);
        if (path.isEmpty()) {
            unreadable.append(QCoreApplication::translate("studio::story::StoryExporter", "panel %1: %2: %3")
                                  .arg(QString::number(i + 1), chosen->path, why));
            continue;
        }
        std::optional<cv::Mat> image = ImageIo::readBgr8(path, &why);
        if (!image) {
            unreadable.append(QCoreApplication::translate("studio::story::StoryExporter", "panel %1: %2")
                                  .arg(QString::number(i + 1), chosen->path) +
                              QStringLiteral(": ") + why.mid(path.size() + 2));
            continue;
        }
        images[size_t(i)] = *image;
    }
    if (!unreadable.isEmpty())
        return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cannot export: ") +
                      unreadable.join(QStringLiteral("; ")));

    std::optional<LoraFacts> lora;
    QString loraSource;
    if (!project.lora.path.isEmpty()) {
        QString why;
        loraSource = StoryValidator::loraPath(project, projectDir, &why);
        if (loraSource.isEmpty())
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cannot export: LoRA %1: %2")
                              .arg(project.lora.path, why));
        lora = LoraFacts::inspect(loraSource, &why);
        if (!lora)
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cannot export: ") + why);
        if (!options.completeLoraFacts)
            rep.warnings.append(QCoreApplication::translate(
                "studio::story::StoryExporter", "the LoRA's tensors cannot be read without the rendering engine, "
                                                "so the card leaves its rank, alpha and effective scale undetermined"));
        else if (!options.completeLoraFacts(loraSource, project.lora.scale, &*lora, &why))
            rep.warnings.append(QCoreApplication::translate("studio::story::StoryExporter",
                                                            "the LoRA's tensors could not be read, so the card leaves "
                                                            "its rank, alpha and effective scale undetermined: %1")
                                    .arg(why));
    } else {
        rep.warnings.append(QCoreApplication::translate("studio::story::StoryExporter",
                                                        "no LoRA file is set: the card says so and no LoRA is copied"));
    }

    if (options.aestheticScores && options.aestheticScores->mean() &&
        *options.aestheticScores->mean() < options.aestheticScores->threshold)
        rep.warnings.append(QCoreApplication::translate("studio::story::StoryExporter",
                                                        "the mean aesthetic score %1 is below the challenge's "
                                                        "threshold %2: the submission would be rejected")
                                .arg(QString::number(*options.aestheticScores->mean(), 'f', 3),
                                     A1111Parameters::formatNumber(options.aestheticScores->threshold)));

    // 2. The output folder.
    if (outDir.trimmed().isEmpty())
        return refuse(QCoreApplication::translate("studio::story::StoryExporter", "no output folder given"));
    const QString root = QDir::cleanPath(QDir(outDir).absolutePath());
    const QFileInfo rootInfo(root);
    if (rootInfo.exists() && !rootInfo.isDir())
        return refuse(
            QCoreApplication::translate("studio::story::StoryExporter", "%1 exists and is not a folder").arg(root));
    if (!projectDir.isEmpty() && rootInfo.exists() &&
        rootInfo.canonicalFilePath() == QFileInfo(projectDir).canonicalFilePath())
        return refuse(
            QCoreApplication::translate("studio::story::StoryExporter",
                                        "refusing to export into the project folder itself; choose another folder"));
    if (!QDir().mkpath(root))
        return refuse(
            QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot create the folder").arg(root));
    const QString panelsDir = root + QStringLiteral("/panels");
    const QFileInfo panelsInfo(panelsDir);
    if (panelsInfo.isSymLink())
        return refuse(QCoreApplication::translate("studio::story::StoryExporter",
                                                  "%1 is a symbolic link; refusing to write through it")
                          .arg(panelsDir));
    if (panelsInfo.exists() && !panelsInfo.isDir())
        return refuse(QCoreApplication::translate("studio::story::StoryExporter", "%1 exists and is not a folder")
                          .arg(panelsDir));
    if (!QDir().mkpath(panelsDir))
        return refuse(
            QCoreApplication::translate("studio::story::StoryExporter", "%1: cannot create the folder").arg(panelsDir));

    // 3. Pixels: the grid, then every panel at full size with its metadata.
    if (!advance(QStringLiteral("grid.png")))
        return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
    QVector<PngTextChunk> gridChunks;
    if (options.aigcLabel)
        gridChunks.append(AigcLabel::composite(project.title).pngChunk()); // 8 generated images laid out
    if (!writeImage(root + QStringLiteral("/grid.png"), composeGrid(images), gridChunks, options, &problem))
        return refuse(problem);
    rep.files.append(QStringLiteral("grid.png"));

    for (int i = 0; i < kPanelCount; ++i) {
        if (!advance(panelFileName(i)))
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
        const QString path = root + QLatin1Char('/') + panelFileName(i);
        if (!writeImage(path, images[size_t(i)], PanelMetadata::chunks(project, i, lora, options.aigcLabel), options,
                        &problem))
            return refuse(problem);
        rep.files.append(panelFileName(i));
    }

    // 4. The LoRA, the card, the ModelScope configuration and the re-openable story.
    QString loraName;
    if (lora) {
        loraName = loraFileName(lora->fileName);
        if (!advance(loraName))
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
        if (!copyFile(loraSource, root + QLatin1Char('/') + loraName, &problem))
            return refuse(problem);
        rep.files.append(loraName);
        lora->fileName = loraName;
    }
    if (!advance(QStringLiteral("README.md")) ||
        !writeFile(root + QStringLiteral("/README.md"),
                   LoraCard::markdown(project, lora, QStringLiteral("grid.png"), options.aestheticScores).toUtf8(),
                   &problem))
        return refuse(problem.isEmpty() ? QCoreApplication::translate("studio::story::StoryExporter", "cancelled")
                                        : problem);
    rep.files.append(QStringLiteral("README.md"));
    if (!advance(QStringLiteral("configuration.json")) ||
        !writeFile(root + QStringLiteral("/configuration.json"), configurationJson(), &problem))
        return refuse(problem.isEmpty() ? QCoreApplication::translate("studio::story::StoryExporter", "cancelled")
                                        : problem);
    rep.files.append(QStringLiteral("configuration.json"));
    if (!advance(QStringLiteral("story.json")))
        return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
    const QString storyPath = root + QStringLiteral("/story.json");
    if (!checkTarget(storyPath, &problem) ||
        !ProjectFile::save(exportedProject(project, loraName), storyPath, &problem))
        return refuse(problem);
    rep.files.append(QStringLiteral("story.json"));

    // 5. The reader-ready comic.
    if (options.comic.any()) {
        if (!advance(QStringLiteral("comic")))
            return refuse(QCoreApplication::translate("studio::story::StoryExporter", "cancelled"));
        std::array<QImage, kPanelCount> pictures;
        for (int i = 0; i < kPanelCount; ++i)
            pictures[size_t(i)] = toQImage(images[size_t(i)]);
        const ComicContent content = ComicContent::fromProject(project, pictures, loraName);
        if (!ComicExporter::write(content, options.comic, root, &rep.files, &rep.warnings, &problem))
            return refuse(problem);
    }
    return true;
}

} // namespace studio::story
