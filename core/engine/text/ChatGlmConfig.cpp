#include "engine/text/ChatGlmConfig.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

namespace studio::engine {
namespace {

int64_t positive(const nlohmann::json &json, const char *key, const std::string &path)
{
    const int64_t value = requireField<int64_t>(json, key, path);
    // Each size is a tensor dimension; 1<<20 is far beyond any ChatGLM and keeps products from overflowing.
    if (value <= 0 || value > (int64_t(1) << 20))
        throw EngineError(EngineError::Code::BadConfig,
                          path + ": field \"" + key + "\" must be a positive size, not " + std::to_string(value));
    return value;
}

} // namespace

ChatGlmConfig ChatGlmConfig::fromFile(const std::string &configPath)
{
    const nlohmann::json json = readJsonFile(configPath);
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadConfig, configPath + ": not a JSON object");
    ChatGlmConfig c;
    c.path = configPath;
    c.numLayers = positive(json, "num_layers", configPath);
    c.hiddenSize = positive(json, "hidden_size", configPath);
    c.numHeads = positive(json, "num_attention_heads", configPath);
    c.kvChannels = json.contains("kv_channels") && !json["kv_channels"].is_null()
                       ? positive(json, "kv_channels", configPath)
                       : c.hiddenSize / c.numHeads;
    c.ffnHiddenSize = positive(json, "ffn_hidden_size", configPath);
    c.vocabSize = json.contains("padded_vocab_size") ? positive(json, "padded_vocab_size", configPath)
                                                     : positive(json, "vocab_size", configPath);
    c.layernormEpsilon = fieldOr<double>(json, "layernorm_epsilon", 1e-5, configPath);
    c.addQkvBias = fieldOr<bool>(json, "add_qkv_bias", false, configPath);
    c.addBiasLinear = fieldOr<bool>(json, "add_bias_linear", false, configPath);
    c.queryKeyLayerScaling = fieldOr<bool>(json, "apply_query_key_layer_scaling", true, configPath);
    c.residualAfterLayernorm = fieldOr<bool>(json, "apply_residual_connection_post_layernorm", false, configPath);
    c.kvGroups = fieldOr<bool>(json, "multi_query_attention", false, configPath)
                     ? positive(json, "multi_query_group_num", configPath)
                     : c.numHeads;

    if (c.kvChannels <= 0)
        throw EngineError(EngineError::Code::BadConfig, configPath + ": kv_channels is missing and hidden_size / "
                                                                     "num_attention_heads is 0");
    if (c.numHeads % c.kvGroups != 0)
        throw EngineError(EngineError::Code::BadConfig,
                          configPath + ": num_attention_heads (" + std::to_string(c.numHeads) +
                              ") is not a multiple of multi_query_group_num (" + std::to_string(c.kvGroups) + ")");
    if (!(c.layernormEpsilon > 0.0))
        throw EngineError(EngineError::Code::BadConfig, configPath + ": layernorm_epsilon must be positive");
    if (!fieldOr<bool>(json, "rmsnorm", true, configPath))
        throw EngineError(EngineError::Code::Unsupported, configPath + ": only RMSNorm ChatGLM models are supported "
                                                                       "(\"rmsnorm\": false)");
    if (fieldOr<int64_t>(json, "pre_seq_len", 0, configPath) > 0)
        throw EngineError(EngineError::Code::Unsupported,
                          configPath + ": prefix tuning (pre_seq_len) is not supported");
    return c;
}

} // namespace studio::engine
