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
