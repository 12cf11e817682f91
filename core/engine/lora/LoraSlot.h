#pragma once

#include "engine/lora/LoraMerger.h"
#include "engine/lora/LoraSpec.h"
#include "engine/lora/UnetBlockLayout.h"

#include <memory>
#include <string>

namespace torch::nn {
class Module;
}

namespace studio::engine {

class LoraFile;

// The LoRA merged into one UNet, for the pipeline: set() with each request's LoraSpec; the file is read, mapped and
// merged only when the spec (path, scale) or the file itself (size, modification time) changed, and the previous
// LoRA is taken out bit-exactly first.
class LoraSlot
{
public:
    explicit LoraSlot(UnetBlockLayout layout);
    ~LoraSlot();

    // Makes `unet` carry exactly spec's LoRA (none when spec.path is empty). On failure the UNet is left with its
    // original weights and no LoRA, and the EngineError is rethrown.
    void set(torch::nn::Module &unet, const LoraSpec &spec);
    // Takes the LoRA out of the UNet it was merged into.
    void clear();
    // Forgets a merge without touching the module (call when the UNet it was merged into has been discarded).
    void forget();

    const LoraSpec &spec() const { return m_spec; } // what is merged now (empty path: nothing)
    const LoraFile *file() const { return m_file.get(); }
    int mergeCount() const { return m_merges; } // merges done so far (re-merges are what set() avoids)
    // Whether the merged LoRA changed `parameter` (its values are no longer the file's).
    bool changed(const at::Tensor &parameter) const { return m_merger.changed(parameter); }

private:
    UnetBlockLayout m_layout;
    LoraMerger m_merger;
    std::unique_ptr<LoraFile> m_file;
    LoraSpec m_spec;
    std::string m_fileStamp;
    const torch::nn::Module *m_module = nullptr;
    int m_merges = 0;
};

} // namespace studio::engine
