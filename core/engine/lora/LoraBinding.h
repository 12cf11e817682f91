#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace studio::engine {

class LoraFile;
class LoraTargetMap;

// Which UNet parameter each pair of a LoraFile changes. bind() refuses the whole file when any layer is unknown to
// the UNet (a LoRA for another base model), when two pairs hit one parameter, or when a pair's shape does not fit
// its weight; every offending name is listed.
struct LoraBinding
{
    struct Layer
    {
        size_t pair;           // index into LoraFile::pairs()
        std::string parameter; // diffusers parameter name
    };
    std::vector<Layer> layers;

    static LoraBinding bind(const LoraFile &lora, const LoraTargetMap &targets);
};

} // namespace studio::engine
