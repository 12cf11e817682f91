#include "engine/training/MetadataCsv.h"

#include "engine/common/EngineError.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace studio::engine {
namespace {

[[noreturn]] void fail(const std::string &label, int line, const std::string &why)
{
    throw EngineError(EngineError::Code::BadFile, label + " line " + std::to_string(line) + ": " + why);
}

} // namespace

int CsvTable::column(const std::string &name) const
{
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name)
            return int(i);
    return -1;
}

CsvTable parseCsv(const std::string &input, const std::string &label)
{
    size_t pos = input.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::vector<std::vector<std::string>> records;
    std::vector<int> lines;
    int line = 1;
    while (pos < input.size()) {
        // A blank line (pandas skips them).
        if (input[pos] == '\n' || (input[pos] == '\r' && pos + 1 < input.size() && input[pos + 1] == '\n')) {
            pos += input[pos] == '\r' ? 2 : 1;
            ++line;
            continue;
        }
        const int startLine = line;
        std::vector<std::string> fields;
        std::string field;
        bool endOfRecord = false;
        while (!endOfRecord) {
            if (pos < input.size() && input[pos] == '"') {
                ++pos;
                for (;;) {
                    if (pos >= input.size())
                        fail(label, startLine, "a quoted field is never closed (unbalanced \")");
                    const char c = input[pos++];
                    if (c == '"') {
                        if (pos < input.size() && input[pos] == '"') {
                            field.push_back('"');
                            ++pos;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n')
                        ++line;
                    field.push_back(c);
                }
                if (pos < input.size() && input[pos] != ',' && input[pos] != '\n' &&
                    !(input[pos] == '\r' && pos + 1 < input.size() && input[pos + 1] == '\n') &&
                    !(input[pos] == '\r' && pos + 1 == input.size()))
                    fail(label, line, "text after a closing quote (a quote inside a field must be doubled: \"\")");
            } else {
                while (pos < input.size() && input[pos] != ',' && input[pos] != '\n' &&
                       !(input[pos] == '\r' && (pos + 1 == input.size() || input[pos + 1] == '\n'))) {
                    if (input[pos] == '"')
                        fail(label, line, "a quote inside an unquoted field (quote the whole field and double the "
                                          "quote: \"\")");
                    field.push_back(input[pos++]);
                }
            }
            fields.push_back(std::move(field));
            field.clear();
            if (pos >= input.size()) {
                endOfRecord = true;
            } else if (input[pos] == ',') {
                ++pos;
            } else {
                pos += input[pos] == '\r' ? 2 : 1;
                ++line;
                endOfRecord = true;
            }
        }
        records.push_back(std::move(fields));
        lines.push_back(startLine);
    }
    if (records.empty())
        throw EngineError(EngineError::Code::BadFile, label + ": empty file (expected a header row)");
    CsvTable table;
    table.header = std::move(records.front());
    for (size_t i = 1; i < records.size(); ++i) {
        std::vector<std::string> &row = records[i];
        if (row.size() > table.header.size())
            fail(label, lines[i],
                 "expected " + std::to_string(table.header.size()) + " fields, saw " + std::to_string(row.size()) +
                     " (a comma inside a caption needs the caption in double quotes)");
        row.resize(table.header.size());
        table.rows.push_back(std::move(row));
        table.rowLines.push_back(lines[i]);
    }
    return table;
}

CsvTable readCsvFile(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw EngineError(EngineError::Code::MissingFile, "missing file: " + path);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw EngineError(EngineError::Code::Io, "cannot read " + path);
    if (size > (uint64_t(64) << 20))
        throw EngineError(EngineError::Code::BadFile, path + ": larger than 64 MiB, not a caption table");
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof())
        throw EngineError(EngineError::Code::Io, "cannot read " + path);
    return parseCsv(buffer.str(), path);
}

} // namespace studio::engine
