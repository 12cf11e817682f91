#include "IpAdapterOptions.h"

#include "Cli.h"

#include "bridge/GenerationParameters.h"
#include "engine/api/Refine.h"
#include "engine/api/Errors.h"
#include "story/CharacterUse.h"

#include <QDir>
#include <QFileInfo>

namespace studio::cli {

bool IpAdapterOptions::read(const QCommandLineParser &parser, engine::IpAdapterSpec *spec, QString *error) const
{
    if (!parser.isSet(adapter)) {
        for (const QCommandLineOption *option : {&imageEncoder, &referenceImage, &scale})
            if (parser.isSet(*option)) {
                *error = QStringLiteral("--%1 needs an IP-Adapter (--ip-adapter FILE)").arg(option->names().constFirst());
                return false;
            }
        return true;
    }
    const QString file = parser.value(adapter);
    if (!QFileInfo(file).isFile()) {
        *error = QStringLiteral("--ip-adapter %1 is not a file").arg(file);
        return false;
    }
    if (!parser.isSet(imageEncoder) || !QFileInfo(parser.value(imageEncoder)).isDir()) {
        *error = parser.isSet(imageEncoder)
                     ? QStringLiteral("--image-encoder %1 is not a folder").arg(parser.value(imageEncoder))
                     : QStringLiteral("--ip-adapter needs its image encoder folder (--image-encoder DIR)");
        return false;
    }
    if (!parser.isSet(referenceImage)) {
        *error = QStringLiteral("--ip-adapter needs a reference image (--reference-image F.png)");
        return false;
    }
    const QString reference = parser.value(referenceImage);
    if (!QFileInfo(reference).isFile()) {
        *error = QStringLiteral("--reference-image %1 does not exist or is not a file").arg(reference);
        return false;
    }
    if (!parseDouble(parser, scale, &spec->scale, error))
        return false;
    spec->adapterPath = QFileInfo(file).absoluteFilePath().toStdString();
    spec->imageEncoderDir = QFileInfo(parser.value(imageEncoder)).absoluteFilePath().toStdString();
    spec->referencePath = QFileInfo(reference).absoluteFilePath().toStdString();
    try {
        spec->referenceImage = engine::loadInitImage(spec->referencePath);
    } catch (const engine::EngineError &e) {
        *error = QStringLiteral("--reference-image: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    return true;
}

void addIpAdapterParameters(const engine::GenerationResult &result, QJsonObject *json, story::A1111Parameters *a1111)
{
    const engine::IpAdapterSpec &ip = result.ipAdapter;
    if (!ip.enabled())
        return;
    story::CharacterUse use;
    use.ipAdapter = true;
    use.adapterFile = QFileInfo(QString::fromStdString(ip.adapterPath)).fileName();
    use.imageEncoder = QDir(QString::fromStdString(ip.imageEncoderDir)).dirName();
    use.referenceFile = QFileInfo(QString::fromStdString(ip.referencePath)).fileName();
    QString error;
    if (const auto file = bridge::InitImageFile::describe(QString::fromStdString(ip.referencePath), &error))
        use.referenceSha256 = file->sha256;
    use.ipScale = ip.scale;
    use.writeInto(json);
    use.addTo(a1111);
}

QString ipAdapterSummary(const engine::GenerationResult &result)
{
    if (!result.ipAdapter.enabled())
        return {};
    return QStringLiteral(", IP-Adapter x%1 from %2")
        .arg(story::A1111Parameters::formatNumber(result.ipAdapter.scale),
             QFileInfo(QString::fromStdString(result.ipAdapter.referencePath)).fileName());
}

} // namespace studio::cli
