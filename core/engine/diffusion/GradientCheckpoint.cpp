#include "engine/diffusion/GradientCheckpoint.h"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <ATen/core/ivalue.h>

namespace studio::engine {
namespace {

// The block travels to backward() inside the context's saved data, which holds IValues only.
struct BodyCapsule : torch::CustomClassHolder
{
    explicit BodyCapsule(CheckpointBody b) : body(std::move(b)) {}
    CheckpointBody body;
};

struct Recompute : torch::autograd::Function<Recompute>
{
    // `anchor` is a 0-d tensor that requires grad: without it, a block whose inputs need no gradient (the first
    // attention block, fed by frozen layers) would give an output autograd never differentiates, and the LoRA
    // weights inside would get no gradient. Its own gradient is zero.
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &anchor, at::TensorList inputs,
                              const c10::intrusive_ptr<BodyCapsule> &capsule)
    {
        (void)anchor;
        ctx->save_for_backward(inputs.vec());
        ctx->saved_data["body"] = at::IValue::make_capsule(capsule);
        at::NoGradGuard noGrad;
        return capsule->body(inputs.vec());
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list gradOutputs)
    {
        const auto capsule = c10::static_intrusive_pointer_cast<BodyCapsule>(ctx->saved_data["body"].toCapsule());
        std::vector<at::Tensor> inputs;
        for (const at::Tensor &saved : ctx->get_saved_variables()) {
            at::Tensor input = saved.defined() ? saved.detach() : saved;
            if (input.defined() && saved.requires_grad())
                input.requires_grad_(true);
            inputs.push_back(input);
        }
        at::Tensor output;
        {
            at::AutoGradMode gradOn(true);
            output = capsule->body(inputs);
        }
        if (output.requires_grad())
            torch::autograd::backward({output}, {gradOutputs[0]});
        torch::autograd::variable_list grads;
        grads.push_back(at::Tensor()); // anchor
        for (const at::Tensor &input : inputs)
            grads.push_back(input.defined() && input.requires_grad() ? input.grad() : at::Tensor());
        grads.push_back(at::Tensor()); // capsule
        return grads;
    }
};

} // namespace

at::Tensor runCheckpointed(bool enabled, const CheckpointBody &body, const std::vector<at::Tensor> &inputs)
{
    if (!enabled || !at::GradMode::is_enabled())
        return body(inputs);
    thread_local at::Tensor anchor;
    if (!anchor.defined())
        anchor = at::zeros({}, at::kFloat).requires_grad_(true);
    return Recompute::apply(anchor, at::TensorList(inputs), c10::make_intrusive<BodyCapsule>(body));
}

} // namespace studio::engine
