#pragma once

#include <cstdint>
#include <string>

namespace studio::engine {

// The sizes and switches of a ChatGLM3 text encoder, read from text_encoder/config.json. Nothing is assumed:
// Kolors ships 28 layers x 4096 with 2 KV groups, the test fixtures use other sizes.
struct ChatGlmConfig
{
    int64_t numLayers = 0;
    int64_t hiddenSize = 0;
    int64_t numHeads = 0;
    int64_t kvChannels = 0;    // head dimension
    int64_t kvGroups = 0;      // multi_query_group_num, or numHeads without multi-query attention
    int64_t ffnHiddenSize = 0; // the MLP's first projection has 2x this many outputs (SwiGLU)
    int64_t vocabSize = 0;     // padded_vocab_size: rows of the word embedding
    double layernormEpsilon = 1e-5;
    bool addQkvBias = false;
    bool addBiasLinear = false;
    bool queryKeyLayerScaling = true;    // scores scaled by 1/(sqrt(d)*layer) then by layer, in fp32
    bool residualAfterLayernorm = false; // apply_residual_connection_post_layernorm
    std::string path;

    int64_t projectionSize() const { return numHeads * kvChannels; }
    int64_t qkvSize() const { return projectionSize() + 2 * kvGroups * kvChannels; }
    // RotaryEmbedding(kv_channels / 2): frequencies 10000^(-2i/dim) for i < ceil(dim/2); the first
    // 2*rotaryFrequencies() dims of each head rotate as interleaved pairs, the rest pass through.
    int64_t rotaryDim() const { return kvChannels / 2; }
    int64_t rotaryFrequencies() const { return (rotaryDim() + 1) / 2; }

    // Throws EngineError MissingFile / BadFile / BadConfig (naming the field) / Unsupported.
    static ChatGlmConfig fromFile(const std::string &configPath);
};

} // namespace studio::engine
