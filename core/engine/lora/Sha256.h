#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace studio::engine {

// SHA-256 (FIPS 180-4), for the LoRA facts on the card: the engine is Qt-free, so QCryptographicHash is not
// available here, and a few dozen lines beat a new library dependency.
class Sha256
{
public:
    Sha256();
    void update(const void *data, size_t size);
    std::array<uint8_t, 32> finish();
    std::string finishHex(); // lower-case hex

    // Hashes a whole file in chunks. Throws EngineError::Io naming the file.
    static std::string fileHex(const std::string &path);

private:
    void block(const uint8_t *chunk);

    std::array<uint32_t, 8> m_state;
    std::array<uint8_t, 64> m_buffer;
    size_t m_buffered = 0;
    uint64_t m_length = 0; // bytes
};

} // namespace studio::engine
