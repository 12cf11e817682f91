#include "LoraTestSupport.h"

#include "engine/io/TensorStore.h"

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lora_test {

std::string goldenDir()
{
    return std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
}

nlohmann::json loadCases()
{
    std::ifstream in(goldenDir() + "/cases.json");
    return nlohmann::json::parse(in);
}

at::Tensor expectedTensor(const std::string &name)
{
    static const studio::engine::TensorStore store =
        studio::engine::TensorStore::open(goldenDir() + "/expected.safetensors");
    return store.get(name).clone();
}

std::shared_ptr<torch::nn::Module> moduleFromTensors(const std::vector<std::pair<std::string, at::Tensor>> &tensors)
{
    auto root = std::make_shared<torch::nn::Module>();
    for (const auto &[name, tensor] : tensors) {
        torch::nn::Module *node = root.get();
        std::string rest = name;
        for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) {
            const std::string part = rest.substr(0, dot);
            auto children = node->named_children();
            if (const auto *child = children.find(part))
                node = child->get();
            else
                node = node->register_module(part, std::make_shared<torch::nn::Module>()).get();
        }
        node->register_parameter(rest, tensor.clone(), /*requires_grad=*/false);
    }
    return root;
}

std::vector<std::pair<std::string, at::Tensor>> goldenUnetTensors()
{
    const auto store = studio::engine::TensorStore::open(goldenDir() + "/unet/diffusion_pytorch_model.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const std::string &name : store.names())
        tensors.emplace_back(name, store.get(name));
    return tensors;
}

std::vector<std::pair<std::string, at::Tensor>> parameterCopies(const torch::nn::Module &module)
{
    std::vector<std::pair<std::string, at::Tensor>> copies;
    for (const auto &item : module.named_parameters())
        copies.emplace_back(item.key(), item.value().detach().clone());
    return copies;
}

std::vector<std::string> changedParameters(const torch::nn::Module &module,
                                           const std::vector<std::pair<std::string, at::Tensor>> &before)
{
    std::vector<std::string> changed;
    const auto now = module.named_parameters();
    for (const auto &[name, tensor] : before) {
        const at::Tensor *current = now.find(name);
        // Byte comparison: torch::equal would call -0.0 == 0.0 and NaN != NaN.
        const bool same = current && current->scalar_type() == tensor.scalar_type() &&
                          current->sizes() == tensor.sizes() &&
                          std::memcmp(current->contiguous().data_ptr(), tensor.contiguous().data_ptr(),
                                      size_t(tensor.numel()) * tensor.element_size()) == 0;
        if (!same)
            changed.push_back(name);
    }
    return changed;
}

namespace {

uint32_t crc32(const std::string &bytes)
{
    uint32_t crc = 0xffffffffu;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void put16(std::string &out, uint32_t value)
{
    out += char(value & 0xff);
    out += char((value >> 8) & 0xff);
}

void put32(std::string &out, uint32_t value)
{
    put16(out, value & 0xffff);
    put16(out, value >> 16);
}

} // namespace

void writeStoredZip(const std::string &path, const std::vector<std::pair<std::string, std::string>> &members)
{
    std::string data, central;
    for (const auto &[name, bytes] : members) {
        const uint32_t offset = uint32_t(data.size());
        const uint32_t crc = crc32(bytes);
        std::string common;
        put16(common, 20); // version needed
        put16(common, 0);  // flags
        put16(common, 0);  // stored
        put16(common, 0);  // time
        put16(common, 0);  // date
        put32(common, crc);
        put32(common, uint32_t(bytes.size()));
        put32(common, uint32_t(bytes.size()));
        put16(common, uint32_t(name.size()));
        put16(common, 0); // extra length
        put32(data, 0x04034b50);
        data += common + name + bytes;
        put32(central, 0x02014b50);
        put16(central, 20); // version made by
        central += common;
        put16(central, 0); // comment length
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, offset);
        central += name;
    }
    std::string end;
    put32(end, 0x06054b50);
    put16(end, 0);
    put16(end, 0);
    put16(end, uint32_t(members.size()));
    put16(end, uint32_t(members.size()));
    put32(end, uint32_t(central.size()));
    put32(end, uint32_t(data.size()));
    put16(end, 0);
    writeBytes(path, data + central + end);
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace lora_test
