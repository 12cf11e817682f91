#pragma once

// A Kolors model folder with random weights, in the files and dtypes the real model ships (REFERENCE §1.7):
// text_encoder/ as torch-pickle float16 shards pytorch_model-0000N-of-0000S.bin plus pytorch_model.bin.index.json
// (names with the "transformer." prefix, output_layer and rotary_pos_emb included), unet/ and vae/ as
// diffusion_pytorch_model.fp16.safetensors, every config.json, the scheduler config and model_index.json.
// For measuring memory and speed at real size without the 17 GB download (the images are noise), and, tiny,
// for tests of the loaders. Torch-free header.

#include <cstdint>
#include <functional>
#include <string>

namespace studio::engine {

struct RandomModelFolderOptions
{
    std::string dir;            // created; must not hold a model already
    std::string which = "kolors"; // "kolors" (real sizes, ~18 GB) or "tiny" (the test fixture's sizes)
    std::string tokenizerModel; // a ChatGLM3 tokenizer.model to copy into text_encoder/
    uint64_t seed = 1;
    std::function<void(const std::string &file)> onFileWritten; // optional progress
};

// Throws EngineError (BadArgument, MissingFile for the tokenizer, Io).
void writeRandomModelFolder(const RandomModelFolderOptions &options);

} // namespace studio::engine
