// libFuzzer target: a training data set's metadata.csv comes from the user; the RFC 4180 reader must reject anything
// malformed with an EngineError, and every accepted row must be exactly as wide as the header.
#include "engine/common/EngineError.h"
#include "engine/training/MetadataCsv.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const studio::engine::CsvTable table =
            studio::engine::parseCsv(std::string(reinterpret_cast<const char *>(data), size), "fuzz.csv");
        if (table.rows.size() != table.rowLines.size())
            std::abort();
        for (const auto &row : table.rows)
            if (row.size() != table.header.size())
                std::abort();
    } catch (const studio::engine::EngineError &) {
    }
    return 0;
}
