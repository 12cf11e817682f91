#include "engine/diffusion/UNetConfig.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/diffusion/Layers.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace studio::engine {
namespace {

[[noreturn]] void bad(const std::string &file, const std::string &what)
{
    throw EngineError(EngineError::Code::BadConfig, file + ": " + what);
}

[[noreturn]] void unsupported(const std::string &file, const std::string &what)
{
    throw EngineError(EngineError::Code::Unsupported, file + ": " + what + " is not supported");
}

// An int or a list of ints, one per block.
std::vector<int> perBlock(const nlohmann::json &json, const char *key, size_t blocks, const std::string &file,
                          std::optional<int> fallback = std::nullopt)
{
    if (!json.contains(key) || json.at(key).is_null()) {
        if (!fallback)
            bad(file, std::string("missing field \"") + key + "\"");
        return std::vector<int>(blocks, *fallback);
    }
    const nlohmann::json &value = json.at(key);
    if (value.is_number_integer())
        return std::vector<int>(blocks, value.get<int>());
    std::vector<int> values;
    if (value.is_array())
        for (const auto &item : value)
            if (item.is_number_integer())
                values.push_back(item.get<int>());
    if (values.size() != blocks || !value.is_array() || value.size() != blocks)
        bad(file, std::string("field \"") + key + "\" must be an integer or a list of " + std::to_string(blocks) +
                      " integers");
    return values;
}

// transformer_layers_per_block: an int, or per block an int or a list with one entry per resnet layer.
std::vector<std::vector<int>> transformerLayers(const nlohmann::json &value, size_t blocks,
                                                const std::vector<int> &layersPerBlock, const std::string &file,
                                                const char *key)
{
    std::vector<std::vector<int>> out(blocks);
    for (size_t i = 0; i < blocks; ++i) {
        const nlohmann::json &item = value.is_array() ? value.at(i) : value;
        if (item.is_number_integer())
            out[i] = std::vector<int>(layersPerBlock[i], item.get<int>());
        else if (item.is_array() && item.size() == static_cast<size_t>(layersPerBlock[i]))
            for (const auto &n : item)
                out[i].push_back(n.get<int>());
        else
            bad(file, std::string("field \"") + key + "\" has an entry that matches no block");
    }
    return out;
}

bool isNullOr(const nlohmann::json &json, const char *key, const nlohmann::json &allowed)
{
    return !json.contains(key) || json.at(key).is_null() || json.at(key) == allowed;
}

} // namespace

UNetConfig UNetConfig::fromJson(const nlohmann::json &json, const std::string &file)
{
    if (!json.is_object())
        bad(file, "not a JSON object");
    UNetConfig c;
    c.inChannels = fieldOr<int>(json, "in_channels", 4, file);
    c.outChannels = fieldOr<int>(json, "out_channels", 4, file);
    c.blockOutChannels = requireField<std::vector<int>>(json, "block_out_channels", file);
    c.downBlockTypes = requireField<std::vector<std::string>>(json, "down_block_types", file);
    c.upBlockTypes = requireField<std::vector<std::string>>(json, "up_block_types", file);
    const size_t blocks = c.blockOutChannels.size();
    if (blocks < 1 || c.downBlockTypes.size() != blocks || c.upBlockTypes.size() != blocks)
        bad(file, "block_out_channels, down_block_types and up_block_types must have the same length");
    for (const std::string &type : c.downBlockTypes)
        if (type != "DownBlock2D" && type != "CrossAttnDownBlock2D")
            unsupported(file, "down block type \"" + type + "\"");
    for (const std::string &type : c.upBlockTypes)
        if (type != "UpBlock2D" && type != "CrossAttnUpBlock2D")
            unsupported(file, "up block type \"" + type + "\"");
    const std::string mid = fieldOr<std::string>(json, "mid_block_type", "UNetMidBlock2DCrossAttn", file);
    if (mid != "UNetMidBlock2DCrossAttn")
        unsupported(file, "mid_block_type \"" + mid + "\"");

    c.layersPerBlock = perBlock(json, "layers_per_block", blocks, file, 2);
    const nlohmann::json tlpb =
        json.contains("transformer_layers_per_block") ? json.at("transformer_layers_per_block") : nlohmann::json(1);
    if (!tlpb.is_number_integer() && !(tlpb.is_array() && tlpb.size() == blocks))
        bad(file, "field \"transformer_layers_per_block\" must be an integer or one entry per block");
    c.downTransformerLayers = transformerLayers(tlpb, blocks, c.layersPerBlock, file, "transformer_layers_per_block");
    c.midTransformerLayers = c.downTransformerLayers.back().front();
    if (tlpb.is_array() && tlpb.back().is_array())
        c.midTransformerLayers = tlpb.back().front().get<int>();
    std::vector<int> upLayers(c.layersPerBlock.rbegin(), c.layersPerBlock.rend());
    for (int &n : upLayers)
        n += 1;
    if (json.contains("reverse_transformer_layers_per_block") &&
        !json.at("reverse_transformer_layers_per_block").is_null()) {
        const nlohmann::json &rev = json.at("reverse_transformer_layers_per_block");
        if (!rev.is_array() || rev.size() != blocks)
            bad(file, "field \"reverse_transformer_layers_per_block\" needs one entry per block");
        c.upTransformerLayers = transformerLayers(rev, blocks, upLayers, file, "reverse_transformer_layers_per_block");
    } else {
        for (size_t i = 0; i < blocks; ++i) {
            const nlohmann::json &item = tlpb.is_array() ? tlpb.at(blocks - 1 - i) : tlpb;
            if (!item.is_number_integer())
                bad(file, "an asymmetric transformer_layers_per_block needs reverse_transformer_layers_per_block");
            c.upTransformerLayers.push_back(std::vector<int>(upLayers[i], item.get<int>()));
        }
    }

    // diffusers: num_attention_heads = num_attention_heads or attention_head_dim (the legacy misnomer).
    const char *headsKey = json.contains("num_attention_heads") && !json.at("num_attention_heads").is_null()
                               ? "num_attention_heads"
                               : "attention_head_dim";
    c.headCounts = perBlock(json, headsKey, blocks, file, 8);
    c.crossAttentionDim = perBlock(json, "cross_attention_dim", blocks, file, 1280);
    c.useLinearProjection = fieldOr<bool>(json, "use_linear_projection", false, file);
    c.upcastAttention = fieldOr<bool>(json, "upcast_attention", false, file);
    c.normNumGroups = fieldOr<int>(json, "norm_num_groups", 32, file);
    c.normEps = fieldOr<double>(json, "norm_eps", 1e-5, file);
    c.flipSinToCos = fieldOr<bool>(json, "flip_sin_to_cos", true, file);
    c.freqShift = fieldOr<double>(json, "freq_shift", 0.0, file);
    c.timeEmbedDim = fieldOr<int>(json, "time_embedding_dim", c.blockOutChannels.front() * 4, file);
    c.centerInputSample = fieldOr<bool>(json, "center_input_sample", false, file);
    c.convInKernel = fieldOr<int>(json, "conv_in_kernel", 3, file);
    c.convOutKernel = fieldOr<int>(json, "conv_out_kernel", 3, file);
    c.downsamplePadding = fieldOr<int>(json, "downsample_padding", 1, file);
    c.midBlockScaleFactor = fieldOr<double>(json, "mid_block_scale_factor", 1.0, file);

    const std::string addType = fieldOr<std::string>(json, "addition_embed_type", "", file);
    if (addType == "text_time") {
        c.textTimeEmbedding = true;
        c.additionTimeEmbedDim = requireField<int>(json, "addition_time_embed_dim", file);
        c.projectionClassEmbeddingsInputDim = requireField<int>(json, "projection_class_embeddings_input_dim", file);
    } else if (!addType.empty()) {
        unsupported(file, "addition_embed_type \"" + addType + "\"");
    }
    const std::string hidType = fieldOr<std::string>(json, "encoder_hid_dim_type", "", file);
    if (hidType == "text_proj") {
        c.textProjection = true;
        c.encoderHidDim = requireField<int>(json, "encoder_hid_dim", file);
    } else if (!hidType.empty()) {
        unsupported(file, "encoder_hid_dim_type \"" + hidType + "\"");
    }

    // Options of the general diffusers UNet that this family never sets.
    if (!isNullOr(json, "class_embed_type", nullptr))
        unsupported(file, "class_embed_type");
    if (!isNullOr(json, "num_class_embeds", nullptr))
        unsupported(file, "num_class_embeds");
    if (!isNullOr(json, "time_embedding_type", "positional"))
        unsupported(file, "time_embedding_type");
    if (!isNullOr(json, "resnet_time_scale_shift", "default"))
        unsupported(file, "resnet_time_scale_shift");
    if (!isNullOr(json, "dual_cross_attention", false))
        unsupported(file, "dual_cross_attention");
    if (!isNullOr(json, "only_cross_attention", false))
        unsupported(file, "only_cross_attention");
    if (!isNullOr(json, "attention_type", "default"))
        unsupported(file, "attention_type");
    if (!isNullOr(json, "time_cond_proj_dim", nullptr))
        unsupported(file, "time_cond_proj_dim");
    if (!isNullOr(json, "time_embedding_act_fn", nullptr))
        unsupported(file, "time_embedding_act_fn");
    if (!isNullOr(json, "timestep_post_act", nullptr))
        unsupported(file, "timestep_post_act");
    if (!isNullOr(json, "resnet_skip_time_act", false))
        unsupported(file, "resnet_skip_time_act");
    if (!isNullOr(json, "resnet_out_scale_factor", 1.0))
        unsupported(file, "resnet_out_scale_factor");
    if (!isNullOr(json, "cross_attention_norm", nullptr))
        unsupported(file, "cross_attention_norm");
    if (!isNullOr(json, "mid_block_only_cross_attention", false))
        unsupported(file, "mid_block_only_cross_attention");
    if (!layers::isSiluName(fieldOr<std::string>(json, "act_fn", "silu", file)))
        unsupported(file, "act_fn \"" + json.at("act_fn").get<std::string>() + "\"");

    // Consistency, so a bad file fails here with a message rather than deep inside a convolution.
    if (c.inChannels < 1 || c.outChannels < 1 || c.normNumGroups < 1 || c.timeEmbedDim < 1)
        bad(file, "channel counts must be positive");
    if (c.convInKernel % 2 == 0 || c.convOutKernel % 2 == 0)
        bad(file, "conv_in_kernel and conv_out_kernel must be odd");
    for (size_t i = 0; i < blocks; ++i) {
        const int channels = c.blockOutChannels[i];
        if (channels < 1 || channels % c.normNumGroups != 0)
            bad(file, "block_out_channels[" + std::to_string(i) + "] = " + std::to_string(channels) +
                          " is not a positive multiple of norm_num_groups " + std::to_string(c.normNumGroups));
        if (c.headCounts[i] < 1 || channels % c.headCounts[i] != 0)
            bad(file, "block_out_channels[" + std::to_string(i) + "] = " + std::to_string(channels) +
                          " is not divisible by its " + std::to_string(c.headCounts[i]) + " attention heads");
        if (c.layersPerBlock[i] < 1 || c.crossAttentionDim[i] < 1)
            bad(file, "layers_per_block and cross_attention_dim must be positive");
    }
    if (c.textTimeEmbedding && (c.additionTimeEmbedDim < 1 || c.projectionClassEmbeddingsInputDim < 1))
        bad(file, "addition_time_embed_dim and projection_class_embeddings_input_dim must be positive");
    if (c.textProjection && c.encoderHidDim < 1)
        bad(file, "encoder_hid_dim must be positive");
    return c;
}

UNetConfig UNetConfig::fromFile(const std::string &path)
{
    return fromJson(readJsonFile(path), path);
}

} // namespace studio::engine
