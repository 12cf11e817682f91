#pragma once

// --unet-offload blocks: the UNet's weights stay in (pinned) host memory and each stage of its forward pass gets
// its weights copied to the GPU just before it runs and released right after, the next stage's copy overlapping
// the current stage on a side stream. Peak GPU memory is then about two stages' weights plus the activations
// instead of the whole 5 GB UNet (the sequential CPU offload of diffusers and ComfyUI's low-VRAM mode, at the
// granularity of the UNet's top-level blocks). Slower, but it runs on 4-6 GB cards.
//
// On the CPU the same code runs with no-op moves, so the CPU tests prove the streamed forward is the plain one.

#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/memory/CudaMemory.h"

#include <functional>
#include <string>
#include <vector>

namespace studio::engine {

class BlockOffload : public UNetStageHook
{
public:
    // `stages` as UNet2DConditionModel::stages() lists them; their weights are pinned in place (CUDA only).
    BlockOffload(const std::vector<UNetStage> &stages, c10::Device device);
    ~BlockOffload() override;

    c10::Device computeDevice() const override { return m_copier.device(); }
    void enter(size_t stage) override;
    void leave(size_t stage) override;

    // Observer of each stage as it starts (tests count the visits; a benchmark could time them).
    std::function<void(size_t stage, const std::string &name)> onEnter;

private:
    // The parameters and buffers of a stage: handles that share their TensorImpl with the modules, so set_data()
    // on them changes what the modules compute with.
    std::vector<std::vector<at::Tensor>> m_weights;
    std::vector<std::string> m_names;
    std::vector<std::vector<at::Tensor>> m_resident; // per stage while it runs: the host tensors to put back
    std::vector<std::vector<at::Tensor>> m_ahead;    // per stage: device copies started ahead of time
    WeightCopier m_copier;

    std::vector<at::Tensor> hostTensors(size_t stage) const;
};

} // namespace studio::engine
