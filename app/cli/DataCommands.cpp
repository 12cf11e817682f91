// `storyboard prepare-data`: Data-Juicer's image filters and the DiffSynth training folder (core/dataset), plus the
// studio's extras (exact duplicates, aesthetic score with the engine's predictor).
#include "Cli.h"

#include "dataset/DataPrep.h"
#include "dataset/DatasetError.h"
#include "dataset/DatasetPaths.h"

#ifdef STUDIO_HAS_ENGINE
#include "engine/api/AestheticScorer.h"
#include "engine/api/Errors.h"
#endif

#include <QCommandLineParser>
#include <QFile>

#include <memory>

namespace studio::cli {
namespace {

const QString kCommand = QStringLiteral("prepare-data");

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string toPath(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

#ifdef STUDIO_HAS_ENGINE
// The engine's predictor behind core/dataset's scorer interface (core/dataset has no engine).
class EngineAestheticScorer : public dataset::ImageScorer
{
public:
    explicit EngineAestheticScorer(std::unique_ptr<engine::AestheticScorer> scorer) : m_scorer(std::move(scorer)) {}
    double score(const std::string &imagePath) override { return m_scorer->scoreFile(imagePath); }

private:
    std::unique_ptr<engine::AestheticScorer> m_scorer;
};
#endif

} // namespace

int runPrepareData(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Filter a Data-Juicer metadata.jsonl with the image operators of a dj-process YAML config (exactly as "
        "dj-process does: image_shape_filter, image_aspect_ratio_filter, image_size_filter), write its "
        "export_path and, with --diffsynth-out, DiffSynth's LoRA training folder (train/metadata.csv + images). "
        "Relative paths resolve against the working directory."));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("The Data-Juicer YAML config."),
                                    QStringLiteral("DJ.yaml"));
    const QCommandLineOption diffsynth(QStringLiteral("diffsynth-out"),
                                       QStringLiteral("Also write DIR/train/metadata.csv and the kept images."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption dedup(QStringLiteral("dedup"),
                                   QStringLiteral("Extra step after the config's operators: drop samples whose "
                                                  "images are byte-identical to an earlier kept sample's."));
    const QCommandLineOption minAesthetic(
        QStringLiteral("min-aesthetic"),
        QStringLiteral("Extra step: keep samples with an image scoring at least X with the aesthetic predictor "
                       "(needs --aesthetic-model)."),
        QStringLiteral("X"));
    const QCommandLineOption aestheticModel(QStringLiteral("aesthetic-model"),
                                            QStringLiteral("Aesthetic predictor folder (as for 'storyboard score')."),
                                            QStringLiteral("DIR"));
    parser.addOptions({config, diffsynth, dedup, minAesthetic, aestheticModel});
    if (const auto done = parseCommand(parser, args, kCommand, parser.applicationDescription()))
        return *done;
    if (!parser.isSet(config))
        return fail(kCommand, QStringLiteral("missing --config DJ.yaml"));
    if (parser.isSet(diffsynth) && parser.value(diffsynth).isEmpty())
        return fail(kCommand, QStringLiteral("--diffsynth-out needs a folder"));

    dataset::ExtraFilters extras;
    extras.dropExactDuplicates = parser.isSet(dedup);
    QString error;
    if (!parseDouble(parser, minAesthetic, &extras.minAesthetic, &error))
        return fail(kCommand, error);
#ifdef STUDIO_HAS_ENGINE
    std::unique_ptr<EngineAestheticScorer> scorer;
#endif
    if (parser.isSet(minAesthetic)) {
#ifdef STUDIO_HAS_ENGINE
        if (!parser.isSet(aestheticModel))
            return fail(kCommand, QStringLiteral("--min-aesthetic needs --aesthetic-model DIR (%1)")
                                      .arg(fromStd(engine::AestheticScorer::modelHint())));
#else
        return fail(kCommand, QStringLiteral("--min-aesthetic needs the engine (this build has none)"));
#endif
    }

    dataset::PreparedData prepared;
    try {
        prepared = dataset::DataPrep::load(toPath(parser.value(config)));
    } catch (const dataset::DatasetError &e) {
        return fail(kCommand, fromStd(e.what()));
    }
    for (const std::string &warning : prepared.config.warnings)
        std::fprintf(stderr, "storyboard prepare-data: warning: %s\n", warning.c_str());

#ifdef STUDIO_HAS_ENGINE
    if (parser.isSet(minAesthetic)) {
        try {
            scorer = std::make_unique<EngineAestheticScorer>(
                engine::AestheticScorer::load(toPath(parser.value(aestheticModel))));
        } catch (const std::exception &e) {
            return fail(kCommand, QStringLiteral("cannot load the aesthetic predictor: %1").arg(fromStd(e.what())));
        }
        extras.aestheticScorer = scorer.get();
    }
#endif

    dataset::DataPrep::filter(&prepared, extras);
    for (size_t i = 0; i < prepared.outcomes.size(); ++i) {
        const dataset::SampleOutcome &o = prepared.outcomes[i];
        if (!o.kept)
            out(QStringLiteral("prepare-data: sample %1 dropped by %2: %3")
                    .arg(i)
                    .arg(fromStd(o.droppedBy), fromStd(o.reason)));
    }
    try {
        dataset::DataPrep::writeExport(prepared);
        out(QStringLiteral("prepare-data: kept %1 of %2 samples -> %3")
                .arg(prepared.kept.size())
                .arg(prepared.data.samples.size())
                .arg(fromStd(dataset::absolutePath(prepared.config.exportPath))));
        if (parser.isSet(diffsynth)) {
            const auto written = dataset::DataPrep::writeDiffSynth(prepared, toPath(parser.value(diffsynth)));
            for (const std::string &problem : written.problems)
                std::fprintf(stderr, "storyboard prepare-data: %s\n", problem.c_str());
            const int withoutImages = int(prepared.kept.size()) - int(prepared.trainingRows().size());
            if (withoutImages > 0)
                std::fprintf(stderr,
                             "storyboard prepare-data: %d kept sample(s) have no image and get no training row\n",
                             withoutImages);
            out(QStringLiteral("prepare-data: %1 training image(s) -> %2/train")
                    .arg(written.written)
                    .arg(parser.value(diffsynth)));
        }
    } catch (const dataset::DatasetError &e) {
        return fail(kCommand, fromStd(e.what()));
    }
    return 0;
}

} // namespace studio::cli
