#pragma once

// The hook point in the UNet's transformer attention (attn1 and attn2 of every BasicTransformerBlock). Features
// that change what one attention layer computes (consistent self-attention for stories, IP-Adapter's decoupled
// cross-attention) plug in here instead of forking the attention code: a hook receives the layer itself and
// composes its result from the layer's own pieces (to_q / to_k / to_v, the multi-head softmax, to_out).
//
// Cost without hooks: one null-pointer test per attention call. Hooks are installed per layer, by path, for the
// lifetime of a ScopedAttentionHook (below), so a run leaves the UNet as it found it. Not thread-safe: the UNet
// runs one forward at a time (the pipeline's rule).

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace studio::engine {

class Attention;
class UNet2DConditionModel;

// One call of a hooked attention layer.
struct AttentionCall
{
    // The layer's diffusers module path, e.g. "up_blocks.0.attentions.1.transformer_blocks.0.attn1" or
    // "mid_block.attentions.0.transformer_blocks.0.attn2".
    const std::string &path;
    // The layer: query()/key()/value()/attend()/project() are the pieces of plain attention, plain() all of it.
    const Attention &layer;
    // The layer's input [B, N, C]: the transformer block's norm1 (attn1) or norm2 (attn2) output.
    const at::Tensor &hidden;
    // attn2: the text states [B, L, cross_attention_dim] (after encoder_hid_proj); attn1: undefined.
    const at::Tensor &context;
};

class AttentionHook
{
public:
    virtual ~AttentionHook() = default;
    // What the layer returns instead of plain attention: [B, N, C] after to_out. `call.layer.plain(call.hidden,
    // call.context)` is the unhooked result.
    virtual at::Tensor forward(const AttentionCall &call) = 0;
};

// Installs `hook` on every transformer attention layer of `unet` whose path `select` accepts and removes it again
// (restoring whatever hook the layer had before) when destroyed. Layers are visited in module order: down_blocks,
// then mid_block, then up_blocks, blocks and layers ascending (= execution order of the down and up paths).
class ScopedAttentionHook
{
public:
    ScopedAttentionHook(UNet2DConditionModel &unet, const std::function<bool(const std::string &path)> &select,
                        std::shared_ptr<AttentionHook> hook);
    ~ScopedAttentionHook();
    ScopedAttentionHook(const ScopedAttentionHook &) = delete;
    ScopedAttentionHook &operator=(const ScopedAttentionHook &) = delete;

    // The paths it was installed on, in module order.
    std::vector<std::string> paths() const;

private:
    std::vector<std::pair<Attention *, std::shared_ptr<AttentionHook>>> m_previous;
};

} // namespace studio::engine
