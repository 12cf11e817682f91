#include "YamlScalar.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <vector>

namespace studio::dataset {

namespace {

// PyYAML's YAML 1.1 resolvers (the timestamp one removed and the float one replaced by jsonargparse's, which also
// takes "1e-3"). Int is tried before float, as in PyYAML's resolver order.
const std::regex &boolPattern()
{
    static const std::regex re("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
    return re;
}
const std::regex &intPattern()
{
    static const std::regex re("^(?:[-+]?0b[0-1_]+"
                               "|[-+]?0[0-7_]+"
                               "|[-+]?(?:0|[1-9][0-9_]*)"
                               "|[-+]?0x[0-9a-fA-F_]+"
                               "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
    return re;
}
const std::regex &floatPattern()
{
    static const std::regex re("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                               "|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
                               "|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
                               "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
                               "|[-+]?\\.(?:inf|Inf|INF)"
                               "|\\.(?:nan|NaN|NAN))$");
    return re;
}
bool isNullText(const std::string &s)
{
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::string withoutUnderscores(const std::string &s)
{
    std::string out;
    for (char c : s)
        if (c != '_')
            out += c;
    return out;
}

// construct_yaml_int: sign, then 0b / 0x / leading-0 octal / sexagesimal / decimal. Saturates.
void constructInt(const std::string &written, YamlScalar *out)
{
    std::string s = withoutUnderscores(written);
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.erase(0, 1);
    }
    long double value = 0;
    auto accumulate = [&value](const std::string &digits, int base) {
        for (char c : digits) {
            const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10);
            value = value * base + d;
        }
    };
    if (s == "0")
        value = 0;
    else if (s.rfind("0b", 0) == 0)
        accumulate(s.substr(2), 2);
    else if (s.rfind("0x", 0) == 0)
        accumulate(s.substr(2), 16);
    else if (s[0] == '0')
        accumulate(s.substr(1), 8);
    else if (s.find(':') != std::string::npos) {
        size_t start = 0;
        while (true) {
            const size_t colon = s.find(':', start);
            long double part = 0;
            for (char c : s.substr(start, colon == std::string::npos ? std::string::npos : colon - start))
                part = part * 10 + (c - '0');
            value = value * 60 + part;
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    } else
        accumulate(s, 10);
    if (negative)
        value = -value;
    const long double hi = static_cast<long double>(std::numeric_limits<int64_t>::max());
    const long double lo = static_cast<long double>(std::numeric_limits<int64_t>::min());
    out->intOverflow = value > hi || value < lo;
    out->integer = value > hi ? std::numeric_limits<int64_t>::max()
                              : (value < lo ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(value));
}

// construct_yaml_float: "_" removed, .inf/.nan, sexagesimal, else Python's float() (correctly rounded, as strtod).
double constructFloat(const std::string &written)
{
    std::string s = withoutUnderscores(written);
    double sign = 1.0;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        sign = s[0] == '-' ? -1.0 : 1.0;
        s.erase(0, 1);
    }
    std::string lower;
    for (char c : s)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == ".inf")
        return sign * std::numeric_limits<double>::infinity();
    if (lower == ".nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (s.find(':') != std::string::npos) {
        double value = 0.0, base = 1.0;
        std::vector<double> parts;
        size_t start = 0;
        while (true) {
            const size_t colon = s.find(':', start);
            parts.push_back(std::strtod(s.substr(start, colon - start).c_str(), nullptr));
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
            value += *it * base;
            base *= 60;
        }
        return sign * value;
    }
    // strtod follows the C locale's decimal point; YAML files always use ".".
    return sign * std::strtod(s.c_str(), nullptr);
}

} // namespace

const char *YamlScalar::typeName() const
{
    switch (type) {
    case Type::Null: return "null";
    case Type::Bool: return "a boolean";
    case Type::Int: return "an integer";
    case Type::Float: return "a float";
    case Type::String: return "a string";
    case Type::Sequence: return "a list";
    case Type::Mapping: return "a mapping";
    }
    return "?";
}

YamlScalar resolveYaml(const YAML::Node &node)
{
    YamlScalar out;
    if (!node.IsDefined() || node.IsNull()) {
        out.type = YamlScalar::Type::Null;
        return out;
    }
    if (node.IsSequence()) {
        out.type = YamlScalar::Type::Sequence;
        return out;
    }
    if (node.IsMap()) {
        out.type = YamlScalar::Type::Mapping;
        return out;
    }
    out.text = node.Scalar();
    const std::string &tag = node.Tag();
    // "!" marks a quoted scalar (always a string); "?" a plain one, typed by the resolvers below.
    if (tag == "tag:yaml.org,2002:str" || tag == "!") {
        out.type = YamlScalar::Type::String;
        return out;
    }
    const std::string &s = out.text;
    const bool plain = tag == "?" || tag.empty();
    const bool wantInt = tag == "tag:yaml.org,2002:int", wantFloat = tag == "tag:yaml.org,2002:float";
    if ((plain || tag == "tag:yaml.org,2002:null") && isNullText(s)) {
        out.type = YamlScalar::Type::Null;
    } else if ((plain || tag == "tag:yaml.org,2002:bool") && std::regex_match(s, boolPattern())) {
        out.type = YamlScalar::Type::Bool;
        out.boolean = s[0] == 'y' || s[0] == 'Y' || s[0] == 't' || s[0] == 'T' || s == "on" || s == "On" ||
                      s == "ON";
    } else if ((plain || wantInt) && std::regex_match(s, intPattern())) {
        out.type = YamlScalar::Type::Int;
        constructInt(s, &out);
    } else if ((plain || wantFloat) && std::regex_match(s, floatPattern())) {
        out.type = YamlScalar::Type::Float;
        out.real = constructFloat(s);
    } else {
        out.type = YamlScalar::Type::String;
    }
    return out;
}

} // namespace studio::dataset
