#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>

namespace torch::nn {
class Module;
}

namespace studio::engine {

// Gives every parameter of `module` (built with uninitialised storage) random values directly on `device` in
// `dtype`: norm scales 1, biases 0, other weights N(0, 1/fan_in) so activations keep their scale. For the
// benchmark's full-size models without the 16 GB download, and for tests; the output is not an image.
void fillRandomWeights(torch::nn::Module &module, c10::ScalarType dtype, c10::Device device, uint64_t seed);

} // namespace studio::engine
