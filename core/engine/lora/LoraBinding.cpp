#include "engine/lora/LoraBinding.h"

#include "engine/common/EngineError.h"
#include "engine/lora/LoraFile.h"
#include "engine/lora/LoraTargetMap.h"

#include <map>
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

// down [r, in(, kh, kw)] / up [out, r(, 1, 1)] against the weight [out, in(, kh, kw)]; a linear pair also fits a
// 1x1 convolution (proj_in/proj_out of UNets without linear projection).
bool fits(const at::Tensor &down, const at::Tensor &up, const std::vector<int64_t> &weight)
{
    if (up.size(0) != weight[0])
        return false;
    if (down.dim() == int64_t(weight.size())) {
        for (size_t i = 1; i < weight.size(); ++i)
            if (down.size(int64_t(i)) != weight[i])
                return false;
        return true;
    }
    return down.dim() == 2 && weight.size() == 4 && weight[2] == 1 && weight[3] == 1 && down.size(1) == weight[1];
}

} // namespace

LoraBinding LoraBinding::bind(const LoraFile &lora, const LoraTargetMap &targets)
{
    LoraBinding binding;
    std::vector<std::string> unknown, mismatched, doubled;
    std::map<std::string, size_t> byParameter;
    for (size_t i = 0; i < lora.pairs().size(); ++i) {
        const LoraPair &pair = lora.pairs()[i];
        const LoraTargetMap::Target *target = targets.find(lora.format(), pair.stem);
        if (!target) {
            unknown.push_back(pair.downName);
            continue;
        }
        if (!fits(pair.down, pair.up, target->shape)) {
            mismatched.push_back(pair.downName + " " + shapeText(pair.down.sizes()) + " / " + pair.upName + " " +
                                 shapeText(pair.up.sizes()) + " against " + target->parameter + " " +
                                 shapeText(target->shape));
            continue;
        }
        const auto [it, inserted] = byParameter.emplace(target->parameter, i);
        if (!inserted) {
            doubled.push_back(lora.pairs()[it->second].downName + " and " + pair.downName + " both change " +
                              target->parameter);
            continue;
        }
        binding.layers.push_back({i, target->parameter});
    }
    if (unknown.empty() && mismatched.empty() && doubled.empty())
        return binding;

    constexpr size_t kShown = 12;
    std::string text = lora.label() + ": refusing the whole LoRA file (" + loraFormatName(lora.format()) + " names):";
    auto list = [&](const std::vector<std::string> &items, const std::string &what) {
        if (items.empty())
            return;
        text += "\n  " + std::to_string(items.size()) + " " + what + ": ";
        for (size_t i = 0; i < items.size() && i < kShown; ++i)
            text += (i ? ", " : "") + items[i];
        if (items.size() > kShown)
            text += ", ... (" + std::to_string(items.size() - kShown) + " more)";
    };
    list(unknown, "layers that match no layer of this UNet (a LoRA for another base model?)");
    list(mismatched, "layers whose shapes do not fit the UNet weight");
    list(doubled, "layers given twice");
    const EngineError::Code code = !unknown.empty()      ? EngineError::Code::UnexpectedWeight
                                   : !mismatched.empty() ? EngineError::Code::ShapeMismatch
                                                         : EngineError::Code::BadFile;
    throw EngineError(code, text);
}

} // namespace studio::engine
