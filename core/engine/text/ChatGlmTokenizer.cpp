#include "engine/text/ChatGlmTokenizer.h"

#include "engine/common/EngineError.h"
#include "engine/text/SentencePieceModel.h"

#include <algorithm>

namespace studio::engine {
namespace {

const char *const kSpecialNames[ChatGlmTokenizer::kSpecialCount] = {
    "[MASK]", "[gMASK]", "[sMASK]", "sop", "eop", "<|system|>", "<|user|>", "<|assistant|>", "<|observation|>",
};

} // namespace

ChatGlmTokenizer::ChatGlmTokenizer(std::shared_ptr<SentencePieceModel> model)
    : m_model(std::move(model)), m_pieceCount(m_model->pieceCount())
{
}

std::shared_ptr<ChatGlmTokenizer> ChatGlmTokenizer::load(const std::string &tokenizerModelPath)
{
    return std::shared_ptr<ChatGlmTokenizer>(new ChatGlmTokenizer(SentencePieceModel::load(tokenizerModelPath)));
}

const std::string &ChatGlmTokenizer::path() const
{
    return m_model->path();
}

std::vector<int32_t> ChatGlmTokenizer::pieceIds(const std::string &utf8Prompt) const
{
    return m_model->encode(utf8Prompt);
}

std::string ChatGlmTokenizer::pieceText(int64_t id) const
{
    if (id >= m_pieceCount && id < vocabularySize())
        return kSpecialNames[id - m_pieceCount];
    if (id < 0 || id >= m_pieceCount)
        throw EngineError(EngineError::Code::BadArgument,
                          "token id " + std::to_string(id) + " is outside the vocabulary");
    return m_model->idToPiece(int32_t(id));
}

TokenizedPrompt ChatGlmTokenizer::encode(const std::string &utf8Prompt, int maxLength) const
{
    if (maxLength < 2)
        throw EngineError(EngineError::Code::BadArgument,
                          "maximum prompt length " + std::to_string(maxLength) + " leaves no room for [gMASK] sop");
    // Prefix, then the pieces; truncation removes pieces from the end (transformers' default side), never the
    // prefix. No EOS: ChatGLM3's build_inputs_with_special_tokens adds none for one sequence.
    const std::vector<int32_t> pieces = m_model->encode(utf8Prompt);
    const size_t room = size_t(maxLength) - 2;
    const size_t kept = std::min(pieces.size(), room);

    TokenizedPrompt prompt;
    prompt.realTokens = int(kept + 2);
    prompt.truncated = pieces.size() > room;
    const size_t padding = size_t(maxLength) - size_t(prompt.realTokens);
    prompt.inputIds.assign(padding, 0);
    prompt.attentionMask.assign(padding, 0);
    prompt.positionIds.assign(padding, 0);
    prompt.inputIds.push_back(specialId(Special::GMask));
    prompt.inputIds.push_back(specialId(Special::Sop));
    prompt.inputIds.insert(prompt.inputIds.end(), pieces.begin(), pieces.begin() + std::ptrdiff_t(kept));
    prompt.attentionMask.resize(size_t(maxLength), 1);
    for (int i = 0; i < prompt.realTokens; ++i)
        prompt.positionIds.push_back(i);
    return prompt;
}

} // namespace studio::engine
