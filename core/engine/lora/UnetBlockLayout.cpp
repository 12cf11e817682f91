#include "engine/lora/UnetBlockLayout.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace studio::engine {
namespace {

using json = nlohmann::json;

bool isNumber(const std::string &text)
{
    return !text.empty() && text.size() < 9 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::vector<std::string> splitDots(const std::string &path)
{
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            return parts;
        start = dot + 1;
    }
}

// The block a diffusers parameter or module path lies in ("down_blocks.1.attentions.0"), and where its rest starts.
bool blockOf(const std::vector<std::string> &parts, std::string *block, size_t *restStart)
{
    static const std::set<std::string> kInner = {"resnets", "attentions", "downsamplers", "upsamplers"};
    if (parts.size() >= 4 && (parts[0] == "down_blocks" || parts[0] == "up_blocks") && isNumber(parts[1]) &&
        kInner.count(parts[2]) && isNumber(parts[3])) {
        *block = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
        *restStart = 4;
        return true;
    }
    if (parts.size() >= 3 && parts[0] == "mid_block" && kInner.count(parts[1]) && isNumber(parts[2])) {
        *block = parts[0] + "." + parts[1] + "." + parts[2];
        *restStart = 3;
        return true;
    }
    return false;
}

std::string joinFrom(const std::vector<std::string> &parts, size_t start)
{
    std::string text;
    for (size_t i = start; i < parts.size(); ++i)
        text += (i > start ? "." : "") + parts[i];
    return text;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A per-block config value: an int for all blocks or a list with one entry per block (each an int or a per-layer list).
std::vector<json> perBlock(const json &config, const std::string &key, const json &fallback, size_t blocks,
                           const std::string &file)
{
    const json value = config.contains(key) && !config.at(key).is_null() ? config.at(key) : fallback;
    if (value.is_number_integer())
        return std::vector<json>(blocks, value);
    if (value.is_array() && value.size() == blocks)
        return std::vector<json>(value.begin(), value.end());
    throw EngineError(EngineError::Code::BadConfig, file + ": \"" + key + "\" must be an integer or a list of " +
                                                        std::to_string(blocks) + " entries");
}

int layerValue(const json &entry, int layer, const std::string &key, const std::string &file)
{
    if (entry.is_number_integer() && entry.get<int>() >= 0)
        return entry.get<int>();
    if (entry.is_array() && layer < int(entry.size()) && entry[size_t(layer)].is_number_integer() &&
        entry[size_t(layer)].get<int>() >= 0)
        return entry[size_t(layer)].get<int>();
    throw EngineError(EngineError::Code::BadConfig,
                      file + ": \"" + key + "\" has no valid value for layer " + std::to_string(layer));
}

bool hasCrossAttention(const std::string &type, const char *plain, const char *cross, const std::string &key,
                       const std::string &file)
{
    if (type == cross)
        return true;
    if (type == plain)
        return false;
    throw EngineError(EngineError::Code::BadConfig, file + ": block type \"" + type + "\" in \"" + key +
                                                        "\" is not supported for LoRA mapping (only " + plain +
                                                        " and " + cross + ")");
}

} // namespace

UnetBlockLayout UnetBlockLayout::fromConfigFile(const std::string &path)
{
    return fromConfig(readJsonFile(path), path);
}

UnetBlockLayout UnetBlockLayout::fromConfig(const json &config, const std::string &file)
{
    if (!config.is_object())
        throw EngineError(EngineError::Code::BadConfig, file + ": not a JSON object");
    UnetBlockLayout layout;
    layout.m_file = file;
    const auto downTypes = requireField<std::vector<std::string>>(config, "down_block_types", file);
    const auto upTypes = requireField<std::vector<std::string>>(config, "up_block_types", file);
    const size_t count = downTypes.size();
    if (count == 0 || upTypes.size() != count)
        throw EngineError(EngineError::Code::BadConfig,
                          file + ": \"down_block_types\" and \"up_block_types\" must be non-empty and equally long");
    const std::vector<json> layers = perBlock(config, "layers_per_block", json(2), count, file);
    const std::vector<json> depths = perBlock(config, "transformer_layers_per_block", json(1), count, file);
    std::vector<json> reversedLayers(layers.rbegin(), layers.rend());
    std::vector<json> upDepths(depths.rbegin(), depths.rend());
    if (config.contains("reverse_transformer_layers_per_block") &&
        !config.at("reverse_transformer_layers_per_block").is_null())
        upDepths = perBlock(config, "reverse_transformer_layers_per_block", json(), count, file);

    int flat = 0; // DiffSynth's list index
    auto add = [&](Kind kind, std::string diffusers, std::string sgm, int depth) {
        layout.m_index[diffusers] = layout.m_blocks.size();
        layout.m_blocks.push_back({kind, std::move(diffusers), std::move(sgm), flat++, depth});
    };

    // Down path: per layer ResnetBlock, [AttentionBlock], PushBlock; then DownSampler, PushBlock (not on the last).
    // SGM counts input_blocks from 1 (input_blocks.0 is conv_in), one per layer and one per downsampler.
    int input = 1;
    for (size_t b = 0; b < count; ++b) {
        const bool attention =
            hasCrossAttention(downTypes[b], "DownBlock2D", "CrossAttnDownBlock2D", "down_block_types", file);
        const int layerCount = layerValue(layers[b], 0, "layers_per_block", file);
        const std::string prefix = "down_blocks." + std::to_string(b);
        for (int l = 0; l < layerCount; ++l, ++input) {
            const std::string sgm = "input_blocks." + std::to_string(input);
            add(Kind::Resnet, prefix + ".resnets." + std::to_string(l), sgm + ".0", 0);
            if (attention)
                add(Kind::Attention, prefix + ".attentions." + std::to_string(l), sgm + ".1",
                    layerValue(depths[b], l, "transformer_layers_per_block", file));
            ++flat; // PushBlock
        }
        if (b + 1 < count) {
            add(Kind::Downsampler, prefix + ".downsamplers.0", "input_blocks." + std::to_string(input) + ".0", 0);
            ++flat; // PushBlock
            ++input;
        }
    }

    // Middle: ResnetBlock, AttentionBlock, ResnetBlock.
    const json midType =
        config.contains("mid_block_type") ? config.at("mid_block_type") : json("UNetMidBlock2DCrossAttn");
    if (!midType.is_null()) {
        if (midType != json("UNetMidBlock2DCrossAttn"))
            throw EngineError(EngineError::Code::BadConfig,
                              file + ": mid_block_type " + midType.dump() + " is not supported for LoRA mapping");
        add(Kind::Resnet, "mid_block.resnets.0", "middle_block.0", 0);
        add(Kind::Attention, "mid_block.attentions.0", "middle_block.1",
            layerValue(depths.back(), 0, "transformer_layers_per_block", file));
        add(Kind::Resnet, "mid_block.resnets.1", "middle_block.2", 0);
    }

    // Up path: per layer PopBlock, ResnetBlock, [AttentionBlock]; UpSampler after the last layer (not on the last
    // block). SGM: one output_blocks entry per layer, the upsampler sits inside the last one (index 2, or 1 without
    // attention).
    int output = 0;
    for (size_t u = 0; u < count; ++u) {
        const bool attention = hasCrossAttention(upTypes[u], "UpBlock2D", "CrossAttnUpBlock2D", "up_block_types", file);
        const int layerCount = layerValue(reversedLayers[u], 0, "layers_per_block", file) + 1;
        const std::string prefix = "up_blocks." + std::to_string(u);
        for (int l = 0; l < layerCount; ++l, ++output) {
            const std::string sgm = "output_blocks." + std::to_string(output);
            ++flat; // PopBlock
            add(Kind::Resnet, prefix + ".resnets." + std::to_string(l), sgm + ".0", 0);
            if (attention)
                add(Kind::Attention, prefix + ".attentions." + std::to_string(l), sgm + ".1",
                    layerValue(upDepths[u], l, "transformer_layers_per_block", file));
            if (l + 1 == layerCount && u + 1 < count)
                add(Kind::Upsampler, prefix + ".upsamplers.0", sgm + (attention ? ".2" : ".1"), 0);
        }
    }
    return layout;
}

const UnetBlockLayout::Block *UnetBlockLayout::find(const std::string &diffusersBlock) const
{
    const auto it = m_index.find(diffusersBlock);
    return it == m_index.end() ? nullptr : &m_blocks[it->second];
}

const UnetBlockLayout::Block *UnetBlockLayout::split(const std::string &path, std::string *rest) const
{
    const std::vector<std::string> parts = splitDots(path);
    std::string block;
    size_t restStart = 0;
    if (!blockOf(parts, &block, &restStart))
        return nullptr;
    *rest = joinFrom(parts, restStart);
    return find(block);
}

std::string UnetBlockLayout::toSgm(const std::string &diffusersPath) const
{
    static const std::map<std::string, std::string> kTopLevel = {
        {"conv_in", "input_blocks.0.0"},
        {"time_embedding.linear_1", "time_embed.0"},
        {"time_embedding.linear_2", "time_embed.2"},
        {"add_embedding.linear_1", "label_emb.0.0"},
        {"add_embedding.linear_2", "label_emb.0.2"},
        {"conv_norm_out", "out.0"},
        {"conv_out", "out.2"},
    };
    static const std::map<std::string, std::string> kResnet = {
        {"norm1", "in_layers.0"},  {"conv1", "in_layers.2"},  {"time_emb_proj", "emb_layers.1"},
        {"norm2", "out_layers.0"}, {"conv2", "out_layers.3"}, {"conv_shortcut", "skip_connection"},
    };
    std::string rest;
    const Block *block = split(diffusersPath, &rest);
    if (!block) {
        const auto it = kTopLevel.find(diffusersPath);
        return it == kTopLevel.end() ? std::string() : it->second;
    }
    if (rest.empty())
        return {};
    switch (block->kind) {
    case Kind::Attention:
        return block->sgm + "." + rest;
    case Kind::Resnet: {
        const auto it = kResnet.find(rest);
        return it == kResnet.end() ? std::string() : block->sgm + "." + it->second;
    }
    case Kind::Downsampler:
        return rest == "conv" ? block->sgm + ".op" : std::string();
    case Kind::Upsampler:
        return rest == "conv" ? block->sgm + ".conv" : std::string();
    }
    return {};
}

std::string UnetBlockLayout::toDiffSynth(const std::string &diffusersPath) const
{
    static const std::map<std::string, std::string> kTopLevel = {
        {"conv_in", "conv_in"},
        {"time_embedding.linear_1", "time_embedding.0"},
        {"time_embedding.linear_2", "time_embedding.2"},
        {"add_embedding.linear_1", "add_time_embedding.0"},
        {"add_embedding.linear_2", "add_time_embedding.2"},
        {"encoder_hid_proj", "text_intermediate_proj"},
        {"conv_norm_out", "conv_norm_out"},
        {"conv_out", "conv_out"},
    };
    std::string rest;
    const Block *block = split(diffusersPath, &rest);
    if (!block) {
        const auto it = kTopLevel.find(diffusersPath);
        return it == kTopLevel.end() ? std::string() : it->second;
    }
    if (rest.empty())
        return {};
    if (block->kind == Kind::Attention) {
        // DiffSynth's transformer block: to_out is a single Linear, the feed-forward is act_fn (GEGLU) + ff.
        std::vector<std::string> parts = splitDots(rest);
        std::string renamed;
        for (size_t i = 0; i < parts.size(); ++i) {
            const std::string tail = joinFrom(parts, i);
            if (parts[i] == "to_out" && i + 1 < parts.size() && parts[i + 1] == "0") {
                parts.erase(parts.begin() + long(i) + 1);
            } else if (tail.rfind("ff.net.0.proj", 0) == 0) {
                parts.erase(parts.begin() + long(i), parts.begin() + long(i) + 3);
                parts[i] = "proj";
                parts.insert(parts.begin() + long(i), "act_fn");
                break;
            } else if (tail.rfind("ff.net.2", 0) == 0) {
                parts.erase(parts.begin() + long(i) + 1, parts.begin() + long(i) + 3);
                break;
            }
        }
        rest = joinFrom(parts, 0);
    }
    return "blocks." + std::to_string(block->diffsynth) + "." + rest;
}

void UnetBlockLayout::checkAgainst(const std::vector<std::string> &parameterNames) const
{
    std::map<std::string, int> seen; // block -> transformer depth found (0 for non-attention blocks)
    for (const std::string &name : parameterNames) {
        const std::vector<std::string> parts = splitDots(name);
        std::string block;
        size_t restStart = 0;
        if (!blockOf(parts, &block, &restStart))
            continue;
        int &depth = seen[block];
        if (parts.size() > restStart + 1 && parts[restStart] == "transformer_blocks" && isNumber(parts[restStart + 1]))
            depth = std::max(depth, std::stoi(parts[restStart + 1]) + 1);
    }
    std::vector<std::string> lines;
    for (const auto &[block, depth] : seen) {
        const Block *expected = find(block);
        if (!expected)
            lines.push_back("the UNet has " + block + ", the config has not");
        else if (expected->kind == Kind::Attention && expected->depth != depth)
            lines.push_back(block + " has " + std::to_string(depth) + " transformer blocks, the config says " +
                            std::to_string(expected->depth));
    }
    for (const Block &block : m_blocks)
        if (!seen.count(block.diffusers))
            lines.push_back("the config has " + block.diffusers + ", the UNet has not");
    if (lines.empty())
        return;
    std::string text = m_file + " does not describe this UNet, so LoRA block numbers cannot be mapped:";
    for (size_t i = 0; i < lines.size() && i < 12; ++i)
        text += "\n  " + lines[i];
    if (lines.size() > 12)
        text += "\n  ... (" + std::to_string(lines.size() - 12) + " more)";
    throw EngineError(EngineError::Code::BadConfig, text);
}

} // namespace studio::engine
