#pragma once

#include <stdexcept>
#include <string>

namespace studio::dataset {

// A refused configuration or data set: the message names the offending operator, key, parameter or line.
// Nothing has been written when it is thrown by the checking phase of prepare-data.
class DatasetError : public std::runtime_error
{
public:
    explicit DatasetError(const std::string &message) : std::runtime_error(message) {}
};

} // namespace studio::dataset
