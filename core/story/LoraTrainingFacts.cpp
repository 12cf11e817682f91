#include "LoraTrainingFacts.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <QCoreApplication>

namespace studio::story {

QString LoraTrainingFacts::sidecarPath(const QString &loraPath)
{
    return loraPath + QStringLiteral(".training.json");
}

std::optional<LoraTrainingFacts> LoraTrainingFacts::read(const QString &loraPath, QString *error)
{
    QFile file(sidecarPath(loraPath));
    if (!file.exists())
        return std::nullopt;
    auto refuse = [error, &file](const QString &why) -> std::optional<LoraTrainingFacts> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(file.fileName(), why);
        return std::nullopt;
    };
    if (!file.open(QIODevice::ReadOnly))
        return refuse(file.errorString());
    if (file.size() > (1 << 20))
        return refuse(
            QCoreApplication::translate("studio::story::LoraTrainingFacts", "too large for a training record"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return refuse(parseError.error == QJsonParseError::NoError
                          ? QCoreApplication::translate("studio::story::LoraTrainingFacts", "not a JSON object")
                          : parseError.errorString());
    const QJsonObject o = doc.object();
    LoraTrainingFacts f;
    f.tool = o.value(QStringLiteral("tool")).toString();
    f.format = o.value(QStringLiteral("format")).toString();
    f.imageCount = o.value(QStringLiteral("imageCount")).toInt();
    f.dataPreparation = o.value(QStringLiteral("dataPreparation")).toString();
    f.rank = o.value(QStringLiteral("rank")).toInt();
    f.alpha = o.value(QStringLiteral("alpha")).toDouble();
    f.learningRate = o.value(QStringLiteral("learningRate")).toDouble();
    f.steps = o.value(QStringLiteral("steps")).toInt();
    f.stepsPlanned = o.value(QStringLiteral("stepsPlanned")).toInt();
    f.resolution = o.value(QStringLiteral("resolution")).toInt();
    f.centerCrop = o.value(QStringLiteral("centerCrop")).toBool(true);
    f.seed = quint64(o.value(QStringLiteral("seed")).toDouble());
    f.precision = o.value(QStringLiteral("precision")).toString();
    f.device = o.value(QStringLiteral("device")).toString();
    f.baseModel = o.value(QStringLiteral("baseModel")).toString();
    f.baseModelHash = o.value(QStringLiteral("baseModelHash")).toString();
    f.initLora = o.value(QStringLiteral("initLora")).toString();
    f.finalSmoothedLoss = o.value(QStringLiteral("finalSmoothedLoss")).toDouble();
    f.finishedAtUtc = o.value(QStringLiteral("finishedAtUtc")).toString();
    return f;
}

} // namespace studio::story
