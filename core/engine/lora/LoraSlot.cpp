#include "engine/lora/LoraSlot.h"

#include "engine/lora/LoraBinding.h"
#include "engine/lora/LoraFile.h"
#include "engine/lora/LoraTargetMap.h"

#include <torch/nn/module.h>

#include <filesystem>

namespace studio::engine {
namespace {

// Size and modification time: a file rewritten under the same name (a new training epoch) is merged again.
std::string stampOf(const std::string &path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    const auto time = std::filesystem::last_write_time(path, error);
    return std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count());
}

} // namespace

LoraSlot::LoraSlot(UnetBlockLayout layout) : m_layout(std::move(layout)) {}

LoraSlot::~LoraSlot() = default;

void LoraSlot::set(torch::nn::Module &unet, const LoraSpec &spec)
{
    if (!spec.enabled()) {
        clear();
        return;
    }
    const std::string stamp = stampOf(spec.path);
    if (m_module == &unet && m_merger.merged() && spec == m_spec && stamp == m_fileStamp)
        return;
    clear();
    auto file = std::make_unique<LoraFile>(LoraFile::load(spec.path));
    const LoraBinding binding = LoraBinding::bind(*file, LoraTargetMap::forModule(m_layout, unet));
    m_merger.apply(unet, *file, binding, spec.scale);
    m_file = std::move(file);
    m_spec = spec;
    m_fileStamp = stamp;
    m_module = &unet;
    ++m_merges;
}

void LoraSlot::clear()
{
    m_merger.restore();
    forget();
}

void LoraSlot::forget()
{
    m_merger = LoraMerger();
    m_file.reset();
    m_spec = LoraSpec{};
    m_fileStamp.clear();
    m_module = nullptr;
}

} // namespace studio::engine
