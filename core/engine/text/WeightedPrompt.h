#pragma once

#include "refine/PromptWeighting.h"
#include "engine/text/ChatGlmEncoder.h"
#include "engine/text/ChatGlmTokenizer.h"

#include <string>
#include <vector>

namespace studio::engine {

// A prompt with A1111 weighting syntax, tokenized as Kolors tokenizes its syntax-free text (the ids never depend on
// the weights), with one weight per position (refine-tiny README §3).
struct WeightedTokens
{
    ParsedPrompt parsed;
    TokenizedPrompt tokens;
    std::vector<std::string> pieces; // the kept sentencepiece pieces, as the tokenizer spells them
    std::vector<float> weights;      // one per position of tokens.inputIds; 1 for padding, [gMASK], sop
    bool weighted() const;           // some weight differs from 1
};

// Throws EngineError::BadArgument for a weight that is not a number.
WeightedTokens tokenizeWeighted(const ChatGlmTokenizer &tokenizer, const std::string &utf8Prompt,
                                int maxLength = ChatGlmTokenizer::kDefaultMaxLength);

// prompt_embeds rows multiplied by the weights (one float32 multiply per value, no mean restoration); the pooled
// output stays as it is. Returns `embeddings` untouched when every weight is 1.
PromptEmbeddings applyTokenWeights(const PromptEmbeddings &embeddings, const WeightedTokens &tokens);

// Tokenize, encode and weight one prompt: what `encode` and every `generate` use.
PromptEmbeddings encodeWeighted(ChatGlmEncoder &encoder, const WeightedTokens &tokens);

} // namespace studio::engine
