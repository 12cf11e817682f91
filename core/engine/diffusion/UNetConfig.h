#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace studio::engine {

// The parts of a diffusers UNet2DConditionModel config.json that the SDXL/Kolors family uses, normalised:
// per-block lists are expanded to one value per down block. Settings outside that family are refused with
// EngineError::Unsupported naming the field, instead of building a network that silently differs.
struct UNetConfig
{
    int inChannels = 4;
    int outChannels = 4;
    std::vector<int> blockOutChannels;
    std::vector<std::string> downBlockTypes; // DownBlock2D | CrossAttnDownBlock2D
    std::vector<std::string> upBlockTypes;   // UpBlock2D | CrossAttnUpBlock2D
    bool hasMidBlock = true;                 // UNetMidBlock2DCrossAttn
    std::vector<int> layersPerBlock;         // per down block
    // Transformer layers per block and per resnet layer: down[i][j] for down block i, layer j; up likewise
    // for up block i (diffusers reverses the down list unless reverse_transformer_layers_per_block is given).
    std::vector<std::vector<int>> downTransformerLayers, upTransformerLayers;
    int midTransformerLayers = 1;
    std::vector<int> headCounts;        // per down block (attention_head_dim in the config: a diffusers misnomer)
    std::vector<int> crossAttentionDim; // per down block
    bool useLinearProjection = false;
    bool upcastAttention = false;
    int normNumGroups = 32;
    double normEps = 1e-5;
    bool flipSinToCos = true;
    double freqShift = 0.0;
    int timeEmbedDim = 0; // block_out_channels[0] * 4 unless time_embedding_dim is set
    bool centerInputSample = false;
    int convInKernel = 3;
    int convOutKernel = 3;
    int downsamplePadding = 1;
    double midBlockScaleFactor = 1.0;
    // Conditioning
    bool textTimeEmbedding = false; // addition_embed_type "text_time"
    int additionTimeEmbedDim = 0;
    int projectionClassEmbeddingsInputDim = 0;
    bool textProjection = false; // encoder_hid_dim_type "text_proj"
    int encoderHidDim = 0;

    // Throws EngineError::BadConfig (missing/wrong fields, inconsistent sizes) or ::Unsupported.
    static UNetConfig fromJson(const nlohmann::json &json, const std::string &file);
    static UNetConfig fromFile(const std::string &path);

    // The width of the text embeddings the model expects as encoder_hidden_states.
    int textHiddenSize() const { return textProjection ? encoderHidDim : crossAttentionDim.front(); }
    // Latent size must be a multiple of this for the plain 2x upsampling path (others use the skip's size).
    int overallDownFactor() const { return 1 << (static_cast<int>(blockOutChannels.size()) - 1); }
};

} // namespace studio::engine
