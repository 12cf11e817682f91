#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The supported subset of a Data-Juicer (dj-process) YAML config, read as dj-process reads it: PyYAML's SafeLoader
// (YAML 1.1) with jsonargparse's changes (dates are strings, "1e-3" is a float). Everything outside the subset is
// refused with a DatasetError naming the key, operator or parameter.
namespace studio::dataset {

enum class FilterKind { ImageShape, ImageAspectRatio, ImageSize };
enum class AnyOrAll { Any, All };

// One `process` entry with its parameters after dj-process's merging: a repeated operator name starts from the
// previous occurrence's parameters.
struct FilterOp
{
    FilterKind kind = FilterKind::ImageShape;
    std::string imageKey; // the operator's own image_key, else the global one
    AnyOrAll anyOrAll = AnyOrAll::Any;
    // image_shape_filter (inclusive bounds)
    int64_t minWidth = 1, maxWidth = INT64_MAX, minHeight = 1, maxHeight = INT64_MAX;
    // image_aspect_ratio_filter: w / h as IEEE doubles
    double minRatio = 0.333, maxRatio = 3.0;
    // image_size_filter: bytes; the bounds can exceed 64 bits ("1YB"), hence long double
    long double minSize = 0, maxSize = 1099511627776.0L;
    std::string minSizeText = "0", maxSizeText = "1TB";

    std::string name() const;
    std::string describe() const; // "image_shape_filter(min_width=1024, …, any_or_all=any)"
};

struct DjConfig
{
    std::string configPath;  // as given
    std::string datasetPath; // as written in the config
    std::string exportPath = "./outputs/hello_world.jsonl";
    std::vector<std::string> textKeys{"text"};
    std::string imageKey = "images", audioKey = "audios", videoKey = "videos";
    std::vector<FilterOp> process;
    std::vector<std::string> warnings; // ignored unknown operator parameters
};

// Reads and checks a config file. Throws DatasetError.
DjConfig loadDjConfig(const std::string &path);
// The same from YAML text (`origin` names it in messages).
DjConfig parseDjConfig(const std::string &yamlText, const std::string &origin);

// Data-Juicer's size_to_bytes: every decimal digit of the string in order makes the number, every letter the unit
// (case-insensitive; KB/KiB = 2^10 … YB/YiB = 2^80; none = bytes). Throws DatasetError naming `parameter`.
long double parseSizeString(const std::string &text, const std::string &parameter);

const char *supportedOperatorList();

} // namespace studio::dataset
