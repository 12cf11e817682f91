#include "engine/aesthetic/AestheticHeadLayout.h"

#include "engine/common/EngineError.h"
#include "engine/io/TensorStore.h"

#include <c10/core/ScalarType.h>

#include <map>

namespace studio::engine {
namespace {

constexpr int kMaxHeadIndex = 1000;

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// "12.weight" -> (12, "weight"); false for anything else.
bool splitIndex(const std::string &rest, int *index, std::string *member)
{
    const size_t dot = rest.find('.');
    if (dot == 0 || dot == std::string::npos || dot > 4)
        return false;
    int value = 0;
    for (size_t i = 0; i < dot; ++i) {
        if (rest[i] < '0' || rest[i] > '9')
            return false;
        value = value * 10 + (rest[i] - '0');
    }
    if (value > kMaxHeadIndex || (dot > 1 && rest[0] == '0'))
        return false;
    *index = value;
    *member = rest.substr(dot + 1);
    return true;
}

} // namespace

bool AestheticHeadLayout::hasRelu() const
{
    for (const Layer &layer : layers)
        if (layer.reluAfter)
            return true;
    return false;
}

std::string AestheticHeadLayout::describe() const
{
    std::string text = hasRelu() ? "ReLU head " : "linear head ";
    for (size_t i = 0; i < layers.size(); ++i)
        text += (i ? "" : std::to_string(layers[i].in)) + "->" + std::to_string(layers[i].out);
    return text;
}

int64_t AestheticHeadLayout::parameterCount() const
{
    int64_t count = 0;
    for (const Layer &layer : layers)
        count += layer.in * layer.out + layer.out;
    return count;
}

AestheticHeadLayout AestheticHeadLayout::detect(const TensorStore &store, const std::string &prefix, int64_t inputWidth)
{
    struct Found
    {
        const TensorInfo *weight = nullptr;
        const TensorInfo *bias = nullptr;
    };
    std::map<int, Found> found;
    for (const std::string &name : store.names()) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        int index = 0;
        std::string member;
        const TensorInfo *info = store.find(name);
        if (!splitIndex(name.substr(prefix.size()), &index, &member) || (member != "weight" && member != "bias"))
            throw EngineError(EngineError::Code::UnexpectedWeight,
                              "predictor head: unexpected tensor \"" + name + "\" in " + info->file);
        (member == "weight" ? found[index].weight : found[index].bias) = info;
    }
    if (found.empty())
        throw EngineError(EngineError::Code::MissingWeight,
                          "predictor head: no \"" + prefix + "<i>.weight\" tensors in " + store.describe());

    AestheticHeadLayout layout;
    int64_t expectedIn = inputWidth;
    for (const auto &[index, tensors] : found) {
        const std::string name = prefix + std::to_string(index);
        if (!tensors.weight || !tensors.bias)
            throw EngineError(EngineError::Code::MissingWeight, "predictor head: missing tensor \"" + name +
                                                                    (tensors.weight ? ".bias" : ".weight") + "\" in " +
                                                                    store.describe());
        const TensorInfo &w = *tensors.weight;
        const TensorInfo &b = *tensors.bias;
        if (!c10::isFloatingType(w.dtype) || !c10::isFloatingType(b.dtype))
            throw EngineError(EngineError::Code::DtypeMismatch,
                              "predictor head: tensor \"" + name + "\" in " + w.file + " is not floating point");
        if (w.shape.size() != 2 || w.shape[0] < 1 || w.shape[1] < 1)
            throw EngineError(EngineError::Code::ShapeMismatch, "predictor head: tensor \"" + name + ".weight\" in " +
                                                                    w.file + " has shape " + shapeText(w.shape) +
                                                                    ", expected [out, in]");
        if (b.shape.size() != 1 || b.shape[0] != w.shape[0])
            throw EngineError(EngineError::Code::ShapeMismatch, "predictor head: tensor \"" + name + ".bias\" in " +
                                                                    b.file + " has shape " + shapeText(b.shape) +
                                                                    ", expected [" + std::to_string(w.shape[0]) + "]");
        if (w.shape[1] != expectedIn)
            throw EngineError(
                EngineError::Code::ShapeMismatch,
                "predictor head: tensor \"" + name + ".weight\" in " + w.file + " has shape " + shapeText(w.shape) +
                    ", expected input width " + std::to_string(expectedIn) +
                    (layout.layers.empty() ? " (the projection size)" : " (the previous layer's output)"));
        layout.layers.push_back({index, w.shape[1], w.shape[0], false});
        expectedIn = w.shape[0];
    }
    if (layout.layers.front().index != 0)
        throw EngineError(EngineError::Code::Unsupported, "predictor head: the first Linear is \"" + prefix +
                                                              std::to_string(layout.layers.front().index) +
                                                              "\", expected \"" + prefix + "0\" (" + store.describe() +
                                                              ")");
    if (layout.layers.back().out != 1)
        throw EngineError(EngineError::Code::ShapeMismatch, "predictor head: the last Linear \"" + prefix +
                                                                std::to_string(layout.layers.back().index) + "\" has " +
                                                                std::to_string(layout.layers.back().out) +
                                                                " outputs, expected 1 (" + store.describe() + ")");
    bool reluHead = false;
    for (size_t i = 0; i + 1 < layout.layers.size(); ++i) {
        const int gap = layout.layers[i + 1].index - layout.layers[i].index - 1;
        if (gap > 2)
            throw EngineError(EngineError::Code::Unsupported,
                              "predictor head: unknown layout, " + std::to_string(gap) + " modules between \"" +
                                  prefix + std::to_string(layout.layers[i].index) + "\" and \"" + prefix +
                                  std::to_string(layout.layers[i + 1].index) + "\" (" + store.describe() + ")");
        reluHead = reluHead || gap == 2;
    }
    for (size_t i = 0; i + 1 < layout.layers.size(); ++i)
        layout.layers[i].reluAfter = reluHead && layout.layers[i + 1].index - layout.layers[i].index > 1;
    return layout;
}

} // namespace studio::engine
