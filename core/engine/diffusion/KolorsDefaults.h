#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace studio::engine {

// Built-in component configs, as the files of a model folder would hold them.
// "kolors": the real Kolors sizes (REFERENCE A.1.1, A.1.4–A.1.6), used for DiffSynth-layout folders that ship
// weights without config.json files, and by `storyboard bench --random kolors`.
// "tiny": the sizes of the visible test fixture, for `storyboard bench --random tiny` and tests.
enum class BuiltInModel
{
    Kolors,
    Tiny
};

nlohmann::json builtInUNetConfig(BuiltInModel model);
nlohmann::json builtInVaeConfig(BuiltInModel model);
nlohmann::json builtInSchedulerConfig(BuiltInModel model);
nlohmann::json builtInTextEncoderConfig(BuiltInModel model);
const char *builtInModelName(BuiltInModel model); // "kolors" | "tiny"

} // namespace studio::engine
