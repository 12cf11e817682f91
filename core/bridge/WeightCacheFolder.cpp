#include "WeightCacheFolder.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace studio::bridge {

QString weightCacheFolder()
{
    const QString overridden = qEnvironmentVariable("STORYBOARD_CACHE_DIR");
    const QString base =
        overridden.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) : overridden;
    if (base.isEmpty())
        return {}; // no cache folder on this system: the engine quantizes in memory
    return QDir(base).filePath(QStringLiteral("storyboard-studio/quantized-weights"));
}

void useDefaultWeightCache(engine::ModelSettings *settings)
{
    if (settings->quantizedWeightCacheDir.empty())
        settings->quantizedWeightCacheDir = QFile::encodeName(weightCacheFolder()).toStdString();
}

} // namespace studio::bridge
