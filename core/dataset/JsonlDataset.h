#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

// A dj-process input: one JSON object per line, read into columns in order of first appearance (a key missing
// from a line reads as null), with the media columns' relative paths made absolute against the data set's folder.
namespace studio::dataset {

using Json = nlohmann::ordered_json;

struct Sample
{
    int line = 0;             // 0-based index among the non-blank lines (the sample number)
    std::vector<Json> values; // one per column
};

struct JsonlDataset
{
    std::string path;       // absolute, normalised
    std::string folder;     // its parent folder (DATASET_DIR)
    std::vector<std::string> columns;
    std::vector<Sample> samples;

    int column(const std::string &name) const; // -1 when absent
    // The path list of a sample in `columnIndex` (empty for null, [] or a missing column).
    std::vector<std::string> paths(const Sample &sample, int columnIndex) const;
};

struct JsonlReadOptions
{
    std::vector<std::string> textKeys{"text"};
    std::vector<std::string> pathKeys{"images", "audios", "videos"}; // null or lists of path strings
};

// Reads `path` (relative to the working directory). Throws DatasetError naming the line or key.
JsonlDataset readJsonlDataset(const std::string &path, const JsonlReadOptions &options);

// One line of `export_path` as pandas' to_json(orient="records", lines=True, force_ascii=False) writes it,
// without the line feed.
std::string pandasJsonLine(const std::vector<std::string> &columns, const std::vector<Json> &values);
// A JSON string in pandas' escaping ("/" -> "\/", control characters, raw UTF-8 otherwise).
std::string pandasJsonString(const std::string &text);

} // namespace studio::dataset
