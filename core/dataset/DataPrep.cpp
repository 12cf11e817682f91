#include "DataPrep.h"

#include "DatasetError.h"
#include "DatasetPaths.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace studio::dataset {

std::string PreparedData::text(int sample) const
{
    const int c = data.column(firstTextKey());
    if (c < 0)
        return "";
    const Json &v = data.samples[sample].values[c];
    if (v.is_string())
        return v.get<std::string>();
    return v.is_null() ? std::string() : v.dump();
}

std::vector<std::string> PreparedData::images(int sample) const
{
    return data.paths(data.samples[sample], data.column(config.imageKey));
}

std::vector<TrainingRow> PreparedData::trainingRows() const
{
    std::vector<TrainingRow> rows;
    for (size_t k = 0; k < kept.size(); ++k) {
        const std::vector<std::string> paths = images(kept[k]);
        if (!paths.empty())
            rows.push_back({static_cast<int>(k), paths.front(), text(kept[k])});
    }
    return rows;
}

namespace {

void checkDatasetPath(const std::string &path)
{
    const fs::path p = fs::u8path(absolutePath(path));
    std::error_code error;
    if (!fs::exists(p, error))
        throw DatasetError("dataset_path '" + path + "' does not exist");
    if (fs::is_directory(p, error))
        throw DatasetError("dataset_path '" + path + "' is a folder; give the .jsonl file");
    if (path.size() < 6 || path.compare(path.size() - 6, 6, ".jsonl") != 0)
        throw DatasetError("dataset_path '" + path + "': only .jsonl files are supported");
}

JsonlDataset readFor(const DjConfig &config)
{
    JsonlReadOptions options;
    options.textKeys = config.textKeys;
    options.pathKeys = {config.imageKey, config.audioKey, config.videoKey};
    return readJsonlDataset(config.datasetPath, options);
}

} // namespace

PreparedData DataPrep::load(const std::string &configPath)
{
    PreparedData prepared;
    prepared.config = loadDjConfig(configPath);
    checkDatasetPath(prepared.config.datasetPath);
    prepared.data = readFor(prepared.config);
    return prepared;
}

PreparedData DataPrep::loadJsonl(const std::string &jsonlPath, const DjConfig &settings)
{
    PreparedData prepared;
    prepared.config = settings;
    prepared.config.datasetPath = jsonlPath;
    checkDatasetPath(jsonlPath);
    prepared.data = readFor(prepared.config);
    return prepared;
}

void DataPrep::filter(PreparedData *prepared, const ExtraFilters &extras)
{
    DataFilter filter(prepared->data);
    prepared->outcomes =
        filter.run(prepared->firstTextKey(), prepared->config.imageKey, prepared->config.process, extras);
    prepared->kept.clear();
    for (size_t i = 0; i < prepared->outcomes.size(); ++i)
        if (prepared->outcomes[i].kept)
            prepared->kept.push_back(static_cast<int>(i));
}

void DataPrep::writeExport(const PreparedData &prepared)
{
    const fs::path path = fs::u8path(absolutePath(prepared.config.exportPath));
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
        throw DatasetError("cannot create the folder of export_path " + prepared.config.exportPath + ": " +
                           error.message());
    std::string text;
    for (int i : prepared.kept)
        text += pandasJsonLine(prepared.data.columns, prepared.data.samples[i].values) + "\n";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw DatasetError("cannot write export_path " + prepared.config.exportPath);
}

DiffSynthWriteResult DataPrep::writeDiffSynth(const PreparedData &prepared, const std::string &dir)
{
    return writeDiffSynthFolder(dir, prepared.trainingRows());
}

} // namespace studio::dataset
