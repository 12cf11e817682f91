#include "engine/lora/LoraTargetMap.h"

#include "engine/io/TensorStore.h"
#include "engine/lora/UnetBlockLayout.h"

#include <torch/nn/module.h>

#include <algorithm>

namespace studio::engine {
namespace {

std::string underscored(std::string path)
{
    std::replace(path.begin(), path.end(), '.', '_');
    return path;
}

} // namespace

LoraTargetMap::LoraTargetMap(const UnetBlockLayout &layout,
                             const std::vector<std::pair<std::string, std::vector<int64_t>>> &parameters)
{
    std::vector<std::string> names;
    names.reserve(parameters.size());
    for (const auto &parameter : parameters)
        names.push_back(parameter.first);
    layout.checkAgainst(names);

    const std::string weight = ".weight";
    for (const auto &[name, shape] : parameters) {
        if (shape.size() != 2 && shape.size() != 4)
            continue;
        if (name.size() <= weight.size() || name.compare(name.size() - weight.size(), weight.size(), weight) != 0)
            continue;
        const std::string path = name.substr(0, name.size() - weight.size());
        const size_t index = m_targets.size();
        m_targets.push_back({name, shape});
        add(LoraFormat::Diffusers, path, index);
        // kohya writes either the SGM path (SDXL trainers) or the diffusers path (older SD trainers), '.' -> '_'.
        add(LoraFormat::Kohya, "lora_unet_" + underscored(path), index);
        const std::string sgm = layout.toSgm(path);
        if (!sgm.empty())
            add(LoraFormat::Kohya, "lora_unet_" + underscored(sgm), index);
        const std::string diffsynth = layout.toDiffSynth(path);
        if (!diffsynth.empty())
            add(LoraFormat::DiffSynth, diffsynth, index);
    }
}

void LoraTargetMap::add(LoraFormat format, const std::string &stem, size_t target)
{
    // Two layers with one name would make a file's key ambiguous: map it to neither (it is then reported).
    const auto key = std::make_pair(format, stem);
    const auto it = m_byStem.find(key);
    if (it == m_byStem.end())
        m_byStem.emplace(key, target);
    else if (it->second != target)
        it->second = SIZE_MAX;
}

LoraTargetMap LoraTargetMap::forModule(const UnetBlockLayout &layout, const torch::nn::Module &module)
{
    std::vector<std::pair<std::string, std::vector<int64_t>>> parameters;
    for (const auto &item : module.named_parameters(/*recurse=*/true))
        parameters.emplace_back(item.key(), item.value().sizes().vec());
    return LoraTargetMap(layout, parameters);
}

LoraTargetMap LoraTargetMap::forStore(const UnetBlockLayout &layout, const TensorStore &store)
{
    std::vector<std::pair<std::string, std::vector<int64_t>>> parameters;
    for (const std::string &name : store.names())
        parameters.emplace_back(name, store.find(name)->shape);
    return LoraTargetMap(layout, parameters);
}

const LoraTargetMap::Target *LoraTargetMap::find(LoraFormat format, const std::string &stem) const
{
    const auto it = m_byStem.find({format, stem});
    if (it == m_byStem.end() || it->second == SIZE_MAX)
        return nullptr;
    return &m_targets[it->second];
}

} // namespace studio::engine
