// `storyboard score`: the challenge's aesthetic gate on image files or on the chosen images of a story.
#include "Cli.h"

#include "engine/api/AestheticScorer.h"
#include "engine/api/Errors.h"
#include "story/ProjectFile.h"
#include "story/ProjectPaths.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cmath>
#include <exception>
#include <optional>

using studio::engine::AestheticScorer;

namespace studio::cli {
namespace {

const QString kCommand = QStringLiteral("score");

// JSON text of a string (quoted and escaped) and of a number (shortest form that reads back exactly).
QString jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString jsonNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// A story file is JSON: its first non-blank byte is '{'. Images are PNG or JPEG, which never start so.
bool looksLikeStory(const QString &path)
{
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(64).trimmed();
    return head.startsWith('{');
}

struct Scored
{
    QString lineStart; // `{"image": …` or `{"panel": n, "image": …`
    QString path;      // the file to score; empty for a panel without an image
};

std::optional<QVector<Scored>> storyImages(const QString &storyPath, QVector<int> *panelsWithoutImage, QString *error)
{
    QString why;
    const std::optional<story::Project> project = story::ProjectFile::load(storyPath, &why);
    if (!project) {
        *error = why;
        return std::nullopt;
    }
    const QString projectDir = QFileInfo(storyPath).absolutePath();
    QVector<Scored> items;
    for (int i = 0; i < story::kPanelCount; ++i) {
        const story::PanelVariant *chosen = project->panels[size_t(i)].chosen();
        if (!chosen) {
            panelsWithoutImage->append(i + 1);
            items.append({QStringLiteral("{\"panel\": %1, \"image\": null, \"error\": \"no image\"}").arg(i + 1), {}});
            continue;
        }
        const QString file = story::ProjectPaths::resolveInside(projectDir, chosen->path, &why);
        if (file.isEmpty()) {
            *error = QStringLiteral("panel %1: image path \"%2\": %3").arg(i + 1).arg(chosen->path, why);
            return std::nullopt;
        }
        items.append({QStringLiteral("{\"panel\": %1, \"image\": %2").arg(i + 1).arg(jsonString(chosen->path)), file});
    }
    return items;
}

} // namespace

int runScore(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Aesthetic score of images, as the challenge computes it (v2 linear predictor; a mean below "
                       "the threshold makes a submission invalid). Prints one JSON line per image, then the mean. "
                       "Given a story file, scores the chosen image of every panel."));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Predictor folder (config.json, preprocessor_config.json, "
                                                  "model.safetensors or pytorch_model.bin)."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption head(QStringLiteral("head"),
                                  QStringLiteral("Separate head file (e.g. sac+logos+ava1-l14-linearMSE.pth) used with "
                                                 "a CLIP vision checkpoint in DIR."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption threshold(QStringLiteral("threshold"),
                                       QStringLiteral("Pass mark of the mean (default 6, the challenge's)."),
                                       QStringLiteral("X"));
    const QCommandLineOption device(QStringLiteral("device"),
                                    QStringLiteral("auto (CUDA when present), cpu or cuda[:N] (default cpu)."),
                                    QStringLiteral("NAME"));
    parser.addOptions({model, head, threshold, device});
    if (const auto done =
            parseCommand(parser, args, kCommand, parser.applicationDescription(),
                         Positional{QStringLiteral("IMAGE...|STORY"), QStringLiteral("PNG/JPEG files, or one story file."),
                                    1, -1}))
        return *done;
    if (!parser.isSet(model))
        return fail(
            kCommand,
            QStringLiteral("missing --model DIR (%1)").arg(QString::fromStdString(AestheticScorer::modelHint())));
    double passMark = studio::engine::kAestheticThreshold;
    QString error;
    if (!parseDouble(parser, threshold, &passMark, &error))
        return fail(kCommand, error);
    const QStringList inputs = parser.positionalArguments();

    QVector<Scored> items;
    QVector<int> panelsWithoutImage;
    const bool storyMode = inputs.size() == 1 && looksLikeStory(inputs.front());
    if (storyMode) {
        const auto found = storyImages(inputs.front(), &panelsWithoutImage, &error);
        if (!found)
            return fail(kCommand, error);
        items = *found;
        if (panelsWithoutImage.size() == items.size())
            return fail(kCommand, QStringLiteral("%1: no panel has an image yet").arg(inputs.front()));
    } else {
        for (const QString &path : inputs) {
            if (path.isEmpty())
                return fail(kCommand, QStringLiteral("empty image path"));
            items.append({QStringLiteral("{\"image\": %1").arg(jsonString(path)), path});
        }
    }

    try {
        studio::engine::AestheticScorerOptions options;
        options.headFile = parser.value(head).toStdString();
        if (parser.isSet(device))
            options.device = parser.value(device).toStdString();
        const std::unique_ptr<AestheticScorer> scorer =
            AestheticScorer::load(QFile::encodeName(parser.value(model)).toStdString(), options);

        std::vector<double> scores;
        for (const Scored &item : items) {
            if (item.path.isEmpty()) { // a panel without an image: reported, not scored
                out(item.lineStart);
                continue;
            }
            // One at a time, so each line appears as soon as its image is scored.
            const double score = scorer->scoreFile(QFile::encodeName(item.path).toStdString());
            if (!std::isfinite(score))
                return fail(kCommand, QStringLiteral("%1: the predictor returned a non-finite score").arg(item.path));
            scores.push_back(score);
            out(item.lineStart + QStringLiteral(", \"score\": %1}").arg(jsonNumber(score)));
        }
        const studio::engine::AestheticSummary summary = AestheticScorer::summarize(scores, passMark);
        QString line =
            QStringLiteral("{\"mean\": %1, \"count\": %2, \"threshold\": %3, \"pass\": %4")
                .arg(jsonNumber(summary.mean))
                .arg(summary.count)
                .arg(jsonNumber(summary.threshold), summary.pass ? QStringLiteral("true") : QStringLiteral("false"));
        if (storyMode) {
            QStringList missing;
            for (int panel : panelsWithoutImage)
                missing.append(QString::number(panel));
            line += QStringLiteral(", \"panels_without_image\": [%1]").arg(missing.join(QStringLiteral(", ")));
        }
        out(line + QLatin1Char('}'));
        return 0;
    } catch (const studio::engine::EngineError &e) {
        return fail(kCommand, QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        return fail(kCommand, QString::fromStdString(e.what()));
    }
}

} // namespace studio::cli
