#include "engine/io/ModuleLoader.h"

#include "engine/common/EngineError.h"
#include "engine/io/MappedFile.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <set>
#include <sstream>

namespace studio::engine {
namespace {

std::string shapeText(c10::IntArrayRef shape)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

struct Problems
{
    EngineError::Code firstCode = EngineError::Code::Internal;
    std::vector<std::string> lines;
    void add(EngineError::Code code, std::string line)
    {
        if (lines.empty())
            firstCode = code;
        lines.push_back(std::move(line));
    }
};

bool isSixteenBitFloat(c10::ScalarType dtype)
{
    return dtype == c10::kHalf || dtype == c10::kBFloat16;
}

} // namespace

void loadModuleWeights(torch::nn::Module &module, const TensorStore &store, const LoadOptions &options)
{
    const std::string stage = options.stage.empty() ? std::string() : options.stage + ": ";
    std::vector<std::pair<std::string, at::Tensor>> targets;
    for (const auto &item : module.named_parameters(/*recurse=*/true))
        targets.emplace_back(item.key(), item.value());
    for (const auto &item : module.named_buffers(/*recurse=*/true))
        targets.emplace_back(item.key(), item.value());

    Problems problems;
    std::set<std::string> used;
    for (const auto &[name, target] : targets) {
        used.insert(name);
        const TensorInfo *info = store.find(name);
        if (!info) {
            problems.add(EngineError::Code::MissingWeight, "missing tensor \"" + name + "\" in " + store.source());
            continue;
        }
        if (c10::IntArrayRef(info->shape) != target.sizes()) {
            problems.add(EngineError::Code::ShapeMismatch, "tensor \"" + name + "\" in " + info->file + " has shape " +
                                                               shapeText(info->shape) + ", expected " +
                                                               shapeText(target.sizes()));
            continue;
        }
        if (c10::isFloatingType(info->dtype) != c10::isFloatingType(target.scalar_type()))
            problems.add(EngineError::Code::DtypeMismatch, "tensor \"" + name + "\" in " + info->file + " has dtype " +
                                                               c10::toString(info->dtype) + ", expected " +
                                                               c10::toString(target.scalar_type()));
    }
    for (const std::string &name : store.names()) {
        if (used.count(name))
            continue;
        bool ignored = false;
        for (const std::string &prefix : options.ignorePrefixes)
            ignored = ignored || name.compare(0, prefix.size(), prefix) == 0;
        if (!ignored)
            problems.add(EngineError::Code::UnexpectedWeight,
                         "unexpected tensor \"" + name + "\" in " + store.find(name)->file);
    }
    if (!problems.lines.empty()) {
        std::string message = stage + problems.lines.front();
        const size_t shown = std::min<size_t>(problems.lines.size(), 8);
        for (size_t i = 1; i < shown; ++i)
            message += "; " + problems.lines[i];
        if (problems.lines.size() > shown)
            message += "; and " + std::to_string(problems.lines.size() - shown) + " more problems";
        throw EngineError(problems.firstCode, message);
    }

    torch::NoGradGuard noGrad;
    for (auto &[name, target] : targets) {
        if (options.cancelled && options.cancelled())
            throw EngineError(EngineError::Code::Cancelled, stage + "cancelled while loading the weights");
        at::Tensor source = store.get(name);
        const c10::ScalarType dtype = c10::isFloatingType(target.scalar_type())
                                          ? options.dtype.value_or(target.scalar_type())
                                          : target.scalar_type();
        const bool keep = options.keepStoredFloats && options.device.is_cpu() && source.device().is_cpu() &&
                          (source.scalar_type() == dtype ||
                           (c10::isFloatingType(dtype) && isSixteenBitFloat(source.scalar_type())));
        // set_data swaps storage: the module's initial allocation is released, and the weight is converted
        // straight to its final dtype/device without an intermediate fp32 copy.
        target.set_data(keep ? source : source.to(options.device, dtype, /*non_blocking=*/false, /*copy=*/true));
    }
}

at::Tensor declareWeight(c10::IntArrayRef shape, c10::ScalarType dtype)
{
    return at::empty_strided(shape, std::vector<int64_t>(shape.size(), 0), at::TensorOptions().dtype(dtype));
}

// Issue 16 point 1: on the CPU, 16-bit weights are computed in float32 (this upcast, one layer at a time), not in
// bfloat16, for every layer type. Measured with a throwaway program on the 2-core build machine (AMD EPYC with
// AVX512-BF16, LibTorch 1.13, one thread, other builds running), float16 weights, per call:
//   ChatGLM MLP Linear, 256 tokens x 4096 -> 27392: product fp32 713 ms, bf16 271 ms; converting the whole
//     weight fp16->fp32 2845 ms, fp16->bf16 1616 ms (hence upcastLinear converts 16 MB of rows at a time);
//   UNet attention Linear, 2 x 1024 x 1280 -> 1280, upcast included: fp32 76.5 ms, bf16 19.3 ms;
//   UNet 3x3 convolution 640 -> 640 on 2 x 32 x 32, upcast included: fp32 93-191 ms, bf16 52-67 ms;
//   GroupNorm (32 groups) on 2 x 640 x 64 x 64: fp32 3.3 ms, bf16 52 ms.
// bfloat16 products are 2-4x faster here only because this CPU has AVX512-BF16; most of our users' desktop CPUs
// lack it (and AMX), and LibTorch then emulates bf16, slower than float32. Norms are 16x slower in bf16 even here.
// And bf16 changes every result: the MLP output above moved by 0.024 of 6.5 (0.4 %) in one layer, compounding over
// 28 ChatGLM blocks and every UNet step, so images would depend on the CPU, while fp16 -> fp32 is exact (the golden
// fixtures stay exact and an fp16 file gives the image its fp32 twin gives).
at::Tensor weightAs(const at::Tensor &weight, c10::ScalarType dtype)
{
    if (!weight.defined() || weight.scalar_type() == dtype)
        return weight;
    return weight.to(dtype);
}

uint64_t releaseMappedPages(const at::Tensor &tensor)
{
    if (!tensor.defined() || !tensor.device().is_cpu() || !tensor.is_contiguous() || tensor.numel() == 0)
        return 0;
    return MappedFile::releasePages(tensor.data_ptr(), uint64_t(tensor.numel()) * uint64_t(tensor.element_size()));
}

} // namespace studio::engine
