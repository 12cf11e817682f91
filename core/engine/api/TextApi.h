#pragma once

// Torch-free facade of the engine's text side (tokenizer + ChatGLM3 encoder) for the CLI and the studio:
// std types only. Errors are thrown as studio::engine::EngineError (engine/common/EngineError.h).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

class ChatGlmTokenizer;

// Kolors' context: 256 tokens including the [gMASK] sop prefix.
constexpr int kPromptMaxTokens = 256;

// One prompt as the text encoder receives it.
struct TokenizedText
{
    std::vector<int64_t> inputIds;      // maxLength ids, left-padded with 0
    std::vector<int64_t> attentionMask; // 0 for padding, 1 for real tokens
    std::vector<int64_t> positionIds;   // 0 for padding, 0..tokens-1
    int tokens = 0;                     // real tokens including the 2 prefix tokens: the UI's "n/256"
    int maxLength = kPromptMaxTokens;
    bool truncated = false; // the prompt's end did not fit
};

// A loaded tokenizer, cheap to keep around (about 1 MB) for live "n/256" counts while typing. Thread-safe.
class PromptTokenizer
{
public:
    // `path`: a Kolors model folder (any layout locateKolorsModel accepts) or a tokenizer.model file.
    static std::unique_ptr<PromptTokenizer> load(const std::string &path);
    ~PromptTokenizer();

    TokenizedText tokenize(const std::string &utf8Prompt, int maxLength = kPromptMaxTokens) const;
    // The text of each real token (after the prefix), e.g. for highlighting what was cut off.
    std::vector<std::string> pieces(const std::string &utf8Prompt) const;
    // A prompt with A1111 weighting syntax as the engine encodes it: its syntax-free text tokenized, one weight per
    // position. Throws EngineError::BadArgument for a weight that is not a number.
    struct Weighted
    {
        TokenizedText tokens;            // of the syntax-free text: the studio's "n/256" counts these
        std::string text;                // the syntax-free text
        std::vector<std::string> pieces; // the kept pieces
        std::vector<float> weights;      // one per position of tokens.inputIds (1 for padding and the prefix)
    };
    Weighted tokenizeWeighted(const std::string &utf8Prompt, int maxLength = kPromptMaxTokens) const;
    const std::string &tokenizerPath() const;

private:
    PromptTokenizer() = default;
    std::shared_ptr<ChatGlmTokenizer> m_tokenizer;
};

// `storyboard tokenize`: {"input_ids": [...], "attention_mask": [...], "position_ids": [...], "tokens": n,
// "max_length": 256, "truncated": false} on one line.
std::string tokenizedTextToJson(const TokenizedText &text);
// `storyboard tokenize --weights`: the same plus "text" (syntax-free), "weights" (one per position) and "pieces"
// ([piece, weight] for each kept piece).
std::string weightedTextToJson(const PromptTokenizer::Weighted &weighted);

struct EncodeRequest
{
    std::string modelDir;
    std::string prompt;
    std::optional<std::string> negativePrompt; // set: also negative_prompt_embeds / negative_pooled_prompt_embeds
    std::string outPath;                       // .safetensors to write (replaced atomically)
    std::string device = "cpu";                // "cpu", "cuda" or "cuda:N"
    std::string dtype = "auto"; // "auto" (float32 on CPU, float16 on CUDA), "float32", "float16", "bfloat16"
};

struct EncodeSummary
{
    int64_t hiddenSize = 0;
    int promptTokens = 0, negativeTokens = 0;
    bool promptTruncated = false, negativeTruncated = false;
    std::vector<std::string> tensorNames; // as written
};

// `storyboard encode`: writes float32 prompt_embeds [1,256,H] and pooled_prompt_embeds [1,H] (plus the negative
// pair when asked) exactly as Kolors' encode_prompt returns them.
EncodeSummary encodePromptToFile(const EncodeRequest &request);

} // namespace studio::engine
