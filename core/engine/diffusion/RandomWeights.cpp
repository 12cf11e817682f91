#include "engine/diffusion/RandomWeights.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/nn/module.h>

#include <cmath>

namespace studio::engine {

void fillRandomWeights(torch::nn::Module &module, c10::ScalarType dtype, c10::Device device, uint64_t seed)
{
    torch::NoGradGuard noGrad;
    at::manual_seed(seed);
    // CPU kernels for random half-precision values are missing in older LibTorch: draw float32 there.
    const bool drawFloat = device.is_cpu() && dtype != at::kFloat && dtype != at::kDouble;
    const auto options = at::TensorOptions().dtype(drawFloat ? at::kFloat : dtype).device(device);
    for (auto &item : module.named_parameters(/*recurse=*/true)) {
        at::Tensor &p = item.value();
        const std::string &name = item.key();
        const bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
        at::Tensor value;
        if (isBias)
            value = at::zeros(p.sizes(), options);
        else if (p.dim() == 1) // norm scales
            value = at::ones(p.sizes(), options);
        else {
            const int64_t fanIn = p.numel() / p.size(0);
            value =
                at::randn(p.sizes(), options).mul_(1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(1, fanIn))));
        }
        p.set_data(drawFloat ? value.to(dtype) : value);
    }
}

} // namespace studio::engine
