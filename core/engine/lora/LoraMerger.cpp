#include "engine/lora/LoraMerger.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/lora/LoraBinding.h"
#include "engine/lora/LoraFile.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/utils.h>

#include <cmath>

namespace studio::engine {

void LoraMerger::apply(torch::nn::Module &module, const LoraFile &lora, const LoraBinding &binding, double userScale)
{
    if (!std::isfinite(userScale))
        throw EngineError(EngineError::Code::BadArgument, "the LoRA scale must be a finite number");
    restore();

    const auto parameters = module.named_parameters(/*recurse=*/true);
    std::vector<at::Tensor> weights;
    weights.reserve(binding.layers.size());
    for (const LoraBinding::Layer &layer : binding.layers) {
        const at::Tensor *weight = parameters.find(layer.parameter);
        if (!weight || layer.pair >= lora.pairs().size())
            throw EngineError(EngineError::Code::MissingWeight,
                              lora.label() + ": the module has no parameter \"" + layer.parameter + "\" to merge into");
        weights.push_back(*weight);
    }

    torch::NoGradGuard noGrad;
    const LoraBinding::Layer *current = nullptr;
    try {
        for (size_t i = 0; i < binding.layers.size(); ++i) {
            current = &binding.layers[i];
            const LoraPair &pair = lora.pairs()[current->pair];
            at::Tensor weight = weights[i].detach();
            m_saved.push_back({weights[i], weight.to(at::kCPU, weight.scalar_type(), false, /*copy=*/true)});

            const at::TensorOptions fp32 = weight.options().dtype(at::kFloat);
            const at::Tensor up = pair.up.to(fp32).reshape({pair.up.size(0), pair.rank});
            const at::Tensor down = pair.down.to(fp32).reshape({pair.rank, -1});
            // (up @ down) * s, then W + delta: the order diffusers/peft use when fusing a LoRA.
            const at::Tensor delta = at::matmul(up, down).mul_(pair.effectiveScale(userScale)).reshape(weight.sizes());
            weight.copy_(weight.to(at::kFloat).add(delta));
        }
    } catch (...) {
        restore();
        rethrowAsEngineError(lora.label() + ": merging into " + (current ? current->parameter : std::string("?")));
    }
}

bool LoraMerger::changed(const at::Tensor &parameter) const
{
    for (const Saved &saved : m_saved)
        if (saved.parameter.is_same(parameter))
            return true;
    return false;
}

void LoraMerger::restore()
{
    torch::NoGradGuard noGrad;
    for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it)
        it->parameter.detach().copy_(it->original);
    m_saved.clear();
}

} // namespace studio::engine
