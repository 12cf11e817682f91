#include "engine/training/LoraOptimizer.h"

#include <ATen/ATen.h>

#include <cmath>

namespace studio::engine {
namespace {
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8, kWeightDecay = 1e-2;
}

LoraAdamW::LoraAdamW(std::vector<at::Tensor> parameters, double learningRate)
    : m_params(std::move(parameters)), m_lr(learningRate)
{
    for (const at::Tensor &p : m_params) {
        m_expAvg.push_back(at::zeros_like(p, at::MemoryFormat::Preserve).detach());
        m_expAvgSq.push_back(at::zeros_like(p, at::MemoryFormat::Preserve).detach());
    }
}

void LoraAdamW::zeroGrad()
{
    for (at::Tensor &p : m_params) {
        at::Tensor grad = p.mutable_grad();
        if (grad.defined())
            grad.zero_();
    }
}

void LoraAdamW::step()
{
    at::NoGradGuard noGrad;
    ++m_step;
    const double biasCorrection1 = 1.0 - std::pow(kBeta1, double(m_step));
    const double biasCorrection2 = 1.0 - std::pow(kBeta2, double(m_step));
    const double stepSize = m_lr / biasCorrection1;
    const double biasCorrection2Sqrt = std::sqrt(biasCorrection2);
    for (size_t i = 0; i < m_params.size(); ++i) {
        at::Tensor param = m_params[i];
        const at::Tensor grad = param.grad().defined() ? param.grad() : at::zeros_like(param);
        param.mul_(1.0 - m_lr * kWeightDecay);
        m_expAvg[i].mul_(kBeta1).add_(grad, 1.0 - kBeta1);
        m_expAvgSq[i].mul_(kBeta2).addcmul_(grad, grad, 1.0 - kBeta2);
        const at::Tensor denom = (m_expAvgSq[i].sqrt() / biasCorrection2Sqrt).add_(kEps);
        param.addcdiv_(m_expAvg[i], denom, -stepSize);
    }
}

void LoraAdamW::restore(int64_t step, const std::vector<at::Tensor> &expAvg, const std::vector<at::Tensor> &expAvgSq)
{
    at::NoGradGuard noGrad;
    m_step = step;
    for (size_t i = 0; i < m_params.size(); ++i) {
        m_expAvg[i].copy_(expAvg[i]);
        m_expAvgSq[i].copy_(expAvgSq[i]);
    }
}

bool LossScaler::unscale(const std::vector<at::Tensor> &parameters) const
{
    if (!m_enabled)
        return true;
    at::NoGradGuard noGrad;
    bool finite = true;
    const double inverse = 1.0 / m_scale;
    for (const at::Tensor &p : parameters) {
        at::Tensor grad = p.grad();
        if (!grad.defined())
            continue;
        grad.mul_(inverse);
        finite = finite && at::isfinite(grad).all().item<bool>();
    }
    return finite;
}

void LossScaler::update(bool finite)
{
    if (!m_enabled)
        return;
    if (!finite) {
        m_scale *= 0.5;
        m_cleanSteps = 0;
    } else if (++m_cleanSteps >= 2000) {
        m_scale *= 2.0;
        m_cleanSteps = 0;
    }
}

} // namespace studio::engine
