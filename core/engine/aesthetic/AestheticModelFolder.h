#pragma once

#include <string>
#include <vector>

namespace studio::engine {

// The files of an aesthetic predictor folder. Two layouts are accepted:
//  * the predictor as published (shunk031/aesthetics-predictor-v2-*, ModelScope AI-ModelScope/...): config.json,
//    preprocessor_config.json and weights holding `vision_model.*`, `visual_projection.weight` and `layers.*`;
//  * a CLIP checkpoint (openai/clip-vit-large-patch14: config.json with "vision_config", preprocessor_config.json,
//    weights with the text tower too) plus the head alone, e.g. christophschuhmann/improved-aesthetic-predictor's
//    `sac+logos+ava1-l14-linearMSE.pth` (keys `layers.*`) copied into the same folder or given explicitly.
// Weights: model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json,
// first found wins. Head candidates: every other weight file in the folder (.pth .pt .ckpt .bin .safetensors whose
// name does not start with "model" or "pytorch_model"); one is used only when the weights hold no `layers.*`.
struct AestheticModelFiles
{
    std::string folder;
    std::string config;             // config.json
    std::string preprocessorConfig; // preprocessor_config.json
    std::string weights;
    std::string headFile;                    // explicit head file, replaces any `layers.*` in `weights`
    std::vector<std::string> headCandidates; // used when `headFile` is empty and `weights` has no head
};

// Throws EngineError::MissingFile naming the missing file (and where to get the model).
AestheticModelFiles locateAestheticModel(const std::string &folder, const std::string &headFile = {});

// One line for users without a model: which files to download and where to put them.
std::string aestheticModelHint();

} // namespace studio::engine
