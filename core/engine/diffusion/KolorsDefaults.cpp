#include "engine/diffusion/KolorsDefaults.h"

#include <nlohmann/json.hpp>

namespace studio::engine {
namespace {

// Kolors UNet (REFERENCE A.1.4): SDXL layout with a 4096-wide text projection and a 5632-input add embedding.
const char *const kKolorsUNet = R"({
  "_class_name": "UNet2DConditionModel",
  "act_fn": "silu",
  "addition_embed_type": "text_time",
  "addition_time_embed_dim": 256,
  "attention_head_dim": [5, 10, 20],
  "block_out_channels": [320, 640, 1280],
  "center_input_sample": false,
  "cross_attention_dim": 2048,
  "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
  "downsample_padding": 1,
  "encoder_hid_dim": 4096,
  "encoder_hid_dim_type": "text_proj",
  "flip_sin_to_cos": true,
  "freq_shift": 0,
  "in_channels": 4,
  "layers_per_block": 2,
  "mid_block_type": "UNetMidBlock2DCrossAttn",
  "norm_eps": 1e-05,
  "norm_num_groups": 32,
  "out_channels": 4,
  "projection_class_embeddings_input_dim": 5632,
  "sample_size": 128,
  "transformer_layers_per_block": [1, 2, 10],
  "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
  "use_linear_projection": true
})";

// The SDXL VAE (REFERENCE A.1.5): scaling factor 0.13025.
const char *const kKolorsVae = R"({
  "_class_name": "AutoencoderKL",
  "act_fn": "silu",
  "block_out_channels": [128, 256, 512, 512],
  "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
  "force_upcast": true,
  "in_channels": 3,
  "latent_channels": 4,
  "layers_per_block": 2,
  "norm_num_groups": 32,
  "out_channels": 3,
  "sample_size": 1024,
  "scaling_factor": 0.13025,
  "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]
})";

// Kolors' EulerDiscreteScheduler settings (REFERENCE A.1.6).
const char *const kKolorsScheduler = R"({
  "_class_name": "EulerDiscreteScheduler",
  "beta_end": 0.014,
  "beta_schedule": "scaled_linear",
  "beta_start": 0.00085,
  "clip_sample": false,
  "interpolation_type": "linear",
  "num_train_timesteps": 1100,
  "prediction_type": "epsilon",
  "rescale_betas_zero_snr": false,
  "set_alpha_to_one": false,
  "steps_offset": 1,
  "timestep_spacing": "leading",
  "trained_betas": null,
  "use_karras_sigmas": false
})";

// ChatGLM3 as Kolors ships it (REFERENCE A.1.1).
const char *const kKolorsTextEncoder = R"({
  "model_type": "chatglm",
  "add_bias_linear": false,
  "add_qkv_bias": true,
  "apply_query_key_layer_scaling": true,
  "apply_residual_connection_post_layernorm": false,
  "attention_softmax_in_fp32": true,
  "ffn_hidden_size": 13696,
  "hidden_size": 4096,
  "kv_channels": 128,
  "layernorm_epsilon": 1e-05,
  "multi_query_attention": true,
  "multi_query_group_num": 2,
  "num_attention_heads": 32,
  "num_layers": 28,
  "original_rope": true,
  "padded_vocab_size": 65024,
  "post_layer_norm": true,
  "rmsnorm": true,
  "seq_length": 32768,
  "torch_dtype": "float16"
})";

// The visible test fixture's sizes (tests/data/golden/kolors-tiny): every structural flag of the real model.
const char *const kTinyUNet = R"({
  "_class_name": "UNet2DConditionModel",
  "act_fn": "silu",
  "addition_embed_type": "text_time",
  "addition_time_embed_dim": 8,
  "attention_head_dim": [1, 2, 4],
  "block_out_channels": [16, 32, 64],
  "cross_attention_dim": 32,
  "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
  "encoder_hid_dim": 64,
  "encoder_hid_dim_type": "text_proj",
  "flip_sin_to_cos": true,
  "freq_shift": 0,
  "in_channels": 4,
  "layers_per_block": 2,
  "mid_block_type": "UNetMidBlock2DCrossAttn",
  "norm_eps": 1e-05,
  "norm_num_groups": 8,
  "out_channels": 4,
  "projection_class_embeddings_input_dim": 112,
  "sample_size": 8,
  "transformer_layers_per_block": [1, 1, 2],
  "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
  "use_linear_projection": true
})";

const char *const kTinyVae = R"({
  "_class_name": "AutoencoderKL",
  "act_fn": "silu",
  "block_out_channels": [8, 16, 32, 32],
  "in_channels": 3,
  "latent_channels": 4,
  "layers_per_block": 2,
  "norm_num_groups": 4,
  "out_channels": 3,
  "sample_size": 64,
  "scaling_factor": 0.13025
})";

const char *const kTinyTextEncoder = R"({
  "model_type": "chatglm",
  "add_bias_linear": false,
  "add_qkv_bias": true,
  "apply_query_key_layer_scaling": true,
  "apply_residual_connection_post_layernorm": false,
  "ffn_hidden_size": 128,
  "hidden_size": 64,
  "kv_channels": 16,
  "layernorm_epsilon": 1e-05,
  "multi_query_attention": true,
  "multi_query_group_num": 2,
  "num_attention_heads": 4,
  "num_layers": 3,
  "original_rope": true,
  "padded_vocab_size": 1536,
  "post_layer_norm": true,
  "rmsnorm": true,
  "seq_length": 32768,
  "torch_dtype": "float32"
})";

} // namespace

nlohmann::json builtInUNetConfig(BuiltInModel model)
{
    return nlohmann::json::parse(model == BuiltInModel::Kolors ? kKolorsUNet : kTinyUNet);
}

nlohmann::json builtInVaeConfig(BuiltInModel model)
{
    return nlohmann::json::parse(model == BuiltInModel::Kolors ? kKolorsVae : kTinyVae);
}

nlohmann::json builtInSchedulerConfig(BuiltInModel)
{
    return nlohmann::json::parse(kKolorsScheduler);
}

nlohmann::json builtInTextEncoderConfig(BuiltInModel model)
{
    return nlohmann::json::parse(model == BuiltInModel::Kolors ? kKolorsTextEncoder : kTinyTextEncoder);
}

const char *builtInModelName(BuiltInModel model)
{
    return model == BuiltInModel::Kolors ? "kolors" : "tiny";
}

} // namespace studio::engine
