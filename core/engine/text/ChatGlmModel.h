#pragma once

#include "engine/text/ChatGlmConfig.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class ChatGlmBlock;
class ChatGlmLinear;

// The ChatGLM3 module tree with the checkpoint's parameter names (without the "transformer." prefix):
// embedding.word_embeddings.weight, encoder.layers.N.{input_layernorm, self_attention.{query_key_value, dense},
// post_attention_layernorm, mlp.{dense_h_to_4h, dense_4h_to_h}}. final_layernorm, output_layer and
// rotary_pos_emb.inv_freq are not declared: Kolors does not use the first two, the third is computed.
class ChatGlmModel : public torch::nn::Module
{
public:
    explicit ChatGlmModel(const ChatGlmConfig &config);
    const ChatGlmConfig &config() const { return m_config; }

    // ids, attentionMask, positionIds: [B, L] int64 on the model's device. Returns the hidden states after the
    // embedding (index 0) and after each block, each [B, L, hidden]; when `lastTwoOnly` only the last two entries
    // of that list are kept (what Kolors needs) and the others are freed as soon as possible.
    std::vector<at::Tensor> forward(const at::Tensor &ids, const at::Tensor &attentionMask,
                                    const at::Tensor &positionIds, bool lastTwoOnly) const;

    // The dtype it computes in (default: the word embedding's). Weights stored in another dtype are converted
    // layer by layer as they run.
    void setComputeDtype(c10::ScalarType dtype) { m_computeDtype = dtype; }
    // After each block has run, give back the physical pages of its memory-mapped weights (releaseMappedPages), so
    // encoding a prompt keeps one block of the 12 GB text encoder resident instead of all of it.
    void setReleaseUsedPages(bool release) { m_releaseUsedPages = release; }
    // Quantizes the four Linear weights of every block (ChatGlmLinear::quantize), block by block.
    void quantizeLinears(int bits, c10::Device device);
    // Those Linear layers with their checkpoint names ("encoder.layers.0.self_attention.query_key_value"), in order.
    std::vector<std::pair<std::string, std::shared_ptr<ChatGlmLinear>>> blockLinears() const;

    // true where a query must not attend a key: real queries see earlier real tokens, padded queries see all.
    static at::Tensor paddingMask(const at::Tensor &attentionMask);

private:
    ChatGlmConfig m_config;
    at::Tensor m_wordEmbeddings;
    std::optional<c10::ScalarType> m_computeDtype;
    bool m_releaseUsedPages = false;
    std::vector<std::shared_ptr<ChatGlmBlock>> m_layers;
};

} // namespace studio::engine
