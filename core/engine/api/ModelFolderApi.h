#pragma once

// Torch-free facade of the model-folder recogniser: what the studio's settings and the CLI ask about a folder
// before anything is loaded (file checks only, no weights read). Throws studio::engine::EngineError
// (engine/api/Errors.h): MissingFile naming the exact missing file.

#include <string>

namespace studio::engine {

struct ModelFolderFacts
{
    std::string root;   // the folder holding text_encoder/, unet/, vae/ (may lie below the one asked about)
    std::string layout; // "kolors-diffusers" | "diffsynth"
};

// Every layout the pipeline loads: Kolors-diffusers, DiffSynth's models/kolors/Kolors (or models/ above it).
ModelFolderFacts checkKolorsModelFolder(const std::string &dir);

} // namespace studio::engine
