#pragma once

#include <cstdint>
#include <string>

namespace YAML {
class Node;
}

// What PyYAML's SafeLoader (YAML 1.1) plus jsonargparse's resolvers make of one YAML node: yaml-cpp hands scalars
// over as text, so the implicit typing of plain scalars (bools, ints in 1.1 forms, floats, nulls) happens here.
namespace studio::dataset {

struct YamlScalar
{
    enum class Type { Null, Bool, Int, Float, String, Sequence, Mapping };
    Type type = Type::Null;
    bool boolean = false;
    int64_t integer = 0;     // saturated at the int64 range (Python's ints are unbounded)
    bool intOverflow = false;
    double real = 0.0;
    std::string text;        // the scalar as written (all scalar types)

    bool isNumber() const { return type == Type::Int || type == Type::Float; }
    double number() const { return type == Type::Int ? static_cast<double>(integer) : real; }
    const char *typeName() const;
};

YamlScalar resolveYaml(const YAML::Node &node);

} // namespace studio::dataset
