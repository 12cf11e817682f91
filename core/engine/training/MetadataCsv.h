#pragma once

#include <map>
#include <string>
#include <vector>

namespace studio::engine {

// A data set's metadata.csv as pandas.read_csv reads it for DiffSynth: UTF-8 with an optional BOM, RFC 4180
// (comma separator, double-quote quoting, "" for a quote inside quotes, LF or CRLF), blank lines skipped, the
// first row the header. Throws EngineError::BadFile naming the file and line for an unterminated quote, a quote
// inside an unquoted field, text after a closing quote, or a row with more fields than the header.
struct CsvTable
{
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows; // each as long as the header (missing trailing fields are "")
    std::vector<int> rowLines;                  // the 1-based line each row starts on, for messages

    int column(const std::string &name) const; // -1 when absent
};

CsvTable parseCsv(const std::string &text, const std::string &label);
CsvTable readCsvFile(const std::string &path); // refuses files over 64 MiB

} // namespace studio::engine
