#include "RunOptions.h"

#include "bridge/WeightCacheFolder.h"

#include <QFile>

namespace studio::cli {

bool RunOptions::read(const QCommandLineParser &parser, engine::ModelSettings *settings, QString *error) const
{
    using namespace studio::engine;
    if (parser.isSet(device) &&
        !parseComputeDevice(parser.value(device).toStdString(), &settings->device, &settings->deviceIndex)) {
        *error = QStringLiteral("--device \"%1\" is not auto, cpu, cuda or cuda:N").arg(parser.value(device));
        return false;
    }
    if (parser.isSet(precision) &&
        !parseComputePrecision(parser.value(precision).toStdString(), &settings->precision)) {
        *error = QStringLiteral("--precision \"%1\" is not auto, fp32 or fp16").arg(parser.value(precision));
        return false;
    }
    if (parser.isSet(textEncoderDevice) &&
        !parseComputeDevice(parser.value(textEncoderDevice).toStdString(), &settings->textEncoderDevice,
                            &settings->textEncoderDeviceIndex)) {
        *error = QStringLiteral("--text-encoder-device \"%1\" is not auto, cpu, cuda or cuda:N")
                     .arg(parser.value(textEncoderDevice));
        return false;
    }
    if (parser.isSet(unetOffload) &&
        !parseUNetOffload(parser.value(unetOffload).toStdString(), &settings->unetOffload)) {
        *error = QStringLiteral("--unet-offload \"%1\" is not none or blocks").arg(parser.value(unetOffload));
        return false;
    }
    if (parser.isSet(lowVram))
        settings->releaseTextEncoder = Switch::On;
    if (parser.isSet(textEncoderQuant) &&
        !parseTextEncoderQuant(parser.value(textEncoderQuant).toStdString(), &settings->textEncoderQuant)) {
        *error = QStringLiteral("--text-encoder-quant \"%1\" is not none, int8 or int4").arg(parser.value(textEncoderQuant));
        return false;
    }
    if (parser.value(weightCache) == QLatin1String("none"))
        settings->quantizedWeightCacheDir.clear();
    else if (parser.isSet(weightCache))
        settings->quantizedWeightCacheDir = QFile::encodeName(parser.value(weightCache)).toStdString();
    else
        bridge::useDefaultWeightCache(settings);
    if (parser.isSet(vaeTiling)) {
        const QString mode = parser.value(vaeTiling);
        if (mode == QLatin1String("on"))
            settings->vaeTiling = Switch::On;
        else if (mode == QLatin1String("off"))
            settings->vaeTiling = Switch::Off;
        else if (mode != QLatin1String("auto")) {
            *error = QStringLiteral("--vae-tiling \"%1\" is not auto, on or off").arg(mode);
            return false;
        }
    }
    return true;
}

} // namespace studio::cli
