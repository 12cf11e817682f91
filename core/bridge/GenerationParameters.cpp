#include "bridge/GenerationParameters.h"

#include <QFileInfo>
#include <QString>

namespace studio::bridge {

QJsonObject generationParameters(const engine::GenerationResult &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("prompt"), QString::fromStdString(r.prompt));
    o.insert(QStringLiteral("negativePrompt"), QString::fromStdString(r.negativePrompt));
    o.insert(QStringLiteral("seed"), qint64(r.seed));
    o.insert(QStringLiteral("steps"), r.steps);
    o.insert(QStringLiteral("cfgScale"), r.cfg);
    o.insert(QStringLiteral("sampler"), QString::fromStdString(r.sampler));
    o.insert(QStringLiteral("width"), r.width);
    o.insert(QStringLiteral("height"), r.height);
    o.insert(QStringLiteral("cfgApplied"), r.cfgApplied);
    o.insert(QStringLiteral("device"), QString::fromStdString(r.device));
    o.insert(QStringLiteral("precision"), QString::fromStdString(r.precision));
    o.insert(QStringLiteral("vaeTiled"), r.vaeTiled);
    if (r.lora.enabled()) {
        QJsonObject lora;
        lora.insert(QStringLiteral("file"), QFileInfo(QString::fromStdString(r.lora.path)).fileName());
        lora.insert(QStringLiteral("scale"), r.lora.scale);
        lora.insert(QStringLiteral("format"), QString::fromStdString(r.loraFormat));
        if (r.loraEffectiveScaleMin == r.loraEffectiveScaleMax)
            lora.insert(QStringLiteral("effectiveScale"), r.loraEffectiveScaleMin);
        o.insert(QStringLiteral("lora"), lora);
    }
    return o;
}

} // namespace studio::bridge
