#pragma once

#include "engine/aesthetic/AestheticHead.h"
#include "engine/aesthetic/ClipVisionTransformer.h"

namespace studio::engine {

struct AestheticOutput
{
    ClipVisionOutput vision;
    at::Tensor imageEmbeds;      // [B, proj] visual_projection(pooled)
    at::Tensor normalizedEmbeds; // [B, proj] imageEmbeds / ||imageEmbeds||, no epsilon (the head's input)
    at::Tensor score;            // [B, 1]
};

// shunk031/simple-aesthetics-predictor's AestheticsPredictorV2Linear / V2ReLU: CLIPVisionModelWithProjection plus
// a head on the L2-normalised image embedding. Parameter names are the checkpoint's: `vision_model.*`,
// `visual_projection.weight` (no bias) and `layers.<i>.{weight,bias}`.
class AestheticPredictor : public torch::nn::Module
{
public:
    AestheticPredictor(const ClipVisionConfig &config, const AestheticHeadLayout &head);
    AestheticOutput forward(const at::Tensor &pixelValues, bool keepHiddenStates = false);

private:
    std::shared_ptr<ClipVisionTransformer> m_visionModel;
    torch::nn::Linear m_visualProjection{nullptr};
    std::shared_ptr<AestheticHead> m_layers;
};

} // namespace studio::engine
