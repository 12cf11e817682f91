#pragma once

#include <string>
#include <vector>

// DiffSynth-Studio's LoRA training folder: DIR/train/metadata.csv (file_name,text, written as pandas'
// to_csv(index=False, encoding="utf-8-sig") writes it) next to byte copies of the images.
namespace studio::dataset {

struct TrainingRow
{
    int index = 0;           // k: the line of result.jsonl (names the copy "<k><ext>")
    std::string sourceImage; // copied byte for byte
    std::string text;
};

struct DiffSynthWriteResult
{
    int written = 0;
    std::vector<std::string> problems; // a row left out because its image could not be copied (names the file)
};

// One CSV field as Python's csv module (QUOTE_MINIMAL, "\n" line ends) writes it: quoted when it holds ",", '"' or
// a line feed, quotes doubled inside.
std::string csvField(const std::string &text);
// The file name of row k: "<k>" + the source's lower-case extension.
std::string trainingFileName(int index, const std::string &sourceImage);

// Creates DIR/train, copies the images and writes metadata.csv (other files in DIR/train are left alone).
// Throws DatasetError when the folder or the CSV cannot be written.
DiffSynthWriteResult writeDiffSynthFolder(const std::string &dir, const std::vector<TrainingRow> &rows);

// Reads a file_name,text CSV (DiffSynth's metadata.csv, with or without the UTF-8 BOM; quoted fields may hold
// commas, quotes and line feeds). Throws DatasetError naming the line of a broken quote or a missing column.
struct CaptionRow
{
    std::string fileName, text;
};
std::vector<CaptionRow> readCaptionCsv(const std::string &path);

} // namespace studio::dataset
