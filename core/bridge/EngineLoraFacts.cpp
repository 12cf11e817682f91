#include "bridge/EngineLoraFacts.h"

#include "engine/api/LoraApi.h"
#include "engine/common/EngineError.h"

namespace studio::bridge {

bool completeLoraFacts(const QString &path, double scale, story::LoraFacts *facts, QString *error)
{
    engine::LoraInfo info;
    try {
        info = engine::inspectLora(path.toStdString(), scale);
    } catch (const engine::EngineError &e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    if (info.rank > 0)
        facts->rank = int(info.rank);
    if (info.alpha)
        facts->alpha = *info.alpha;
    facts->effectiveScale = info.effectiveScale;
    // The two conventions of the one rule: alpha in the file scales by alpha / rank (kohya, diffusers, peft);
    // without alpha the multiplier is the scale (DiffSynth).
    facts->convention = info.alphaInFile ? QStringLiteral("kohya") : QStringLiteral("diffsynth");
    facts->scaleRule = QString::fromStdString(info.scaleRule);
    facts->layerCount = int(info.layerCount);
    return true;
}

} // namespace studio::bridge
