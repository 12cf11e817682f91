// libFuzzer target: the safetensors header validator must reject anything malformed with an EngineError and
// never read outside the buffer, whatever the bytes.
#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        uint64_t dataOffset = 0;
        std::map<std::string, std::string> metadata;
        const auto entries =
            studio::engine::SafetensorsFile::parseHeader(data, size, "fuzz.safetensors", &metadata, &dataOffset);
        // Accepted: every range must lie inside the buffer; touch first and last byte of each.
        volatile uint8_t sink = 0;
        for (const auto &entry : entries) {
            if (entry.end > entry.begin) {
                if (dataOffset + entry.end > size)
                    std::abort();
                sink = sink ^ data[dataOffset + entry.begin] ^ data[dataOffset + entry.end - 1];
            }
        }
    } catch (const studio::engine::EngineError &) {
    }
    return 0;
}
