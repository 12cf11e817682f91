#include "engine/text/WeightedPrompt.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace studio::engine {

bool WeightedTokens::weighted() const
{
    return std::any_of(weights.begin(), weights.end(), [](float w) { return w != 1.0f; });
}

WeightedTokens tokenizeWeighted(const ChatGlmTokenizer &tokenizer, const std::string &utf8Prompt, int maxLength)
{
    WeightedTokens out;
    out.parsed = parsePromptWeights(utf8Prompt);
    out.tokens = tokenizer.encode(out.parsed.text, maxLength);
    const int kept = out.tokens.realTokens - 2;
    const std::vector<int32_t> ids = tokenizer.pieceIds(out.parsed.text);
    std::vector<std::string> all;
    all.reserve(ids.size());
    for (const int32_t id : ids)
        all.push_back(tokenizer.pieceText(id));
    // Weights are assigned over every piece (the walk needs them all), then cut where the tokenizer cut.
    const std::vector<double> pieceWeight = pieceWeights(out.parsed, all);
    out.pieces.assign(all.begin(), all.begin() + std::min<std::ptrdiff_t>(kept, std::ptrdiff_t(all.size())));
    out.weights.assign(out.tokens.inputIds.size(), 1.0f);
    const size_t firstPiece = out.tokens.inputIds.size() - size_t(kept);
    for (int i = 0; i < kept && size_t(i) < pieceWeight.size(); ++i)
        out.weights[firstPiece + size_t(i)] = static_cast<float>(pieceWeight[size_t(i)]); // round to nearest
    return out;
}

PromptEmbeddings applyTokenWeights(const PromptEmbeddings &embeddings, const WeightedTokens &tokens)
{
    if (!tokens.weighted())
        return embeddings;
    const at::Tensor w =
        at::from_blob(const_cast<float *>(tokens.weights.data()), {1, int64_t(tokens.weights.size()), 1}, at::kFloat)
            .clone();
    PromptEmbeddings out = embeddings;
    const at::Tensor embeds = embeddings.promptEmbeds;
    out.promptEmbeds = (embeds.to(at::kFloat) * w.to(embeds.device())).to(embeds.scalar_type());
    return out;
}

PromptEmbeddings encodeWeighted(ChatGlmEncoder &encoder, const WeightedTokens &tokens)
{
    return applyTokenWeights(encoder.encode({tokens.tokens}), tokens);
}

} // namespace studio::engine
