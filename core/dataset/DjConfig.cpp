#include "DjConfig.h"

#include "DatasetError.h"
#include "DatasetPaths.h"
#include "YamlScalar.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace studio::dataset {

namespace {

using Type = YamlScalar::Type;

const std::set<std::string> &ignoredGlobalKeys()
{
    static const std::set<std::string> keys{
        "project_name", "np", "image_special_token", "audio_special_token", "video_special_token",
        "eoc_special_token", "export_in_parallel", "keep_hashes_in_res_ds", "use_cache", "ds_cache_dir",
        "cache_compress", "use_checkpoint", "temp_dir", "open_tracer", "op_list_to_trace", "trace_num", "op_fusion",
        "percentiles", "export_original_dataset", "save_stats_in_one_file", "ray_address", "debug", "suffixes",
        "hpo_config", "data_probe_algo", "data_probe_ratio"};
    return keys;
}

const std::set<std::string> &ignoredOperatorKeys()
{
    static const std::set<std::string> keys{"text_key",     "audio_key",     "video_key",  "accelerator",
                                            "num_proc",     "cpu_required",  "mem_required", "batch_size",
                                            "stats_export_path", "turbo",    "skip_op_error"};
    return keys;
}

std::string mapKey(const YAML::Node &key)
{
    return key.IsScalar() ? key.Scalar() : std::string("<non-scalar key>");
}

std::string requireString(const YAML::Node &node, const std::string &what)
{
    const YamlScalar v = resolveYaml(node);
    if (v.type != Type::String)
        throw DatasetError(what + " must be a string, not " + v.typeName() +
                           (v.text.empty() ? std::string() : " (" + v.text + ")"));
    return v.text;
}

int64_t positiveInt(const YAML::Node &node, const std::string &op, const std::string &param)
{
    const YamlScalar v = resolveYaml(node);
    if (v.type != Type::Int || v.integer <= 0)
        throw DatasetError(op + ": " + param + " must be a positive integer, not " +
                           (v.text.empty() ? std::string(v.typeName()) : v.text));
    return v.integer;
}

double positiveNumber(const YAML::Node &node, const std::string &op, const std::string &param)
{
    const YamlScalar v = resolveYaml(node);
    if (!v.isNumber() || !(v.number() > 0))
        throw DatasetError(op + ": " + param + " must be a number greater than 0, not " +
                           (v.text.empty() ? std::string(v.typeName()) : v.text));
    return v.number();
}

AnyOrAll anyOrAll(const YAML::Node &node, const std::string &op)
{
    const YamlScalar v = resolveYaml(node);
    if (v.type == Type::String && v.text == "any")
        return AnyOrAll::Any;
    if (v.type == Type::String && v.text == "all")
        return AnyOrAll::All;
    throw DatasetError(op + ": any_or_all must be 'any' or 'all', not " +
                       (v.text.empty() ? std::string(v.typeName()) : v.text));
}

bool operatorKind(const std::string &name, FilterKind *kind)
{
    if (name == "image_shape_filter")
        *kind = FilterKind::ImageShape;
    else if (name == "image_aspect_ratio_filter")
        *kind = FilterKind::ImageAspectRatio;
    else if (name == "image_size_filter")
        *kind = FilterKind::ImageSize;
    else
        return false;
    return true;
}

// Applies one `process` entry's parameters on top of `op` (the previous occurrence of the same operator, or the
// defaults), as dj-process's merge does. Unknown parameters are ignored with a warning.
void applyParameters(const YAML::Node &params, FilterOp *op, std::vector<std::string> *warnings)
{
    const std::string name = op->name();
    if (!params.IsDefined() || params.IsNull())
        return;
    if (!params.IsMap())
        throw DatasetError("operator " + name + ": parameters must be a mapping");
    for (const auto &entry : params) {
        const std::string key = mapKey(entry.first);
        const YAML::Node &value = entry.second;
        if (key == "image_key") {
            op->imageKey = requireString(value, name + ": image_key");
        } else if (key == "any_or_all") {
            op->anyOrAll = anyOrAll(value, name);
        } else if (op->kind == FilterKind::ImageShape && key == "min_width") {
            op->minWidth = positiveInt(value, name, key);
        } else if (op->kind == FilterKind::ImageShape && key == "max_width") {
            op->maxWidth = positiveInt(value, name, key);
        } else if (op->kind == FilterKind::ImageShape && key == "min_height") {
            op->minHeight = positiveInt(value, name, key);
        } else if (op->kind == FilterKind::ImageShape && key == "max_height") {
            op->maxHeight = positiveInt(value, name, key);
        } else if (op->kind == FilterKind::ImageAspectRatio && key == "min_ratio") {
            op->minRatio = positiveNumber(value, name, key);
        } else if (op->kind == FilterKind::ImageAspectRatio && key == "max_ratio") {
            op->maxRatio = positiveNumber(value, name, key);
        } else if (op->kind == FilterKind::ImageSize && (key == "min_size" || key == "max_size")) {
            const YamlScalar v = resolveYaml(value);
            if (v.type != Type::String)
                throw DatasetError(name + ": " + key + " must be a quoted size string such as '2MB', not " +
                                   (v.text.empty() ? std::string(v.typeName()) : v.text));
            const long double bytes = parseSizeString(v.text, name + ": " + key);
            (key == "min_size" ? op->minSize : op->maxSize) = bytes;
            (key == "min_size" ? op->minSizeText : op->maxSizeText) = v.text;
        } else if (!ignoredOperatorKeys().count(key)) {
            warnings->push_back(name + ": parameter '" + key + "' is not used (ignored, as dj-process does)");
        }
    }
}

std::vector<FilterOp> parseProcess(const YAML::Node &process, const std::string &globalImageKey,
                                   std::vector<std::string> *warnings)
{
    std::vector<FilterOp> ops;
    if (!process.IsDefined() || process.IsNull())
        return ops;
    if (!process.IsSequence())
        throw DatasetError("process must be a list of operators");
    std::map<std::string, FilterOp> previous; // the merged parameters of each operator name so far
    for (size_t i = 0; i < process.size(); ++i) {
        const YAML::Node item = process[i];
        if (!item.IsMap() || item.size() != 1)
            throw DatasetError("process item " + std::to_string(i + 1) +
                               " must be a mapping with exactly one operator name");
        const auto entry = *item.begin();
        const std::string name = mapKey(entry.first);
        FilterKind kind;
        if (!operatorKind(name, &kind))
            throw DatasetError("unsupported operator '" + name + "' (supported: " + supportedOperatorList() + ")");
        FilterOp op;
        op.kind = kind;
        if (auto it = previous.find(name); it != previous.end())
            op = it->second;
        op.imageKey = globalImageKey; // image_key does not carry over between occurrences
        applyParameters(entry.second, &op, warnings);
        FilterOp carried = op;
        previous[name] = carried;
        ops.push_back(op);
    }
    return ops;
}

std::vector<std::string> textKeys(const YAML::Node &node)
{
    const YamlScalar v = resolveYaml(node);
    if (v.type == Type::String)
        return {v.text};
    if (v.type == Type::Sequence) {
        std::vector<std::string> keys;
        for (const auto &item : node)
            keys.push_back(requireString(item, "text_keys entry"));
        if (keys.empty())
            throw DatasetError("text_keys must name at least one key");
        return keys;
    }
    throw DatasetError(std::string("text_keys must be a string or a list of strings, not ") + v.typeName());
}

} // namespace

std::string FilterOp::name() const
{
    switch (kind) {
    case FilterKind::ImageShape: return "image_shape_filter";
    case FilterKind::ImageAspectRatio: return "image_aspect_ratio_filter";
    case FilterKind::ImageSize: return "image_size_filter";
    }
    return "?";
}

namespace {

// The shortest decimal that reads back as the same double (0.333, not 0.33300000000000002).
std::string shortestDouble(double value)
{
    char buf[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (std::strtod(buf, nullptr) == value)
            break;
    }
    return buf;
}

} // namespace

std::string FilterOp::describe() const
{
    std::ostringstream s;
    s << name() << "(";
    switch (kind) {
    case FilterKind::ImageShape:
        // Unbounded maxima (the defaults) are left out.
        s << "min_width=" << minWidth;
        if (maxWidth != INT64_MAX)
            s << ", max_width=" << maxWidth;
        s << ", min_height=" << minHeight;
        if (maxHeight != INT64_MAX)
            s << ", max_height=" << maxHeight;
        break;
    case FilterKind::ImageAspectRatio:
        s << "min_ratio=" << shortestDouble(minRatio) << ", max_ratio=" << shortestDouble(maxRatio);
        break;
    case FilterKind::ImageSize:
        s << "min_size='" << minSizeText << "', max_size='" << maxSizeText << "'";
        break;
    }
    s << ", any_or_all=" << (anyOrAll == AnyOrAll::Any ? "any" : "all") << ")";
    return s.str();
}

const char *supportedOperatorList()
{
    return "image_shape_filter, image_aspect_ratio_filter, image_size_filter";
}

long double parseSizeString(const std::string &text, const std::string &parameter)
{
    long double number = 0;
    bool anyDigit = false;
    std::string unit;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isdigit(u)) {
            number = number * 10 + (c - '0');
            anyDigit = true;
        } else if (std::isalpha(u)) {
            unit += static_cast<char>(std::tolower(u));
        }
    }
    if (!anyDigit)
        throw DatasetError(parameter + ": '" + text + "' has no number");
    static const char *const prefixes = "kmgtpezy";
    if (unit.empty())
        return number;
    for (int power = 1; power <= 8; ++power) {
        const std::string p(1, prefixes[power - 1]);
        if (unit == p + "b" || unit == p + "ib")
            return std::ldexp(number, 10 * power);
    }
    throw DatasetError(parameter + ": '" + text + "' has an unknown unit '" + unit +
                       "' (use KB, MB, GB, TB, … or KiB, MiB, …, or none for bytes)");
}

DjConfig parseDjConfig(const std::string &yamlText, const std::string &origin)
{
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &e) {
        throw DatasetError(origin + ": not valid YAML: " + e.what());
    }
    if (!root.IsMap())
        throw DatasetError(origin + ": the config must be a mapping of keys (dataset_path, process, …)");
    DjConfig config;
    config.configPath = origin;
    bool haveDataset = false;
    YAML::Node process;
    for (const auto &entry : root) {
        const std::string key = mapKey(entry.first);
        const YAML::Node &value = entry.second;
        if (key == "dataset_path") {
            config.datasetPath = requireString(value, "dataset_path");
            haveDataset = true;
        } else if (key == "export_path") {
            config.exportPath = requireString(value, "export_path");
        } else if (key == "text_keys") {
            config.textKeys = textKeys(value);
        } else if (key == "image_key") {
            config.imageKey = requireString(value, "image_key");
        } else if (key == "audio_key") {
            config.audioKey = requireString(value, "audio_key");
        } else if (key == "video_key") {
            config.videoKey = requireString(value, "video_key");
        } else if (key == "process") {
            process = value;
        } else if (key == "export_shard_size") {
            const YamlScalar v = resolveYaml(value);
            if (!(v.type == Type::Null || (v.type == Type::Int && v.integer == 0)))
                throw DatasetError("export_shard_size: only 0 (one export file) is supported, not " + v.text);
        } else if (key == "keep_stats_in_res_ds") {
            const YamlScalar v = resolveYaml(value);
            if (!(v.type == Type::Null || (v.type == Type::Bool && !v.boolean)))
                throw DatasetError("keep_stats_in_res_ds: only false is supported (the export has no stats)");
        } else if (key == "executor_type") {
            const YamlScalar v = resolveYaml(value);
            if (!(v.type == Type::String && v.text == "default"))
                throw DatasetError("executor_type: only 'default' is supported, not " + v.text);
        } else if (!ignoredGlobalKeys().count(key)) {
            throw DatasetError("unknown config key '" + key + "'");
        }
    }
    if (!haveDataset || config.datasetPath.empty())
        throw DatasetError("dataset_path is required");
    if (!endsWithNoCase(config.exportPath, ".jsonl"))
        throw DatasetError("export_path must end in .jsonl, not '" + config.exportPath + "'");
    config.process = parseProcess(process, config.imageKey, &config.warnings);
    return config;
}

DjConfig loadDjConfig(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DatasetError("cannot read config " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parseDjConfig(text.str(), path);
}

} // namespace studio::dataset
