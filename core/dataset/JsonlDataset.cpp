#include "JsonlDataset.h"

#include "DatasetError.h"
#include "DatasetPaths.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace studio::dataset {

int JsonlDataset::column(const std::string &name) const
{
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name)
            return static_cast<int>(i);
    return -1;
}

std::vector<std::string> JsonlDataset::paths(const Sample &sample, int columnIndex) const
{
    std::vector<std::string> out;
    if (columnIndex < 0 || columnIndex >= static_cast<int>(sample.values.size()))
        return out;
    const Json &v = sample.values[columnIndex];
    // Global media columns were checked on reading; an operator's own image_key may name any column, whose
    // non-string entries are no images.
    if (v.is_array())
        for (const Json &p : v)
            if (p.is_string())
                out.push_back(p.get<std::string>());
    return out;
}

JsonlDataset readJsonlDataset(const std::string &pathAsWritten, const JsonlReadOptions &options)
{
    JsonlDataset data;
    data.path = absolutePath(pathAsWritten);
    data.folder = parentPath(data.path);
    std::ifstream in(data.path, std::ios::binary);
    if (!in)
        throw DatasetError("cannot read dataset " + pathAsWritten);

    std::vector<Json> objects;
    std::string line;
    int lineNumber = 0;
    std::unordered_map<std::string, int> columnIndex;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r\n") == std::string::npos)
            continue;
        Json object;
        try {
            object = Json::parse(line);
        } catch (const std::exception &e) {
            throw DatasetError("dataset line " + std::to_string(lineNumber) + " is not valid JSON: " + e.what());
        }
        if (!object.is_object())
            throw DatasetError("dataset line " + std::to_string(lineNumber) + " is not a JSON object");
        for (auto it = object.begin(); it != object.end(); ++it)
            if (columnIndex.emplace(it.key(), static_cast<int>(data.columns.size())).second)
                data.columns.push_back(it.key());
        objects.push_back(std::move(object));
    }

    for (const std::string &key : options.textKeys)
        if (!columnIndex.count(key))
            throw DatasetError("text key '" + key + "' is in no line of the dataset");

    for (size_t i = 0; i < objects.size(); ++i) {
        Sample sample;
        sample.line = static_cast<int>(i);
        sample.values.assign(data.columns.size(), Json());
        for (auto it = objects[i].begin(); it != objects[i].end(); ++it)
            sample.values[columnIndex[it.key()]] = it.value();
        data.samples.push_back(std::move(sample));
    }

    // Media columns hold null or lists of path strings; relative paths get DATASET_DIR + "/" in front (the
    // path itself is not normalised, as Data-Juicer does it).
    for (const std::string &key : options.pathKeys) {
        const int c = data.column(key);
        if (c < 0)
            continue;
        for (Sample &sample : data.samples) {
            Json &v = sample.values[c];
            if (v.is_null())
                continue;
            if (!v.is_array())
                throw DatasetError("dataset line " + std::to_string(sample.line + 1) + ": '" + key +
                                   "' must be a list of paths or null");
            for (Json &p : v) {
                if (!p.is_string())
                    throw DatasetError("dataset line " + std::to_string(sample.line + 1) + ": '" + key +
                                       "' must hold only path strings");
                const std::string s = p.get<std::string>();
                if (s.empty() || s[0] != '/')
                    p = data.folder + "/" + s;
            }
        }
    }
    return data;
}

std::string pandasJsonString(const std::string &text)
{
    std::string out = "\"";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '/': out += "\\/"; break;
        case 0x08: out += "\\b"; break;
        case 0x0c: out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

namespace {

void appendValue(std::string *out, const Json &v)
{
    switch (v.type()) {
    case Json::value_t::null: *out += "null"; break;
    case Json::value_t::boolean: *out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: *out += std::to_string(v.get<int64_t>()); break;
    case Json::value_t::number_unsigned: *out += std::to_string(v.get<uint64_t>()); break;
    case Json::value_t::number_float: {
        // pandas' own 10-significant-digit printing (not covered by the golden set): close to it.
        const double d = v.get<double>();
        char buf[40];
        if (d == static_cast<double>(static_cast<long long>(d)) && d < 1e15 && d > -1e15)
            std::snprintf(buf, sizeof buf, "%.1f", d);
        else
            std::snprintf(buf, sizeof buf, "%.10g", d);
        *out += buf;
        break;
    }
    case Json::value_t::string: *out += pandasJsonString(v.get<std::string>()); break;
    case Json::value_t::array: {
        *out += '[';
        bool first = true;
        for (const Json &item : v) {
            if (!first)
                *out += ',';
            first = false;
            appendValue(out, item);
        }
        *out += ']';
        break;
    }
    case Json::value_t::object: {
        *out += '{';
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!first)
                *out += ',';
            first = false;
            *out += pandasJsonString(it.key());
            *out += ':';
            appendValue(out, it.value());
        }
        *out += '}';
        break;
    }
    default: *out += "null"; break;
    }
}

} // namespace

std::string pandasJsonLine(const std::vector<std::string> &columns, const std::vector<Json> &values)
{
    std::string out = "{";
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i)
            out += ',';
        out += pandasJsonString(columns[i]);
        out += ':';
        appendValue(&out, i < values.size() ? values[i] : Json());
    }
    out += '}';
    return out;
}

} // namespace studio::dataset
