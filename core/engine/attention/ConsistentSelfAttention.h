#pragma once

// Consistent self-attention (StoryDiffusion's idea, made deterministic; the contract is
// golden/consistency-tiny/README.md part A): an AttentionHook on the self-attention (attn1) of every transformer
// block in the UNet's up blocks. The identity panels run as one batch in which each panel's keys/values are the
// shared tokens of the other identity panels followed by its own tokens; a later panel's keys/values are the
// shared tokens of all identity panels at the same step and layer followed by its own. The query is always the
// panel's own tokens.
//
// Memory: only the current step's shared tokens are kept (the "bank"), as the layer inputs, per consistent layer
// that is active at the step and per CFG branch. Extra bytes per step, in the UNet's dtype size e:
//     bank ≈ e · branches · P · K · Σ_layers N_l · C_l
// For Kolors at 1024² (latent 128², up_blocks.0: 30 layers at 32² tokens × 1280 channels, up_blocks.1: 6 layers at
// 64² × 640): Σ N·C = 30·1024·1280 + 6·4096·640 = 55,050,240, so with CFG in fp16 that is 220 MB per identity panel
// at P = 1 (K = 2, P = 0.5: 220 MB; K = 4, P = 1: 881 MB), plus during the identity batch the UNet activations of
// 2·K rows instead of 2 (ConsistentStory.cpp splits them per CFG branch in low-VRAM mode) and attention over up to
// (1 + P·(K−1))·N keys. Nothing is kept across steps.

#include "engine/attention/AttentionHook.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace studio::engine {

class UNet2DConditionModel;

// Which layers are consistent and the token count of each up block, from the UNet's structure and the latent size.
struct ConsistencyLayout
{
    std::vector<std::string> layers;    // attn1 paths of the up blocks, module order (= execution order)
    std::vector<size_t> layerBlock;     // index into `blocks` of each layer
    std::vector<std::string> blocks;    // up blocks that have attention, ascending: "up_blocks.0", ...
    std::vector<int64_t> rows, cols;    // per block: the feature map size (each down-sampler: ceil(size / 2))
    int64_t tokens(size_t block) const { return rows[block] * cols[block]; }

    static ConsistencyLayout of(const UNet2DConditionModel &unet, int64_t latentHeight, int64_t latentWidth);
};

// Every random number the consistency mechanism uses, drawn before denoising from one CPU generator seeded with
// the story's seed, in the contract's order: per step, gate[s] = rand([L]) then keep[b][s] = rand([K, N_b]) for
// each block b, all float64.
struct ConsistencyDraws
{
    at::Tensor gate;              // [steps, L] float64
    std::vector<at::Tensor> keep; // per block: [steps, K, N_b] float64

    static ConsistencyDraws draw(const ConsistencyLayout &layout, int steps, int identityPanels, uint64_t seed);
};

class ConsistentSelfAttention : public AttentionHook
{
public:
    // `strength` P, `start` S. `keepBank`: whether later panels will read the identity tokens (false when every
    // panel is an identity panel, so nothing is stored).
    ConsistentSelfAttention(ConsistencyLayout layout, ConsistencyDraws draws, int identityPanels, double strength,
                            int start, bool keepBank);

    // Whether layer l (index into layout.layers) is consistent at step s: s >= S and gate[s][l] > r(s).
    bool active(int step, size_t layer) const;
    // Whether token t of identity panel j is shared at step s in block b: keep[b][s][j][t] < P.
    at::Tensor sharedMask(int step, size_t block) const; // [K, N_b] bool (CPU)

    // Before each UNet call: the identity batch (rows branch-major: for each listed CFG branch, panels 0..K−1) or
    // one later panel (one row per listed branch). Branch 0 is the negative prompt, 1 the positive one. An identity
    // batch of a new step drops the previous step's bank.
    void beginIdentityBatch(int step, std::vector<int> branches);
    void beginLaterPanel(int step, std::vector<int> branches);

    at::Tensor forward(const AttentionCall &call) override;

    // Bytes the bank holds now (the current step's shared tokens) and the most it held after any identity batch.
    int64_t bankBytes() const;
    int64_t peakBankBytes() const { return m_peakBankBytes; }
    // For stage-by-stage tests: every hooked call's input and output, with whether it ran in the identity batch.
    std::function<void(int step, bool identity, const std::string &layer, const at::Tensor &in, const at::Tensor &out)>
        observer;

    const ConsistencyLayout &layout() const { return m_layout; }
    const ConsistencyDraws &draws() const { return m_draws; }

private:
    at::Tensor identityBatch(const Attention &layer, size_t index, const at::Tensor &x);
    at::Tensor laterPanel(const Attention &layer, size_t index, const at::Tensor &x) const;
    size_t layerIndex(const std::string &path) const;
    // Indices of the shared tokens of identity panel j at the current step in `block`, on `device`.
    const at::Tensor &sharedTokens(size_t block, int panel, const at::Device &device);

    ConsistencyLayout m_layout;
    ConsistencyDraws m_draws;
    int m_identityPanels;
    double m_strength;
    int m_start;
    bool m_keepBank;

    int m_step = -1;
    bool m_identity = true;
    std::vector<int> m_branches;
    std::vector<std::vector<at::Tensor>> m_shared;         // [block][panel] token indices of the current step
    std::vector<std::vector<at::Tensor>> m_bank;           // [layer][branch] shared input tokens [M, C]
    int64_t m_peakBankBytes = 0;
};

} // namespace studio::engine
