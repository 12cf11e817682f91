#include "engine/api/WeightFileFacts.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/ModelFolder.h"
#include "engine/text/ChatGlmConfig.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

constexpr uint64_t kMaxHeaderBytes = uint64_t(256) << 20;

int safetensorsElementBytes(const std::string &dtype)
{
    if (dtype == "F64" || dtype == "I64")
        return 8;
    if (dtype == "F32" || dtype == "I32")
        return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16")
        return 2;
    return 1;
}

int64_t fileSize(const std::string &path)
{
    std::error_code ec;
    const auto size = fs::file_size(fs::u8path(path), ec);
    return ec ? 0 : int64_t(size);
}

// The UNet stage a diffusers tensor name belongs to (UNet2DConditionModel::stages()): "down_blocks.N",
// "mid_block", "up_blocks.N", or "" for the input and output layers.
std::string stageOf(const std::string &name)
{
    for (const char *prefix : {"down_blocks.", "up_blocks."}) {
        const std::string p = prefix;
        if (name.compare(0, p.size(), p) == 0)
            return name.substr(0, name.find('.', p.size()));
    }
    return name.compare(0, 10, "mid_block.") == 0 ? "mid_block" : "";
}

void addSafetensors(const std::string &path, WeightFileFacts &facts, std::map<std::string, int64_t> &stages)
{
    std::ifstream in(fs::u8path(path), std::ios::binary);
    unsigned char lengthBytes[8] = {};
    if (!in.read(reinterpret_cast<char *>(lengthBytes), 8))
        throw EngineError(EngineError::Code::BadFile, path + ": not a safetensors file (too short)");
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | lengthBytes[i];
    if (length > uint64_t(fileSize(path)) || length > kMaxHeaderBytes)
        throw EngineError(EngineError::Code::BadFile, path + ": safetensors header length out of range");
    std::string header(size_t(length), '\0');
    in.read(header.data(), std::streamsize(length));
    const nlohmann::json json = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadFile, path + ": safetensors header is not a JSON object");
    for (auto it = json.begin(); it != json.end(); ++it) {
        const nlohmann::json &entry = it.value();
        if (it.key() == "__metadata__" || !entry.is_object() || !entry.contains("shape") || !entry.contains("dtype") ||
            !entry["shape"].is_array() || !entry["dtype"].is_string())
            continue;
        int64_t elements = 1;
        for (const nlohmann::json &n : entry["shape"])
            elements *= n.is_number_integer() ? std::max<int64_t>(0, n.get<int64_t>()) : 0;
        const int size = safetensorsElementBytes(entry["dtype"].get<std::string>());
        facts.bytes += elements * size;
        stages[stageOf(it.key())] += elements;
        if (elements > facts.largestElements) {
            facts.largestElements = elements;
            facts.elementBytes = size;
        }
    }
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int torchDtypeBytes(const nlohmann::json &config)
{
    const std::string dtype = config.value("torch_dtype", std::string());
    return dtype == "float32" ? 4 : dtype == "float16" || dtype == "bfloat16" ? 2 : 0;
}

} // namespace

WeightFileFacts weightFileFacts(const std::string &path)
{
    WeightFileFacts facts;
    std::map<std::string, int64_t> stages;
    if (endsWith(path, ".safetensors")) {
        addSafetensors(path, facts, stages);
    } else if (endsWith(path, ".json")) { // a shard index
        const nlohmann::json index = readJsonFile(path);
        std::set<std::string> shards;
        if (index.contains("weight_map") && index["weight_map"].is_object())
            for (const auto &shard : index["weight_map"])
                if (shard.is_string())
                    shards.insert(shard.get<std::string>());
        const fs::path folder = fs::u8path(path).parent_path();
        for (const std::string &shard : shards) {
            const std::string shardPath = (folder / fs::u8path(shard)).u8string();
            if (endsWith(shard, ".safetensors"))
                addSafetensors(shardPath, facts, stages);
            else
                facts.bytes += fileSize(shardPath);
        }
    } else {
        facts.bytes = fileSize(path); // a torch pickle: its size is the tensors' bytes plus a little
    }
    for (const auto &[stage, elements] : stages)
        facts.largestStageElements = std::max(facts.largestStageElements, elements);
    if (facts.elementBytes == 0 && path.find("fp16") != std::string::npos)
        facts.elementBytes = 2;
    return facts;
}

TextEncoderFacts textEncoderFacts(const KolorsModelPaths &paths)
{
    const ChatGlmConfig c = ChatGlmConfig::fromFile(paths.textEncoderConfig);
    TextEncoderFacts f;
    const int64_t linears[4][2] = {{c.qkvSize(), c.hiddenSize},
                                   {c.hiddenSize, c.projectionSize()},
                                   {2 * c.ffnHiddenSize, c.hiddenSize},
                                   {c.hiddenSize, c.ffnHiddenSize}};
    for (const auto &shape : linears) {
        f.linearElements += shape[0] * shape[1];
        f.linearRows += shape[0];
        f.largestLinear = std::max(f.largestLinear, shape[0] * shape[1]);
    }
    const int64_t small = 2 * c.hiddenSize + (c.addQkvBias ? c.qkvSize() : 0);
    f.layerElements = f.linearElements + small;
    f.linearElements *= c.numLayers;
    f.linearRows *= c.numLayers;
    f.otherElements = c.vocabSize * c.hiddenSize + small * c.numLayers;
    f.hidden = c.hiddenSize;
    f.ffn = c.ffnHiddenSize;
    f.heads = c.numHeads;
    const WeightFileFacts stored = weightFileFacts(paths.textEncoderWeights);
    f.elementBytes = stored.elementBytes ? stored.elementBytes : torchDtypeBytes(readJsonFile(paths.textEncoderConfig));
    if (f.elementBytes == 0)
        f.elementBytes = 2; // ChatGLM3 ships float16
    return f;
}

} // namespace studio::engine
