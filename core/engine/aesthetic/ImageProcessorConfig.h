#pragma once

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <string>

namespace studio::engine {

// The fields of a `preprocessor_config.json` (transformers' CLIPImageProcessor) that decide the pixel values.
// A field that is absent takes CLIPImageProcessor's default, as transformers would; a field that is present must
// have the right type and a sane value. Only PIL's BICUBIC resampling (3) is implemented.
struct ImageProcessorConfig
{
    bool doConvertRgb = true;
    bool doResize = true;
    int shortestEdge = 224; // resize the short side to this (size {"shortest_edge": N} or a plain number) ...
    int resizeWidth = 0;    // ... or, when both are set, to exactly this size (size {"height": h, "width": w})
    int resizeHeight = 0;
    int resample = 3;
    bool doCenterCrop = true;
    int cropWidth = 224;
    int cropHeight = 224;
    bool doRescale = true;
    double rescaleFactor = 1.0 / 255.0;
    bool doNormalize = true;
    std::array<double, 3> mean{0.48145466, 0.4578275, 0.40821073};
    std::array<double, 3> std{0.26862954, 0.26130258, 0.27577711};

    static constexpr int kMaxSide = 4096;

    // Throws EngineError::BadConfig (or Unsupported for another resampling filter) naming `file` and the field.
    static ImageProcessorConfig fromJson(const nlohmann::json &json, const std::string &file);
    static ImageProcessorConfig fromFile(const std::string &path);
};

} // namespace studio::engine
