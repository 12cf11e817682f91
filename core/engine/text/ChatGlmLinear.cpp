#include "engine/text/ChatGlmLinear.h"

#include "engine/io/ModuleLoader.h"

#include <ATen/ATen.h>

namespace studio::engine {

ChatGlmLinear::ChatGlmLinear(int64_t in, int64_t out, bool bias) : m_inFeatures(in), m_outFeatures(out)
{
    m_weight = register_parameter("weight", declareWeight({out, in}), /*requires_grad=*/false);
    if (bias)
        m_bias = register_parameter("bias", declareWeight({out}), /*requires_grad=*/false);
}

at::Tensor ChatGlmLinear::forward(const at::Tensor &x) const
{
    const c10::ScalarType dtype = x.scalar_type();
    if (m_quantized.bits)
        return quantizedLinear(x, m_quantized, m_bias);
    if (m_weight.scalar_type() != dtype) // kept 16-bit from the file: upcast row chunk by row chunk
        return upcastLinear(x, m_weight, m_bias);
    return at::linear(x, m_weight, weightAs(m_bias, dtype)); // float32 files: exactly the plain product
}

void ChatGlmLinear::quantize(int bits, c10::Device device)
{
    useQuantized(quantizeWeight(m_weight, bits), device);
}

void ChatGlmLinear::useQuantized(QuantizedWeight quantized, c10::Device device)
{
    quantized.values = quantized.values.to(device);
    quantized.scale = quantized.scale.to(device);
    m_quantized = std::move(quantized);
    releaseMappedPages(m_weight);
    // The parameter keeps its name (the module tree stays the checkpoint's) but no longer its storage.
    m_weight.set_data(at::empty({0}, m_weight.options()));
}

void ChatGlmLinear::releaseQuantizedPages() const
{
    for (const at::Tensor *tensor : {&m_quantized.values, &m_quantized.scale})
        if (tensor->defined())
            releaseMappedPages(*tensor);
}

} // namespace studio::engine
