#include "engine/lora/LoraKey.h"

#include <utility>

namespace studio::engine {
namespace {

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

struct Suffix
{
    const char *text;
    LoraKey::Role role;
};

// Longest first, so ".lora_A.default.weight" is not read as ".lora_A" + something.
const Suffix kSuffixes[] = {
    {".lora_A.default.weight", LoraKey::Role::Down},
    {".lora_B.default.weight", LoraKey::Role::Up},
    {".lora_down.weight", LoraKey::Role::Down},
    {".lora_up.weight", LoraKey::Role::Up},
    {".lora.down.weight", LoraKey::Role::Down},
    {".lora.up.weight", LoraKey::Role::Up},
    {"_lora.down.weight", LoraKey::Role::Down},
    {"_lora.up.weight", LoraKey::Role::Up},
    {".lora_A.weight", LoraKey::Role::Down},
    {".lora_B.weight", LoraKey::Role::Up},
    {".alpha", LoraKey::Role::Alpha},
};

// Adapter tensors of other methods: named so the user learns why the file is refused.
const std::pair<const char *, const char *> kUnsupported[] = {
    {".hada_", "a LyCORIS LoHa tensor"},
    {".lokr_", "a LyCORIS LoKr tensor"},
    {".oft_", "an OFT tensor"},
    {".dora_scale", "a DoRA magnitude tensor"},
    {".lora_magnitude_vector", "a DoRA magnitude tensor"},
    {".lora_mid.", "a CP-decomposed LoCon tensor"},
    {".lora_embedding_", "a peft embedding LoRA tensor"},
};

bool isTextEncoderName(const std::string &name)
{
    for (const char *prefix : {"lora_te_", "lora_te1_", "lora_te2_", "lora_te3_", "text_encoder.", "text_encoder_2.",
                               "te.", "te1.", "te2.", "text_model.", "transformer.encoder."})
        if (startsWith(name, prefix))
            return true;
    return false;
}

// diffusers' old attention-processor LoRA: "...attn1.processor.to_q_lora.down.weight" -> "...attn1.to_q",
// and "to_out_lora" -> "to_out.0".
std::string fromProcessorName(std::string stem)
{
    const std::string processor = ".processor.";
    const size_t at = stem.find(processor);
    if (at != std::string::npos)
        stem.erase(at + 1, processor.size() - 1);
    if (endsWith(stem, ".to_out"))
        stem += ".0";
    return stem;
}

} // namespace

const char *loraFormatName(LoraFormat format)
{
    switch (format) {
    case LoraFormat::DiffSynth:
        return "diffsynth";
    case LoraFormat::Kohya:
        return "kohya";
    case LoraFormat::Diffusers:
        return "diffusers";
    }
    return "unknown";
}

LoraKey parseLoraKey(const std::string &name)
{
    LoraKey key;
    if (isTextEncoderName(name)) {
        key.kind = LoraKey::Kind::TextEncoder;
        return key;
    }
    for (const auto &[marker, what] : kUnsupported) {
        if (contains(name, marker)) {
            key.kind = LoraKey::Kind::Unsupported;
            key.why = what;
            return key;
        }
    }
    if (endsWith(name, ".diff") || endsWith(name, ".diff_b")) {
        key.kind = LoraKey::Kind::Unsupported;
        key.why = "a full weight difference";
        return key;
    }
    const Suffix *match = nullptr;
    for (const Suffix &suffix : kSuffixes) {
        if (endsWith(name, suffix.text)) {
            match = &suffix;
            break;
        }
    }
    if (!match || name.size() == std::string(match->text).size())
        return key; // Unknown
    key.role = match->role;
    std::string stem = name.substr(0, name.size() - std::string(match->text).size());
    if (match->text[0] == '_')
        stem = fromProcessorName(stem);

    if (startsWith(stem, "lora_unet_")) {
        key.format = LoraFormat::Kohya;
    } else if (startsWith(stem, "blocks.")) {
        key.format = LoraFormat::DiffSynth;
    } else {
        key.format = LoraFormat::Diffusers;
        for (const char *prefix : {"base_model.model.", "unet."})
            if (startsWith(stem, prefix))
                stem = stem.substr(std::string(prefix).size());
    }
    if (stem.empty())
        return LoraKey{};
    key.kind = LoraKey::Kind::Weight;
    key.stem = std::move(stem);
    return key;
}

} // namespace studio::engine
