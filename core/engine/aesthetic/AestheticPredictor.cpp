#include "engine/aesthetic/AestheticPredictor.h"

#include <ATen/ATen.h>

namespace studio::engine {

AestheticPredictor::AestheticPredictor(const ClipVisionConfig &config, const AestheticHeadLayout &head)
{
    m_visionModel = register_module("vision_model", std::make_shared<ClipVisionTransformer>(config));
    m_visualProjection = register_module(
        "visual_projection",
        torch::nn::Linear(torch::nn::LinearOptions(config.hiddenSize, config.projectionDim).bias(false)));
    m_layers = register_module("layers", std::make_shared<AestheticHead>(head));
}

AestheticOutput AestheticPredictor::forward(const at::Tensor &pixelValues, bool keepHiddenStates)
{
    AestheticOutput out;
    out.vision = m_visionModel->forward(pixelValues, keepHiddenStates);
    out.imageEmbeds = m_visualProjection->forward(out.vision.pooled);
    // Upstream divides by `norm(dim=-1, keepdim=True)`, which torch 1.13 runs as linalg.vector_norm(ord=2).
    out.normalizedEmbeds = out.imageEmbeds / at::linalg_vector_norm(out.imageEmbeds, 2, {-1}, /*keepdim=*/true);
    out.score = m_layers->forward(out.normalizedEmbeds);
    return out;
}

} // namespace studio::engine
