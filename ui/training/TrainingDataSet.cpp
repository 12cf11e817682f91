#include "TrainingDataSet.h"

#include "dataset/DataPrep.h"
#include "dataset/DatasetError.h"
#include "dataset/DatasetPaths.h"
#include "dataset/DiffSynthFolder.h"
#include "dataset/ImageFolder.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>

namespace studio::ui {

namespace {

std::string toPath(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::vector<dataset::FilterOp> filterOps(const TrainingDataSet::Filters &f)
{
    dataset::FilterOp shape;
    shape.kind = dataset::FilterKind::ImageShape;
    shape.minWidth = qMax(1, f.minWidth);
    shape.minHeight = qMax(1, f.minHeight);
    dataset::FilterOp ratio;
    ratio.kind = dataset::FilterKind::ImageAspectRatio;
    ratio.minRatio = f.minRatio;
    ratio.maxRatio = f.maxRatio;
    return {shape, ratio};
}

QImage thumbnailOf(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(false); // the stored orientation, as training sees it
    const QSize size = reader.size();
    if (size.isValid() && (qint64(size.width()) * size.height()) > dataset::kDecompressionBombPixels)
        return {};
    if (size.isValid())
        reader.setScaledSize(size.scaled(96, 96, Qt::KeepAspectRatio));
    return reader.read();
}

QString problemText(dataset::ImageProblem problem)
{
    switch (problem) {
    case dataset::ImageProblem::NotFound: return TrainingDataSet::tr("file not found");
    case dataset::ImageProblem::ReadError: return TrainingDataSet::tr("the file cannot be read");
    case dataset::ImageProblem::NotAnImage: return TrainingDataSet::tr("not an image");
    case dataset::ImageProblem::Truncated: return TrainingDataSet::tr("the image data ends early");
    case dataset::ImageProblem::Corrupt: return TrainingDataSet::tr("the image data is corrupt");
    case dataset::ImageProblem::TooManyPixels: return TrainingDataSet::tr("too many pixels (decompression bomb)");
    case dataset::ImageProblem::Unsupported: return TrainingDataSet::tr("an image kind that cannot be read");
    case dataset::ImageProblem::None: break;
    }
    return TrainingDataSet::tr("unreadable");
}

} // namespace

// Why a sample was refused, in the studio's language; files by name (the tooltip shows the full path), operators by
// their Data-Juicer names.
QString TrainingDataSet::describe(const dataset::SampleOutcome &o)
{
    using Verdict = dataset::SampleOutcome::Verdict;
    switch (o.verdict) {
    case Verdict::Kept: return QString();
    case Verdict::NoText: return tr("the text is empty (null)");
    case Verdict::Unreadable:
        return tr("%1: cannot read %2: %3")
            .arg(fromStd(o.droppedBy), QFileInfo(fromStd(o.unreadablePath)).fileName(), problemText(o.problem));
    case Verdict::OutOfBounds:
        return tr("%1: %2 is %3, outside the bounds %4")
            .arg(fromStd(o.droppedBy), fromStd(o.image), fromStd(o.value), fromStd(o.limits));
    case Verdict::Duplicate: return tr("the same image as sample %1").arg(o.duplicateOf);
    case Verdict::LowAesthetic:
        return tr("aesthetic score %1 of %2 is below %3").arg(fromStd(o.value), fromStd(o.image), fromStd(o.limits));
    }
    return fromStd(o.reason);
}

bool TrainingDataSet::loadFolder(const QString &dir, const Filters &filters, QString *error)
{
    try {
        const dataset::ImageFolderScan scan = dataset::scanImageFolder(toPath(dir));
        if (scan.images.empty()) {
            *error = tr("The folder %1 holds no PNG, JPEG, WebP or BMP image.").arg(dir);
            return false;
        }
        dataset::PreparedData prepared = dataset::preparedFromFolder(scan, filterOps(filters));
        dataset::ExtraFilters extras;
        extras.dropExactDuplicates = filters.dropDuplicates;
        dataset::DataPrep::filter(&prepared, extras);
        adopt(std::move(prepared), Source::Folder, dir);
        m_captionSource = fromStd(scan.captionSource);
        for (const std::string &p : scan.problems)
            m_problems << fromStd(p);
        if (filters.dropDuplicates)
            m_filters << tr("exact-duplicate removal");
        return true;
    } catch (const dataset::DatasetError &e) {
        // The data code is Qt-free and words its reasons in English; the sentence around it is the UI language.
        *error = tr("The image folder %1 cannot be used (%2).").arg(dir, fromStd(e.what()));
        return false;
    }
}

bool TrainingDataSet::loadConfig(const QString &yamlPath, bool dropDuplicates, QString *error)
{
    try {
        dataset::PreparedData prepared = dataset::DataPrep::load(toPath(yamlPath));
        dataset::ExtraFilters extras;
        extras.dropExactDuplicates = dropDuplicates;
        dataset::DataPrep::filter(&prepared, extras);
        std::vector<std::string> warnings = prepared.config.warnings;
        adopt(std::move(prepared), Source::DataJuicerConfig, yamlPath);
        for (const std::string &w : warnings)
            m_problems << fromStd(w);
        if (dropDuplicates)
            m_filters << tr("exact-duplicate removal");
        return true;
    } catch (const dataset::DatasetError &e) {
        *error = tr("The Data-Juicer config %1 is refused (%2).").arg(yamlPath, fromStd(e.what()));
        return false;
    }
}

bool TrainingDataSet::loadJsonl(const QString &jsonlPath, const Filters &filters, QString *error)
{
    try {
        dataset::DjConfig settings;
        settings.textKeys = {"text"};
        // The notebook's metadata.jsonl uses "image"; Data-Juicer's default is "images". Take whichever is there.
        settings.imageKey = "image";
        dataset::PreparedData prepared = dataset::DataPrep::loadJsonl(toPath(jsonlPath), settings);
        if (prepared.data.column("image") < 0) {
            settings.imageKey = "images";
            prepared = dataset::DataPrep::loadJsonl(toPath(jsonlPath), settings);
        }
        prepared.config.process = filterOps(filters);
        for (dataset::FilterOp &op : prepared.config.process)
            op.imageKey = prepared.config.imageKey;
        dataset::ExtraFilters extras;
        extras.dropExactDuplicates = filters.dropDuplicates;
        dataset::DataPrep::filter(&prepared, extras);
        adopt(std::move(prepared), Source::Jsonl, jsonlPath);
        if (filters.dropDuplicates)
            m_filters << tr("exact-duplicate removal");
        return true;
    } catch (const dataset::DatasetError &e) {
        *error = tr("The data set %1 cannot be read (%2).").arg(jsonlPath, fromStd(e.what()));
        return false;
    }
}

void TrainingDataSet::adopt(dataset::PreparedData &&prepared, Source source, const QString &path, bool makeThumbnails)
{
    m_source = source;
    m_sourcePath = path;
    m_captionSource.clear();
    m_problems.clear();
    m_filters.clear();
    for (const dataset::FilterOp &op : prepared.config.process)
        m_filters << fromStd(op.describe());
    m_items.clear();
    for (size_t i = 0; i < prepared.data.samples.size(); ++i) {
        const dataset::SampleOutcome &o = prepared.outcomes[i];
        const std::vector<std::string> images = prepared.images(int(i));
        Item item;
        item.imagePath = images.empty() ? QString() : fromStd(images.front());
        item.name = images.empty() ? tr("(sample %1 without image)").arg(i)
                                   : QFileInfo(item.imagePath).fileName();
        item.kept = o.kept;
        item.reason = describe(o);
        item.caption = fromStd(prepared.text(int(i)));
        if (makeThumbnails && !item.imagePath.isEmpty() && o.unreadablePath.empty())
            item.thumbnail = thumbnailOf(item.imagePath);
        m_items.append(item);
    }
}

int TrainingDataSet::keptCount() const
{
    int n = 0;
    for (const Item &item : m_items)
        n += item.kept ? 1 : 0;
    return n;
}

int TrainingDataSet::trainableCount() const
{
    int n = 0;
    for (const Item &item : m_items)
        n += (item.kept && !item.imagePath.isEmpty() && !item.caption.trimmed().isEmpty()) ? 1 : 0;
    return n;
}

void TrainingDataSet::setCaption(int item, const QString &caption)
{
    if (item >= 0 && item < m_items.size())
        m_items[item].caption = caption;
}

void TrainingDataSet::setAllCaptions(const QString &caption)
{
    for (Item &item : m_items)
        item.caption = caption;
}

QString TrainingDataSet::preparationSummary() const
{
    QString from;
    switch (m_source) {
    case Source::Folder: from = QStringLiteral("image folder"); break;
    case Source::DataJuicerConfig: from = QStringLiteral("Data-Juicer config %1").arg(QFileInfo(m_sourcePath).fileName()); break;
    case Source::Jsonl: from = QStringLiteral("metadata %1").arg(QFileInfo(m_sourcePath).fileName()); break;
    case Source::None: return QString();
    }
    return QStringLiteral("%1; filters: %2; kept %3 of %4")
        .arg(from, m_filters.isEmpty() ? QStringLiteral("none") : m_filters.join(QStringLiteral("; ")))
        .arg(keptCount())
        .arg(m_items.size());
}

bool TrainingDataSet::writeTrainingFolder(const QString &dir, QStringList *problems, QString *error) const
{
    std::vector<dataset::TrainingRow> rows;
    int k = 0;
    for (const Item &item : m_items) {
        if (!item.kept || item.imagePath.isEmpty() || item.caption.trimmed().isEmpty())
            continue;
        rows.push_back({k++, toPath(item.imagePath), item.caption.toStdString()});
    }
    if (rows.empty()) {
        *error = tr("No kept image has a caption: nothing to train on.");
        return false;
    }
    try {
        const dataset::DiffSynthWriteResult written = dataset::writeDiffSynthFolder(toPath(dir), rows);
        for (const std::string &p : written.problems)
            *problems << fromStd(p);
        if (written.written == 0) {
            *error = tr("No image could be copied into %1.").arg(dir);
            return false;
        }
        return true;
    } catch (const dataset::DatasetError &e) {
        *error = tr("The training folder %1 cannot be written (%2).").arg(dir, fromStd(e.what()));
        return false;
    }
}

} // namespace studio::ui
