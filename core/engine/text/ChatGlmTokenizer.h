#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class SentencePieceModel;

// One prompt as the Kolors pipeline feeds it to ChatGLM3: left-padded to maxLength.
struct TokenizedPrompt
{
    std::vector<int64_t> inputIds;      // 0 (<unk>) for padding, then [gMASK] sop <pieces>
    std::vector<int64_t> attentionMask; // 0 for padding, 1 for real tokens
    std::vector<int64_t> positionIds;   // 0 for padding, 0..realTokens-1 for real tokens
    int realTokens = 0;                 // including the two prefix tokens
    bool truncated = false;             // the prompt had more pieces than fit and lost its end
};

// ChatGLM3's tokenizer as Kolors uses it (padding="max_length", truncation=True): sentencepiece pieces behind
// the prefix [gMASK] sop, no EOS, cut at the end to maxLength (prefix included), padded on the left.
// Special tokens are numbered after the sentencepiece vocabulary; text that looks like one ("</s>", "<|user|>")
// is encoded as ordinary text.
class ChatGlmTokenizer
{
public:
    enum class Special
    {
        Mask,
        GMask,
        SMask,
        Sop,
        Eop,
        System,
        User,
        Assistant,
        Observation
    };
    static constexpr int kSpecialCount = 9;
    static constexpr int kDefaultMaxLength = 256;

    // Throws EngineError (MissingFile / BadFile naming the file, or MissingFile for the sentencepiece module).
    static std::shared_ptr<ChatGlmTokenizer> load(const std::string &tokenizerModelPath);

    // Throws EngineError::BadArgument when maxLength < 2 (the prefix alone needs 2).
    TokenizedPrompt encode(const std::string &utf8Prompt, int maxLength = kDefaultMaxLength) const;

    std::vector<int32_t> pieceIds(const std::string &utf8Prompt) const; // sentencepiece ids only, no prefix
    std::string pieceText(int64_t id) const;                            // a piece or a special token's name
    int64_t specialId(Special token) const { return m_pieceCount + int64_t(token); }
    int pieceCount() const { return m_pieceCount; }
    int64_t vocabularySize() const { return m_pieceCount + kSpecialCount; }
    const std::string &path() const;

private:
    explicit ChatGlmTokenizer(std::shared_ptr<SentencePieceModel> model);
    std::shared_ptr<SentencePieceModel> m_model;
    int m_pieceCount = 0;
};

} // namespace studio::engine
