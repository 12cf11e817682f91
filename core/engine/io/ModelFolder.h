#pragma once

#include <string>

namespace studio::engine {

// Every file of one Kolors model, as absolute-or-given paths. Filled by locateKolorsModel().
struct KolorsModelPaths
{
    std::string root;              // the folder holding text_encoder/, unet/, vae/
    std::string layout;            // "kolors-diffusers" (model_index.json present) | "diffsynth" (models/kolors/Kolors)
    std::string tokenizerModel;    // .../tokenizer.model
    std::string textEncoderConfig; // text_encoder/config.json
    std::string textEncoderWeights; // a .safetensors, an *.index*.json or a .bin file (TensorStore::open accepts each)
    // unet/config.json, unet/diffusion_pytorch_model[.fp16].safetensors (or .bin / sharded index)
    std::string unetConfig, unetWeights;
    std::string vaeConfig, vaeWeights;
    std::string schedulerConfig; // scheduler/scheduler_config.json
    // DiffSynth's download has no unet/vae config.json and no scheduler/: those fields are then empty and
    // the caller uses the built-in Kolors values. In the kolors-diffusers layout every field is filled.
};

// Recognises a Kolors model folder and names each file. Accepts the folder itself (Kolors-diffusers layout,
// or a DiffSynth `Kolors` folder), DiffSynth's `models/kolors/` or `models/`. Weight files may be fp32 or
// the `fp16` variant, single or sharded. Throws EngineError::MissingFile naming the exact missing file
// (and the alternatives that were accepted in its place).
KolorsModelPaths locateKolorsModel(const std::string &dir);

// Only the tokenizer.model of such a folder (the other components need not be there): for token counts.
std::string locateKolorsTokenizer(const std::string &dir);

// The weight file of one component folder (e.g. ".../text_encoder"), "" when none is present. `baseName` is
// "model" (transformers) or "diffusion_pytorch_model" (diffusers); pytorch_model*.bin is also tried.
// Order: sharded safetensors index, single safetensors, fp16 variants of both, then the same for .bin pickles.
std::string findWeightFile(const std::string &componentDir, const std::string &baseName);

} // namespace studio::engine
