#include "engine/api/TextApi.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/io/ModelFolder.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/text/ChatGlmEncoder.h"
#include "engine/text/ChatGlmTokenizer.h"
#include "engine/text/WeightedPrompt.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>

namespace studio::engine {
namespace {

std::string tokenizerFile(const std::string &path)
{
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::u8path(path), ec))
        return path;
    return locateKolorsTokenizer(path);
}

TokenizedText toText(const TokenizedPrompt &prompt)
{
    TokenizedText text;
    text.inputIds = prompt.inputIds;
    text.attentionMask = prompt.attentionMask;
    text.positionIds = prompt.positionIds;
    text.tokens = prompt.realTokens;
    text.maxLength = int(prompt.inputIds.size());
    text.truncated = prompt.truncated;
    return text;
}

c10::Device parseDevice(const std::string &text)
{
    if (text == "auto")
        return at::hasCUDA() ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
    std::optional<c10::Device> device;
    try {
        device = c10::Device(text);
    } catch (const c10::Error &) {
        throw EngineError(EngineError::Code::BadArgument,
                          "unknown device \"" + text + "\" (use auto, cpu, cuda or cuda:N)");
    }
    if (device->is_cuda() && !at::hasCUDA())
        throw EngineError(EngineError::Code::Unsupported,
                          "this build of LibTorch has no CUDA support (device \"" + text + "\")");
    if (!device->is_cpu() && !device->is_cuda())
        throw EngineError(EngineError::Code::BadArgument, "unsupported device \"" + text + "\" (use cpu or cuda)");
    return *device;
}

c10::ScalarType parseDtype(const std::string &text, const c10::Device &device)
{
    if (text == "auto")
        return device.is_cuda() ? c10::kHalf : c10::kFloat;
    if (text == "float32" || text == "fp32")
        return c10::kFloat;
    if (text == "float16" || text == "fp16")
        return c10::kHalf;
    if (text == "bfloat16" || text == "bf16")
        return c10::kBFloat16;
    throw EngineError(EngineError::Code::BadArgument,
                      "unknown precision \"" + text + "\" (use auto, fp32, fp16 or bf16)");
}

} // namespace

std::unique_ptr<PromptTokenizer> PromptTokenizer::load(const std::string &path)
{
    std::unique_ptr<PromptTokenizer> tokenizer(new PromptTokenizer());
    tokenizer->m_tokenizer = ChatGlmTokenizer::load(tokenizerFile(path));
    return tokenizer;
}

PromptTokenizer::~PromptTokenizer() = default;

TokenizedText PromptTokenizer::tokenize(const std::string &utf8Prompt, int maxLength) const
{
    return toText(m_tokenizer->encode(utf8Prompt, maxLength));
}

std::vector<std::string> PromptTokenizer::pieces(const std::string &utf8Prompt) const
{
    std::vector<std::string> out;
    for (const int32_t id : m_tokenizer->pieceIds(utf8Prompt))
        out.push_back(m_tokenizer->pieceText(id));
    return out;
}

PromptTokenizer::Weighted PromptTokenizer::tokenizeWeighted(const std::string &utf8Prompt, int maxLength) const
{
    const WeightedTokens tokens = studio::engine::tokenizeWeighted(*m_tokenizer, utf8Prompt, maxLength);
    Weighted out;
    out.tokens = toText(tokens.tokens);
    out.text = tokens.parsed.text;
    out.pieces = tokens.pieces;
    out.weights = tokens.weights;
    return out;
}

const std::string &PromptTokenizer::tokenizerPath() const
{
    return m_tokenizer->path();
}

std::string tokenizedTextToJson(const TokenizedText &text)
{
    nlohmann::ordered_json json;
    json["input_ids"] = text.inputIds;
    json["attention_mask"] = text.attentionMask;
    json["position_ids"] = text.positionIds;
    json["tokens"] = text.tokens;
    json["max_length"] = text.maxLength;
    json["truncated"] = text.truncated;
    return json.dump();
}

std::string weightedTextToJson(const PromptTokenizer::Weighted &weighted)
{
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(tokenizedTextToJson(weighted.tokens));
    json["text"] = weighted.text;
    json["weights"] = weighted.weights;
    nlohmann::ordered_json pieces = nlohmann::ordered_json::array();
    const size_t first = weighted.weights.size() - weighted.pieces.size();
    for (size_t i = 0; i < weighted.pieces.size(); ++i)
        pieces.push_back({weighted.pieces[i], weighted.weights[first + i]});
    json["pieces"] = pieces;
    return json.dump();
}

EncodeSummary encodePromptToFile(const EncodeRequest &request)
{
    try {
        const c10::Device device = parseDevice(request.device);
        const c10::ScalarType dtype = parseDtype(request.dtype, device);
        if (request.outPath.empty())
            throw EngineError(EngineError::Code::BadArgument, "no output file given");
        const KolorsModelPaths paths = locateKolorsModel(request.modelDir);
        const auto tokenizer = ChatGlmTokenizer::load(paths.tokenizerModel);
        // Parse both prompts before loading the encoder: a bad weight is refused at once.
        const WeightedTokens prompt = tokenizeWeighted(*tokenizer, request.prompt);
        std::optional<WeightedTokens> negative;
        if (request.negativePrompt)
            negative = tokenizeWeighted(*tokenizer, *request.negativePrompt);
        const auto encoder = ChatGlmEncoder::load(paths.textEncoderConfig, paths.textEncoderWeights, dtype, device);

        EncodeSummary summary;
        summary.hiddenSize = encoder->hiddenSize();
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        const auto encodeOne = [&](const WeightedTokens &text, const char *embedsName, const char *pooledName,
                                   int *tokens, bool *truncated) {
            *tokens = text.tokens.realTokens;
            *truncated = text.tokens.truncated;
            const PromptEmbeddings embeddings = encodeWeighted(*encoder, text);
            tensors.emplace_back(embedsName, embeddings.promptEmbeds.to(at::kCPU, at::kFloat));
            tensors.emplace_back(pooledName, embeddings.pooled.to(at::kCPU, at::kFloat));
        };
        encodeOne(prompt, "prompt_embeds", "pooled_prompt_embeds", &summary.promptTokens, &summary.promptTruncated);
        if (negative)
            encodeOne(*negative, "negative_prompt_embeds", "negative_pooled_prompt_embeds",
                      &summary.negativeTokens, &summary.negativeTruncated);

        // No prompt text in the header: prompts that weight the same (`(cat:1.0)` and `cat`) give identical files.
        writeSafetensors(request.outPath, tensors, {{"format", "pt"}});
        for (const auto &item : tensors)
            summary.tensorNames.push_back(item.first);
        return summary;
    } catch (...) {
        rethrowAsEngineError("encode");
    }
}

} // namespace studio::engine
