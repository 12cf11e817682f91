#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace studio::engine {

// The block structure of a diffusers UNet2DConditionModel as its config.json describes it, walked in forward order,
// with each block's name in the three schemes LoRA files use:
//  - diffusers: "down_blocks.1.attentions.0"
//  - SGM / original Stability (kohya's lora_unet_* names): "input_blocks.4.1"
//  - DiffSynth-Studio's flat SDXLUNet list: blocks.7 (every ResnetBlock, AttentionBlock, Down/UpSampler and the
//    Push/Pop blocks that carry skip connections take one index; see REFERENCE A.2.3).
// Deriving the numbering from layers_per_block and the block types (instead of a fixed SDXL table) keeps it right
// for any UNet of the SDXL family, e.g. the tiny golden fixtures.
class UnetBlockLayout
{
public:
    enum class Kind
    {
        Resnet,
        Attention,
        Downsampler,
        Upsampler
    };
    struct Block
    {
        Kind kind;
        std::string diffusers; // "down_blocks.1.attentions.0", "mid_block.resnets.1", "up_blocks.0.upsamplers.0"
        std::string sgm;       // "input_blocks.4.1", "middle_block.2", "output_blocks.2.2"
        int diffsynth = -1;    // index into DiffSynth's SDXLUNet.blocks
        int depth = 0;         // transformer blocks of an attention block
    };

    // Throws EngineError::BadConfig naming `file` and the field for missing or unsupported values.
    static UnetBlockLayout fromConfig(const nlohmann::json &config, const std::string &file);
    static UnetBlockLayout fromConfigFile(const std::string &path);

    const std::vector<Block> &blocks() const { return m_blocks; }
    const Block *find(const std::string &diffusersBlock) const;

    // A module path in diffusers naming (no ".weight") in the other schemes; empty when the layer has no name there.
    // "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_out.0"
    //   -> SGM "input_blocks.4.1.transformer_blocks.0.attn1.to_out.0"
    //   -> DiffSynth "blocks.7.transformer_blocks.0.attn1.to_out"
    std::string toSgm(const std::string &diffusersPath) const;
    std::string toDiffSynth(const std::string &diffusersPath) const;

    // Cross-checks the config against a module's parameter names: every down/mid/up block and every attention
    // block's transformer depth must agree, or the block numbering derived from the config would be wrong.
    // Throws EngineError::BadConfig listing the disagreements.
    void checkAgainst(const std::vector<std::string> &parameterNames) const;

    const std::string &configFile() const { return m_file; }

private:
    // Splits "down_blocks.1.attentions.0.rest" into its block and the rest; nullptr when not inside a block.
    const Block *split(const std::string &path, std::string *rest) const;

    std::string m_file;
    std::vector<Block> m_blocks;
    std::map<std::string, size_t> m_index; // diffusers block name -> m_blocks index
};

} // namespace studio::engine
