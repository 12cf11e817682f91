#include "bridge/PanelGeneration.h"

#include <QDir>

namespace studio::bridge {

engine::GenerationRequest panelRequest(const story::PanelRenderSettings &settings)
{
    engine::GenerationRequest request;
    request.prompt = settings.prompt.toStdString();
    request.negativePrompt = settings.negativePrompt.toStdString();
    request.seed = uint64_t(settings.seed);
    request.steps = settings.steps;
    request.cfg = settings.cfgScale;
    request.sampler = settings.sampler.toStdString();
    request.width = settings.width;
    request.height = settings.height;
    if (settings.hires.enabled) {
        request.hiresScale = settings.hires.scale;
        request.hiresStrength = settings.hires.strength;
        request.hiresSteps = settings.hires.steps;
    }
    return request;
}

QImage renderedImage(const engine::GenerationResult &result)
{
    return QImage(result.rgb.data(), result.width, result.height, qsizetype(result.width) * 3,
                  QImage::Format_RGB888)
        .copy();
}

QJsonObject renderedParameters(const engine::GenerationResult &result, const story::CharacterUse &use,
                               const QString &modelDir, const std::optional<InitImageFile> &initImage, int batchIndex)
{
    QJsonObject parameters = generationParameters(result, initImage, batchIndex);
    use.writeInto(&parameters);
    parameters.insert(QStringLiteral("model"), QDir(modelDir).dirName());
    parameters.insert(QStringLiteral("seconds"), result.timings.totalMs / 1000.0);
    return parameters;
}

} // namespace studio::bridge
