#include "engine/attention/AttentionHook.h"

#include "engine/diffusion/UNet2DConditionModel.h"

namespace studio::engine {

ScopedAttentionHook::ScopedAttentionHook(UNet2DConditionModel &unet,
                                         const std::function<bool(const std::string &path)> &select,
                                         std::shared_ptr<AttentionHook> hook)
{
    for (Attention *layer : unet.attentionLayers()) {
        if (!select(layer->path()))
            continue;
        m_previous.emplace_back(layer, layer->hook());
        layer->setHook(hook);
    }
}

ScopedAttentionHook::~ScopedAttentionHook()
{
    for (auto it = m_previous.rbegin(); it != m_previous.rend(); ++it)
        it->first->setHook(std::move(it->second));
}

std::vector<std::string> ScopedAttentionHook::paths() const
{
    std::vector<std::string> paths;
    for (const auto &entry : m_previous)
        paths.push_back(entry.first->path());
    return paths;
}

} // namespace studio::engine
