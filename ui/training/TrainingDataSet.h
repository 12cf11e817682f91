#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace studio::dataset {
struct PreparedData;
struct SampleOutcome;
}

namespace studio::ui {

// The training images of the Train LoRA page: loaded from an image folder, a Data-Juicer config or a
// metadata.jsonl through core/dataset (the same filters as `storyboard prepare-data`), with the verdict and reason
// per image and the captions the user edits. Writes the DiffSynth folder the trainer reads. Plain data: loading
// runs off the UI thread.
class TrainingDataSet
{
    Q_DECLARE_TR_FUNCTIONS(TrainingDataSet)

public:
    enum class Source { None, Folder, DataJuicerConfig, Jsonl };
    // The filters offered for a folder or a bare jsonl (a Data-Juicer config brings its own).
    struct Filters
    {
        int minWidth = 1, minHeight = 1;
        double minRatio = 0.333, maxRatio = 3.0; // Data-Juicer's defaults
        bool dropDuplicates = true;
    };
    struct Item
    {
        QString imagePath; // first image of the sample; empty when it has none
        QString name;      // file name shown
        bool kept = false;
        QString reason; // why it was refused (names the operator and the image)
        QString caption;
        QImage thumbnail; // small, made while loading
    };

    // Each returns false with *error set (the config or folder refused); unreadable images are refused items.
    bool loadFolder(const QString &dir, const Filters &filters, QString *error);
    bool loadConfig(const QString &yamlPath, bool dropDuplicates, QString *error);
    bool loadJsonl(const QString &jsonlPath, const Filters &filters, QString *error);

    Source source() const { return m_source; }
    QString sourcePath() const { return m_sourcePath; }
    QString captionSource() const { return m_captionSource; } // "metadata.csv", ".txt files" or empty
    QStringList problems() const { return m_problems; }
    const QVector<Item> &items() const { return m_items; }
    int keptCount() const;
    // Kept items that can be trained on (they have an image and a caption).
    int trainableCount() const;

    void setCaption(int item, const QString &caption);
    void setAllCaptions(const QString &caption);

    // How the data was prepared, for the LoRA card: the source, every filter with its bounds, kept / total.
    QString preparationSummary() const;

    // Writes DIR/train (metadata.csv + copies) from the kept items with their current captions. False with *error
    // when nothing can be written; *problems lists single rows left out.
    bool writeTrainingFolder(const QString &dir, QStringList *problems, QString *error) const;

    // Why a sample was refused, translated.
    static QString describe(const dataset::SampleOutcome &outcome);

private:
    void adopt(dataset::PreparedData &&prepared, Source source, const QString &path, bool makeThumbnails = true);

    Source m_source = Source::None;
    QString m_sourcePath;
    QString m_captionSource;
    QStringList m_problems;
    QStringList m_filters; // described operators, in order
    QVector<Item> m_items;
};

} // namespace studio::ui
