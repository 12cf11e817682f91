#include "engine/memory/BlockOffload.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

namespace studio::engine {

BlockOffload::BlockOffload(const std::vector<UNetStage> &stages, c10::Device device) : m_copier(device)
{
    for (const UNetStage &stage : stages) {
        std::vector<at::Tensor> tensors;
        for (const auto &module : stage.modules) {
            for (const at::Tensor &p : module->parameters())
                tensors.push_back(p);
            for (const at::Tensor &b : module->buffers())
                tensors.push_back(b);
        }
        for (at::Tensor &t : tensors) {
            if (!t.device().is_cpu())
                throw EngineError(EngineError::Code::Internal, "UNet block offload needs the weights in host memory");
            if (device.is_cuda())
                t.set_data(pinnedIfPossible(t)); // asynchronous copies need page-locked memory
        }
        m_weights.push_back(std::move(tensors));
        m_names.push_back(stage.name);
    }
    m_resident.resize(m_weights.size());
    m_ahead.resize(m_weights.size());
}

BlockOffload::~BlockOffload()
{
    // A forward pass that threw between enter() and leave() has already put its weights back (the UNet's stage
    // guard); what is left are device copies made ahead, released with the vectors.
}

std::vector<at::Tensor> BlockOffload::hostTensors(size_t stage) const
{
    std::vector<at::Tensor> host;
    host.reserve(m_weights[stage].size());
    // Taken afresh at every pass: a LoRA merged between images changes the host weights in place or replaces them.
    for (const at::Tensor &t : m_weights[stage])
        host.push_back(t.data());
    return host;
}

void BlockOffload::enter(size_t stage)
{
    if (stage >= m_weights.size())
        throw EngineError(EngineError::Code::Internal, "UNet block offload: no stage " + std::to_string(stage));
    if (stage == 0) // a new forward pass: copies left ahead by one that failed may be stale
        for (auto &copies : m_ahead)
            copies.clear();
    if (onEnter)
        onEnter(stage, m_names[stage]);
    m_resident[stage] = hostTensors(stage);
    std::vector<at::Tensor> onDevice;
    if (!m_ahead[stage].empty()) {
        onDevice = std::move(m_ahead[stage]);
        m_ahead[stage].clear();
        m_copier.take(onDevice);
    } else {
        onDevice = m_copier.copyNow(m_resident[stage]);
    }
    for (size_t i = 0; i < onDevice.size(); ++i)
        m_weights[stage][i].set_data(onDevice[i]);
    // The next stage's weights travel while this one computes.
    if (stage + 1 < m_weights.size() && m_copier.device().is_cuda())
        m_ahead[stage + 1] = m_copier.copyAhead(hostTensors(stage + 1));
}

void BlockOffload::leave(size_t stage)
{
    if (stage >= m_weights.size() || m_resident[stage].size() != m_weights[stage].size())
        return; // enter() did not get as far as moving this stage
    for (size_t i = 0; i < m_weights[stage].size(); ++i)
        m_weights[stage][i].set_data(m_resident[stage][i]); // the device copy is released with its last reference
    m_resident[stage].clear();
}

} // namespace studio::engine
