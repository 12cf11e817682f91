#pragma once

#include "DataFilter.h"
#include "DiffSynthFolder.h"
#include "DjConfig.h"
#include "JsonlDataset.h"

#include <string>
#include <vector>

// `storyboard prepare-data` as one object shared by the CLI and the studio's Train LoRA page: check everything
// (config, data set) first, then filter, then write export_path and, when asked, the DiffSynth training folder.
// Relative paths resolve against the working directory, as in dj-process.
namespace studio::dataset {

struct PreparedData
{
    DjConfig config;
    JsonlDataset data;
    std::vector<SampleOutcome> outcomes; // one per sample
    std::vector<int> kept;               // indices of kept samples, in input order

    std::string firstTextKey() const { return config.textKeys.front(); }
    // The text of sample i (its first text key), "" when null.
    std::string text(int sample) const;
    // The global image_key's path list of sample i.
    std::vector<std::string> images(int sample) const;
    // The rows of the DiffSynth folder: k over the kept samples, skipping those without images.
    std::vector<TrainingRow> trainingRows() const;
};

class DataPrep
{
public:
    // Reads and checks the config and the data set. Throws DatasetError (nothing written).
    static PreparedData load(const std::string &configPath);
    // A data set without a config: a metadata.jsonl filtered by `ops` (the studio's folder/jsonl mode).
    static PreparedData loadJsonl(const std::string &jsonlPath, const DjConfig &settings);

    // Runs the operators (and the extras). Unreadable images drop their sample; never throws for them.
    static void filter(PreparedData *prepared, const ExtraFilters &extras = {});

    // Writes export_path (parents created, file replaced). Throws DatasetError.
    static void writeExport(const PreparedData &prepared);
    // Writes DIR/train (see DiffSynthFolder.h) from the kept samples.
    static DiffSynthWriteResult writeDiffSynth(const PreparedData &prepared, const std::string &dir);
};

} // namespace studio::dataset
