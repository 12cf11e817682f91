#include "RefineOptions.h"

#include "Cli.h"

#include "engine/api/Errors.h"

#include <QDir>
#include <QFileInfo>

namespace studio::cli {

bool RefineOptions::read(const QCommandLineParser &parser, engine::GenerationRequest *request,
                         std::optional<bridge::InitImageFile> *initFile, int *count, QString *error) const
{
    if (parser.isSet(strength) && !parser.isSet(initImage)) {
        *error = QStringLiteral("--strength needs an init image (--init-image FILE)");
        return false;
    }
    for (const QCommandLineOption *option : {&hiresStrength, &hiresSteps})
        if (parser.isSet(*option) && !parser.isSet(hiresScale)) {
            *error = QStringLiteral("--%1 needs the hires fix (--hires-scale F)").arg(option->names().constFirst());
            return false;
        }
    if (parser.isSet(initImage) && parser.isSet(hiresScale)) {
        *error = QStringLiteral("--init-image and --hires-scale cannot be used together");
        return false;
    }
    if (!parseDouble(parser, strength, &request->strength, error) ||
        !parseDouble(parser, hiresStrength, &request->hiresStrength, error) ||
        !parseInt(parser, hiresSteps, &request->hiresSteps, error) || !parseInt(parser, batchCount, count, error))
        return false;
    if (parser.isSet(hiresSteps) && request->hiresSteps < 1) {
        *error = QStringLiteral("--hires-steps must be at least 1");
        return false;
    }
    if (*count < 1 || *count > kMaxBatchCount) {
        *error = QStringLiteral("--batch-count must be between 1 and %1").arg(kMaxBatchCount);
        return false;
    }
    if (parser.isSet(hiresScale)) {
        if (!parseDouble(parser, hiresScale, &request->hiresScale, error))
            return false;
        if (!(request->hiresScale > 0.0)) {
            *error = QStringLiteral("--hires-scale must be a positive number, got %1").arg(parser.value(hiresScale));
            return false;
        }
    }
    if (parser.isSet(initImage)) {
        const QString path = parser.value(initImage);
        if (!QFileInfo(path).isFile()) {
            *error = QStringLiteral("--init-image %1 is not a file").arg(path);
            return false;
        }
        try {
            request->initImage = engine::loadInitImage(QFileInfo(path).absoluteFilePath().toStdString());
        } catch (const engine::EngineError &e) {
            *error = QStringLiteral("--init-image: %1").arg(QString::fromStdString(e.what()));
            return false;
        }
        std::optional<bridge::InitImageFile> file = bridge::InitImageFile::describe(path, error);
        if (!file)
            return false;
        *initFile = file;
    }
    return true;
}

QString batchPath(const QString &path, int index, int count)
{
    if (count <= 1)
        return path;
    const QFileInfo info(path);
    const QString name = QStringLiteral("%1-%2.%3").arg(info.completeBaseName()).arg(index + 1).arg(info.suffix());
    return info.dir().filePath(name);
}

} // namespace studio::cli
