#include "engine/aesthetic/ImageProcessorConfig.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace studio::engine {
namespace {

[[noreturn]] void badField(const std::string &file, const std::string &field, const std::string &why)
{
    throw EngineError(EngineError::Code::BadConfig, file + ": field \"" + field + "\" " + why);
}

int sideLength(const nlohmann::json &value, const std::string &field, const std::string &file)
{
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > ImageProcessorConfig::kMaxSide)
        badField(file, field, "must be an integer from 1 to " + std::to_string(ImageProcessorConfig::kMaxSide));
    return value.get<int>();
}

bool flag(const nlohmann::json &json, const char *key, bool fallback, const std::string &file)
{
    if (!json.contains(key) || json[key].is_null())
        return fallback;
    if (!json[key].is_boolean())
        badField(file, key, "must be true or false");
    return json[key].get<bool>();
}

// image_mean / image_std: three numbers (one per RGB channel) or one number for all three.
std::array<double, 3> channelValues(const nlohmann::json &json, const char *key, const std::array<double, 3> &fallback,
                                    bool mustBePositive, const std::string &file)
{
    if (!json.contains(key) || json[key].is_null())
        return fallback;
    const nlohmann::json &value = json[key];
    std::array<double, 3> result{};
    if (value.is_number()) {
        result.fill(value.get<double>());
    } else if (value.is_array() && value.size() == 3 && value[0].is_number() && value[1].is_number() &&
               value[2].is_number()) {
        for (size_t i = 0; i < 3; ++i)
            result[i] = value[i].get<double>();
    } else {
        badField(file, key, "must be a number or a list of 3 numbers");
    }
    for (double v : result)
        if (!std::isfinite(v) || (mustBePositive && !(v > 0.0)))
            badField(file, key, mustBePositive ? "must hold positive numbers" : "must hold finite numbers");
    return result;
}

} // namespace

ImageProcessorConfig ImageProcessorConfig::fromJson(const nlohmann::json &json, const std::string &file)
{
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadConfig, file + ": not a JSON object");
    ImageProcessorConfig c;
    c.doConvertRgb = flag(json, "do_convert_rgb", c.doConvertRgb, file);
    c.doResize = flag(json, "do_resize", c.doResize, file);
    c.doCenterCrop = flag(json, "do_center_crop", c.doCenterCrop, file);
    c.doRescale = flag(json, "do_rescale", c.doRescale, file);
    c.doNormalize = flag(json, "do_normalize", c.doNormalize, file);

    if (json.contains("size") && !json["size"].is_null()) {
        const nlohmann::json &size = json["size"];
        if (size.is_number()) { // old configs: a plain number means the shortest edge for CLIP
            c.shortestEdge = sideLength(size, "size", file);
        } else if (size.is_object() && size.contains("shortest_edge")) {
            c.shortestEdge = sideLength(size["shortest_edge"], "size.shortest_edge", file);
        } else if (size.is_object() && size.contains("height") && size.contains("width")) {
            c.shortestEdge = 0;
            c.resizeHeight = sideLength(size["height"], "size.height", file);
            c.resizeWidth = sideLength(size["width"], "size.width", file);
        } else {
            badField(file, "size", "must be {\"shortest_edge\": N} or {\"height\": H, \"width\": W}");
        }
    }
    if (json.contains("crop_size") && !json["crop_size"].is_null()) {
        const nlohmann::json &crop = json["crop_size"];
        if (crop.is_number()) {
            c.cropWidth = c.cropHeight = sideLength(crop, "crop_size", file);
        } else if (crop.is_object() && crop.contains("height") && crop.contains("width")) {
            c.cropHeight = sideLength(crop["height"], "crop_size.height", file);
            c.cropWidth = sideLength(crop["width"], "crop_size.width", file);
        } else {
            badField(file, "crop_size", "must be {\"height\": H, \"width\": W}");
        }
    }
    if (json.contains("resample") && !json["resample"].is_null()) {
        if (!json["resample"].is_number_integer())
            badField(file, "resample", "must be a PIL resampling filter number");
        c.resample = json["resample"].get<int>();
    }
    if (c.doResize && c.resample != 3)
        throw EngineError(EngineError::Code::Unsupported,
                          file + ": resample " + std::to_string(c.resample) +
                              " is not supported (only PIL BICUBIC = 3, the CLIP processors' setting)");
    if (json.contains("rescale_factor") && !json["rescale_factor"].is_null()) {
        if (!json["rescale_factor"].is_number() || !std::isfinite(json["rescale_factor"].get<double>()) ||
            !(json["rescale_factor"].get<double>() > 0.0))
            badField(file, "rescale_factor", "must be a positive number");
        c.rescaleFactor = json["rescale_factor"].get<double>();
    }
    c.mean = channelValues(json, "image_mean", c.mean, false, file);
    c.std = channelValues(json, "image_std", c.std, true, file);
    return c;
}

ImageProcessorConfig ImageProcessorConfig::fromFile(const std::string &path)
{
    return fromJson(readJsonFile(path), path);
}

} // namespace studio::engine
