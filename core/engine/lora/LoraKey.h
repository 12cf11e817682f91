#pragma once

#include <string>

namespace studio::engine {

// The three naming schemes of UNet LoRA files we read (REFERENCE A.2):
//  - DiffSynth: DiffSynth-Studio's Kolors training checkpoint,
//  `blocks.N.transformer_blocks.M.attn1.to_q.lora_A.default.weight`
//    in DiffSynth's flat block numbering; no alpha.
//  - Kohya: kohya-ss / civitai SDXL files, `lora_unet_<SGM or diffusers path with '_'>.lora_down.weight`,
//  `.lora_up.weight`,
//    `.alpha`.
//  - Diffusers: diffusers / peft names, `unet.<diffusers path>.lora_A.weight`, `.lora.down.weight`, with or without
//    `.default`, optional `.alpha`.
enum class LoraFormat
{
    DiffSynth,
    Kohya,
    Diffusers
};

const char *loraFormatName(LoraFormat format); // "diffsynth", "kohya", "diffusers"

// What one tensor name of a LoRA file is.
struct LoraKey
{
    enum class Kind
    {
        Weight,      // a down/up matrix or an alpha of a UNet LoRA layer
        TextEncoder, // a text-encoder LoRA (lora_te*, text_encoder.*): Kolors' ChatGLM has none we could target
        Unsupported, // a known adapter type we do not merge (LyCORIS LoHa/LoKr, DoRA, CP-decomposed LoCon, ...)
        Unknown,     // not a LoRA tensor name at all
    };
    enum class Role
    {
        Down,
        Up,
        Alpha
    };

    Kind kind = Kind::Unknown;
    LoraFormat format = LoraFormat::Diffusers;
    Role role = Role::Down;
    std::string stem; // the layer's name in the file's own scheme, without the LoRA suffix ("lora_unet_..." for kohya)
    std::string why;  // for Unsupported: what it is
};

// Classifies one tensor name. Pure string work: whether the layer exists is decided later against the UNet.
LoraKey parseLoraKey(const std::string &name);

} // namespace studio::engine
