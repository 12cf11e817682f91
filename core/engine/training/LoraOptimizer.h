#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace studio::engine {

// AdamW with torch's defaults (betas 0.9/0.999, eps 1e-8, weight decay 0.01, no amsgrad, constant lr), in the
// operation order of Python's torch.optim.AdamW (single-tensor path), with double scalars as Python has them:
//   w *= 1 - lr*wd;  m = 0.9 m + 0.1 g;  v = 0.999 v + 0.001 g*g;
//   w -= lr/(1 - 0.9^k) * m / (sqrt(v) / sqrt(1 - 0.999^k) + eps)
// Our own rather than torch::optim::AdamW so the state (moments and step) can be saved and restored the same way
// with LibTorch 1.13 and 2.x (their optimizer state maps are keyed differently), which --resume needs to continue
// bit for bit.
class LoraAdamW
{
public:
    LoraAdamW(std::vector<at::Tensor> parameters, double learningRate);

    void zeroGrad();
    void step(); // uses each parameter's .grad (an undefined grad counts as zero)

    int64_t stepCount() const { return m_step; }
    const std::vector<at::Tensor> &expAvg() const { return m_expAvg; }
    const std::vector<at::Tensor> &expAvgSq() const { return m_expAvgSq; }
    // Restores a saved state (shapes must match the parameters; checked by the caller).
    void restore(int64_t step, const std::vector<at::Tensor> &expAvg, const std::vector<at::Tensor> &expAvgSq);

private:
    std::vector<at::Tensor> m_params, m_expAvg, m_expAvgSq;
    double m_lr;
    int64_t m_step = 0;
};

// Dynamic loss scaling for fp16 training (torch.cuda.amp.GradScaler's defaults: start 65536, x0.5 on overflow,
// x2 after 2000 clean steps). The loss is multiplied by scale() before backward; unscale() divides the gradients
// and reports whether all are finite; update() adjusts the scale. Disabled, it is the identity.
class LossScaler
{
public:
    explicit LossScaler(bool enabled) : m_enabled(enabled) {}
    bool enabled() const { return m_enabled; }
    double scale() const { return m_enabled ? m_scale : 1.0; }
    bool unscale(const std::vector<at::Tensor> &parameters) const; // true when every gradient is finite
    void update(bool finite);
    void restore(double scale, int64_t cleanSteps)
    {
        m_scale = scale;
        m_cleanSteps = cleanSteps;
    }
    int64_t cleanSteps() const { return m_cleanSteps; }

private:
    bool m_enabled;
    double m_scale = 65536.0;
    int64_t m_cleanSteps = 0;
};

} // namespace studio::engine
