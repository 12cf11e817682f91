#pragma once

// Where and how the engine computes: value types of the engine itself (training and generation take them), which
// the facade (engine/api/Generation.h) re-exports with their names and parsers. Torch-free.

namespace studio::engine {

enum class ComputeDevice
{
    Auto,
    Cpu,
    Cuda
};
enum class ComputePrecision
{
    Auto,
    Float32,
    Float16
}; // Auto: float16 on CUDA (VAE float32), float32 on CPU
enum class Switch
{
    Auto,
    Off,
    On
};

} // namespace studio::engine
