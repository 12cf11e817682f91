#include "bridge/GenerationParameters.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <QCoreApplication>

namespace studio::bridge {

std::optional<InitImageFile> InitImageFile::describe(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        *error = QCoreApplication::translate("studio::bridge::GenerationParameters", "%1: cannot be read").arg(path);
        return std::nullopt;
    }
    return InitImageFile{QFileInfo(path).fileName(), QString::fromLatin1(hash.result().toHex())};
}

QJsonObject generationParameters(const engine::GenerationResult &r, const std::optional<InitImageFile> &initImage,
                                 int batchIndex)
{
    QJsonObject o;
    o.insert(QStringLiteral("prompt"), QString::fromStdString(r.prompt));
    o.insert(QStringLiteral("negativePrompt"), QString::fromStdString(r.negativePrompt));
    o.insert(QStringLiteral("seed"), qint64(r.seed));
    o.insert(QStringLiteral("steps"), r.steps);
    o.insert(QStringLiteral("cfgScale"), r.cfg);
    o.insert(QStringLiteral("sampler"), QString::fromStdString(r.sampler));
    o.insert(QStringLiteral("width"), r.hires ? r.baseWidth : r.width);
    o.insert(QStringLiteral("height"), r.hires ? r.baseHeight : r.height);
    o.insert(QStringLiteral("cfgApplied"), r.cfgApplied);
    o.insert(QStringLiteral("device"), QString::fromStdString(r.device));
    // Only where it differs from the UNet's: the text encoder on the CPU computes in fp32, which can move the image
    // slightly. UNet block offload never changes a number, so it is not a parameter.
    if (!r.textEncoderDevice.empty() && r.textEncoderDevice != r.device)
        o.insert(QStringLiteral("textEncoderDevice"), QString::fromStdString(r.textEncoderDevice));
    o.insert(QStringLiteral("precision"), QString::fromStdString(r.precision));
    o.insert(QStringLiteral("vaeTiled"), r.vaeTiled);
    if (r.textEncoderQuant != "none") // it changes the image: recorded whenever it was used
        o.insert(QStringLiteral("textEncoderQuant"), QString::fromStdString(r.textEncoderQuant));
    if (r.lora.enabled()) {
        QJsonObject lora;
        lora.insert(QStringLiteral("file"), QFileInfo(QString::fromStdString(r.lora.path)).fileName());
        lora.insert(QStringLiteral("scale"), r.lora.scale);
        lora.insert(QStringLiteral("format"), QString::fromStdString(r.loraFormat));
        if (r.loraEffectiveScaleMin == r.loraEffectiveScaleMax)
            lora.insert(QStringLiteral("effectiveScale"), r.loraEffectiveScaleMin);
        o.insert(QStringLiteral("lora"), lora);
    }
    if (r.img2img) {
        o.insert(QStringLiteral("strength"), r.strength);
        o.insert(QStringLiteral("denoisingSteps"), r.denoisingSteps);
        if (initImage) {
            QJsonObject init;
            init.insert(QStringLiteral("file"), initImage->fileName);
            init.insert(QStringLiteral("sha256"), initImage->sha256);
            o.insert(QStringLiteral("initImage"), init);
        }
    }
    if (r.hires) {
        QJsonObject hires;
        hires.insert(QStringLiteral("scale"), r.hiresScale);
        hires.insert(QStringLiteral("strength"), r.hiresStrength);
        hires.insert(QStringLiteral("steps"), r.hiresSteps);
        hires.insert(QStringLiteral("upscaler"), QStringLiteral("Latent"));
        hires.insert(QStringLiteral("width"), r.width);
        hires.insert(QStringLiteral("height"), r.height);
        o.insert(QStringLiteral("hires"), hires);
    }
    if (batchIndex >= 0)
        o.insert(QStringLiteral("batchIndex"), batchIndex);
    return o;
}

void addRefineParameters(story::A1111Parameters *p, const engine::GenerationResult &r)
{
    using story::A1111Parameters;
    if (r.img2img)
        p->set(QStringLiteral("Denoising strength"), A1111Parameters::formatNumber(r.strength));
    if (r.hires) {
        p->set(QStringLiteral("Denoising strength"), A1111Parameters::formatNumber(r.hiresStrength));
        p->set(QStringLiteral("Hires upscale"), A1111Parameters::formatNumber(r.hiresScale));
        p->set(QStringLiteral("Hires steps"), QString::number(r.hiresSteps));
        p->set(QStringLiteral("Hires upscaler"), QStringLiteral("Latent"));
    }
}

} // namespace studio::bridge
