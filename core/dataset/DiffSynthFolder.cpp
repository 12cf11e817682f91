#include "DiffSynthFolder.h"

#include "DatasetError.h"
#include "DatasetPaths.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace studio::dataset {

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string trainingFileName(int index, const std::string &sourceImage)
{
    return std::to_string(index) + lowerExtension(sourceImage);
}

DiffSynthWriteResult writeDiffSynthFolder(const std::string &dir, const std::vector<TrainingRow> &rows)
{
    DiffSynthWriteResult result;
    const fs::path train = fs::u8path(absolutePath(dir)) / "train";
    std::error_code error;
    fs::create_directories(train, error);
    if (error)
        throw DatasetError("cannot create " + train.u8string() + ": " + error.message());
    std::string csv = "\xEF\xBB\xBF" "file_name,text\n";
    for (const TrainingRow &row : rows) {
        const std::string name = trainingFileName(row.index, row.sourceImage);
        fs::copy_file(fs::u8path(row.sourceImage), train / fs::u8path(name), fs::copy_options::overwrite_existing,
                      error);
        if (error) {
            result.problems.push_back("row " + std::to_string(row.index) + " left out: cannot copy " +
                                      row.sourceImage + " (" + error.message() + ")");
            error.clear();
            continue;
        }
        csv += csvField(name) + "," + csvField(row.text) + "\n";
        ++result.written;
    }
    std::ofstream out(train / "metadata.csv", std::ios::binary | std::ios::trunc);
    out << csv;
    out.close();
    if (!out)
        throw DatasetError("cannot write " + (train / "metadata.csv").u8string());
    return result;
}

std::vector<CaptionRow> readCaptionCsv(const std::string &path)
{
    std::ifstream in(fs::u8path(path), std::ios::binary);
    if (!in)
        throw DatasetError("cannot read " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        text.erase(0, 3);

    // RFC 4180 records; a quote left open at the end of the file is an error, as are stray quotes in a field.
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, fieldWasQuoted = false;
    int line = 1, quoteLine = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == '"') {
            if (!field.empty() || fieldWasQuoted)
                throw DatasetError(path + ": line " + std::to_string(line) + ": a quote inside an unquoted field");
            quoted = fieldWasQuoted = true;
            quoteLine = line;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
            fieldWasQuoted = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            record.push_back(field);
            field.clear();
            fieldWasQuoted = false;
            if (!(record.size() == 1 && record[0].empty()))
                records.push_back(record);
            record.clear();
            ++line;
        } else {
            if (fieldWasQuoted)
                throw DatasetError(path + ": line " + std::to_string(line) + ": text after a closing quote");
            field += c;
        }
    }
    if (quoted)
        throw DatasetError(path + ": the quote opened on line " + std::to_string(quoteLine) + " is never closed");
    if (!field.empty() || fieldWasQuoted || !record.empty()) {
        record.push_back(field);
        records.push_back(record);
    }
    if (records.empty())
        throw DatasetError(path + ": empty file (expected the header file_name,text)");
    int nameColumn = -1, textColumn = -1;
    for (size_t c = 0; c < records[0].size(); ++c) {
        if (records[0][c] == "file_name")
            nameColumn = static_cast<int>(c);
        else if (records[0][c] == "text")
            textColumn = static_cast<int>(c);
    }
    if (nameColumn < 0 || textColumn < 0)
        throw DatasetError(path + ": the header must have the columns file_name and text");
    std::vector<CaptionRow> rows;
    for (size_t r = 1; r < records.size(); ++r) {
        const auto &rec = records[r];
        if (static_cast<int>(rec.size()) <= std::max(nameColumn, textColumn))
            throw DatasetError(path + ": record " + std::to_string(r + 1) + " has " + std::to_string(rec.size()) +
                               " field(s), the header " + std::to_string(records[0].size()));
        rows.push_back({rec[nameColumn], rec[textColumn]});
    }
    return rows;
}

} // namespace studio::dataset
