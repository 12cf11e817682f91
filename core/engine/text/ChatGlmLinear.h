#pragma once

#include "engine/text/ChatGlmQuantization.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <torch/nn/module.h>

namespace studio::engine {

// y = x W^T (+ b) with parameters named "weight" / "bias" like torch.nn.Linear, declared without memory
// (declareWeight) because the checkpoint provides them. W may be stored in another dtype than x (kept 16-bit from
// the file, LoadOptions::keepStoredFloats) or quantized (quantize()); either way it is converted to x's dtype for
// this one product only.
class ChatGlmLinear : public torch::nn::Module
{
public:
    ChatGlmLinear(int64_t in, int64_t out, bool bias);
    at::Tensor forward(const at::Tensor &x) const;

    // Replaces the loaded weight by its ChatGLM3 quantization (ChatGlmQuantization.h) on `device`; the float weight
    // is dropped (its mapped pages given back). The bias stays as it is. Throws EngineError::BadArgument.
    void quantize(int bits, c10::Device device);
    // The same with weights quantized before (views of the memory-mapped quantization cache, ChatGlmQuantCache.h),
    // moved to `device`. `quantized` must have this layer's shape (the caller checked the file).
    void useQuantized(QuantizedWeight quantized, c10::Device device);
    int quantBits() const { return m_quantized.bits; }
    const at::Tensor &weight() const { return m_weight; } // as loaded (empty once quantized)
    int64_t inFeatures() const { return m_inFeatures; }
    int64_t outFeatures() const { return m_outFeatures; }

    // Gives back the physical pages of the quantized values and scales when they view the memory-mapped cache
    // (releaseMappedPages), after the layer ran. They are not parameters: the block's parameters() miss them.
    void releaseQuantizedPages() const;

private:
    at::Tensor m_weight, m_bias;
    QuantizedWeight m_quantized;
    int64_t m_inFeatures, m_outFeatures;
};

} // namespace studio::engine
