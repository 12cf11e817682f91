#include "bridge/CharacterGeneration.h"

#include "engine/api/Refine.h"

#include <QFile>

namespace studio::bridge {

void applyIpAdapter(const story::IpAdapterFiles &files, engine::GenerationRequest *request)
{
    if (!files.enabled())
        return;
    engine::IpAdapterSpec &spec = request->ipAdapter;
    spec.adapterPath = QFile::encodeName(files.adapterPath).toStdString();
    spec.imageEncoderDir = QFile::encodeName(files.encoderDir).toStdString();
    spec.referencePath = QFile::encodeName(files.referencePath).toStdString();
    spec.referenceImage = engine::loadInitImage(spec.referencePath);
    spec.scale = files.scale;
}

story::CharacterUse ipAdapterUse(const engine::GenerationResult &result, const story::IpAdapterFiles &files)
{
    if (!result.ipAdapter.enabled() || !files.enabled())
        return {};
    story::CharacterUse use = files.use();
    use.ipScale = result.ipAdapter.scale; // as used
    return use;
}

} // namespace studio::bridge
