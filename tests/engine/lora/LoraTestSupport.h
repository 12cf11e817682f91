#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace lora_test {

std::string goldenDir();                            // tests/data/golden/kolors-tiny
nlohmann::json loadCases();                         // cases.json
at::Tensor expectedTensor(const std::string &name); // from expected.safetensors (a CPU copy)

// A module tree whose parameters carry exactly the given dotted names and values (cloned, so merging never writes
// into a memory-mapped file). Stands in for the UNet: the LoRA code only sees diffusers parameter names.
std::shared_ptr<torch::nn::Module> moduleFromTensors(const std::vector<std::pair<std::string, at::Tensor>> &tensors);
// Every tensor of the golden UNet weight file.
std::vector<std::pair<std::string, at::Tensor>> goldenUnetTensors();

std::vector<std::pair<std::string, at::Tensor>> parameterCopies(const torch::nn::Module &module);
// Names of the parameters whose bytes differ between the module and `before` (empty: bit-identical).
std::vector<std::string> changedParameters(const torch::nn::Module &module,
                                           const std::vector<std::pair<std::string, at::Tensor>> &before);

// A zip archive with uncompressed members (what torch.save writes), for handcrafted checkpoints.
void writeStoredZip(const std::string &path, const std::vector<std::pair<std::string, std::string>> &members);
void writeBytes(const std::string &path, const std::string &bytes);
std::string readBytes(const std::string &path);

} // namespace lora_test
