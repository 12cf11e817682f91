#include "engine/attention/ConsistentSelfAttention.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/UNet2DConditionModel.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

namespace studio::engine {
namespace {

bool endsWith(const std::string &text, const std::string &tail)
{
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// Output size of a 3x3 stride-2 down-sampler (Downsample2D: padding 1, or padding 0 after padding right/bottom).
int64_t downsampled(int64_t size, int64_t padding)
{
    const int64_t padded = padding == 0 ? size + 1 : size + 2 * padding;
    return (padded - 3) / 2 + 1;
}

// StoryDiffusion: consistent attention ~70 % of the time before step 20, ~90 % after.
double gateThreshold(int step)
{
    return step < 20 ? 0.3 : 0.1;
}

} // namespace

ConsistencyLayout ConsistencyLayout::of(const UNet2DConditionModel &unet, int64_t latentHeight, int64_t latentWidth)
{
    const UNetConfig &config = unet.config();
    const size_t levels = config.blockOutChannels.size();
    ConsistencyLayout layout;
    for (const Attention *attention : unet.attentionLayers()) {
        const std::string &path = attention->path();
        if (path.rfind("up_blocks.", 0) != 0 || !endsWith(path, ".attn1"))
            continue;
        const std::string block = path.substr(0, path.find('.', std::string("up_blocks.").size()));
        if (layout.blocks.empty() || layout.blocks.back() != block) {
            const size_t index = std::stoul(block.substr(std::string("up_blocks.").size()));
            // Up block i runs at the resolution of down level (levels − 1 − i): that many down-samplers.
            int64_t rows = latentHeight, cols = latentWidth;
            for (size_t level = 0; level + 1 + index < levels; ++level) {
                rows = downsampled(rows, config.downsamplePadding);
                cols = downsampled(cols, config.downsamplePadding);
            }
            layout.blocks.push_back(block);
            layout.rows.push_back(rows);
            layout.cols.push_back(cols);
        }
        layout.layers.push_back(path);
        layout.layerBlock.push_back(layout.blocks.size() - 1);
    }
    return layout;
}

ConsistencyDraws ConsistencyDraws::draw(const ConsistencyLayout &layout, int steps, int identityPanels, uint64_t seed)
{
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    const int64_t layers = int64_t(layout.layers.size());
    std::vector<at::Tensor> gate;
    std::vector<std::vector<at::Tensor>> keep(layout.blocks.size());
    for (int s = 0; s < steps; ++s) {
        gate.push_back(at::rand({layers}, generator, f64));
        for (size_t b = 0; b < layout.blocks.size(); ++b)
            keep[b].push_back(at::rand({identityPanels, layout.tokens(b)}, generator, f64));
    }
    ConsistencyDraws draws;
    draws.gate = steps > 0 ? at::stack(gate) : at::empty({0, layers}, f64);
    for (auto &perStep : keep)
        draws.keep.push_back(at::stack(perStep));
    return draws;
}

ConsistentSelfAttention::ConsistentSelfAttention(ConsistencyLayout layout, ConsistencyDraws draws,
                                                 int identityPanels, double strength, int start, bool keepBank)
    : m_layout(std::move(layout)), m_draws(std::move(draws)), m_identityPanels(identityPanels),
      m_strength(strength), m_start(start), m_keepBank(keepBank)
{
}

bool ConsistentSelfAttention::active(int step, size_t layer) const
{
    return step >= m_start && m_draws.gate[step][int64_t(layer)].item<double>() > gateThreshold(step);
}

at::Tensor ConsistentSelfAttention::sharedMask(int step, size_t block) const
{
    return m_draws.keep[block][step].lt(m_strength);
}

void ConsistentSelfAttention::beginIdentityBatch(int step, std::vector<int> branches)
{
    if (step != m_step) {
        m_bank.assign(m_layout.layers.size(), std::vector<at::Tensor>(2));
        m_shared.assign(m_layout.blocks.size(), std::vector<at::Tensor>(size_t(m_identityPanels)));
    }
    m_step = step;
    m_identity = true;
    m_branches = std::move(branches);
}

void ConsistentSelfAttention::beginLaterPanel(int step, std::vector<int> branches)
{
    if (step != m_step)
        throw EngineError(EngineError::Code::Internal, "consistent self-attention: a later panel ran step " +
                                                           std::to_string(step) + " before the identity batch");
    m_identity = false;
    m_branches = std::move(branches);
}

size_t ConsistentSelfAttention::layerIndex(const std::string &path) const
{
    for (size_t i = 0; i < m_layout.layers.size(); ++i)
        if (m_layout.layers[i] == path)
            return i;
    throw EngineError(EngineError::Code::Internal, "consistent self-attention is not set up for " + path);
}

const at::Tensor &ConsistentSelfAttention::sharedTokens(size_t block, int panel, const at::Device &device)
{
    at::Tensor &indices = m_shared[block][size_t(panel)];
    if (!indices.defined())
        indices = m_draws.keep[block][m_step][panel].lt(m_strength).nonzero().reshape({-1}).to(device);
    return indices;
}

at::Tensor ConsistentSelfAttention::forward(const AttentionCall &call)
{
    const size_t index = layerIndex(call.path);
    const size_t block = m_layout.layerBlock[index];
    if (call.hidden.size(1) != m_layout.tokens(block))
        throw EngineError(EngineError::Code::Internal,
                          call.path + " has " + std::to_string(call.hidden.size(1)) + " tokens, expected " +
                              std::to_string(m_layout.tokens(block)));
    at::Tensor out;
    if (!active(m_step, index))
        out = call.layer.plain(call.hidden, call.context);
    else
        out = m_identity ? identityBatch(call.layer, index, call.hidden) : laterPanel(call.layer, index, call.hidden);
    if (observer)
        observer(m_step, m_identity, call.path, call.hidden, out);
    return out;
}

at::Tensor ConsistentSelfAttention::identityBatch(const Attention &layer, size_t index, const at::Tensor &x)
{
    const int64_t panels = m_identityPanels;
    const size_t block = m_layout.layerBlock[index];
    const int64_t branches = int64_t(m_branches.size());
    if (x.size(0) != branches * panels)
        throw EngineError(EngineError::Code::Internal, "consistent self-attention: the identity batch has " +
                                                           std::to_string(x.size(0)) + " rows, expected " +
                                                           std::to_string(branches * panels));
    // Keys and values are per-token projections: project every row once, then gather the shared ones.
    const at::Tensor q = layer.query(x), k = layer.key(x), v = layer.value(x);
    auto row = [&](int64_t branch, int64_t panel) { return branch * panels + panel; };
    std::vector<at::Tensor> shared(static_cast<size_t>(panels));
    for (int64_t j = 0; j < panels; ++j)
        shared[size_t(j)] = sharedTokens(block, int(j), x.device());

    if (m_keepBank) {
        for (int64_t b = 0; b < branches; ++b) {
            std::vector<at::Tensor> tokens;
            for (int64_t j = 0; j < panels; ++j)
                tokens.push_back(x[row(b, j)].index_select(0, shared[size_t(j)]));
            m_bank[index][size_t(m_branches[size_t(b)])] = at::cat(tokens, 0);
        }
        m_peakBankBytes = std::max(m_peakBankBytes, bankBytes());
    }
    std::vector<at::Tensor> rows(size_t(branches * panels));
    for (int64_t i = 0; i < panels; ++i) {
        std::vector<at::Tensor> queries, keys, values;
        for (int64_t b = 0; b < branches; ++b) {
            std::vector<at::Tensor> kParts, vParts;
            for (int64_t j = 0; j < panels; ++j) {
                if (j == i)
                    continue;
                kParts.push_back(k[row(b, j)].index_select(0, shared[size_t(j)]));
                vParts.push_back(v[row(b, j)].index_select(0, shared[size_t(j)]));
            }
            kParts.push_back(k[row(b, i)]);
            vParts.push_back(v[row(b, i)]);
            queries.push_back(q[row(b, i)]);
            keys.push_back(at::cat(kParts, 0));
            values.push_back(at::cat(vParts, 0));
        }
        const at::Tensor attended = layer.attend(at::stack(queries), at::stack(keys), at::stack(values));
        for (int64_t b = 0; b < branches; ++b)
            rows[size_t(row(b, i))] = attended[b];
    }
    return layer.project(at::stack(rows));
}

at::Tensor ConsistentSelfAttention::laterPanel(const Attention &layer, size_t index, const at::Tensor &x) const
{
    std::vector<at::Tensor> sources;
    for (size_t b = 0; b < m_branches.size(); ++b) {
        const at::Tensor &bank = m_bank[index][size_t(m_branches[b])];
        if (!bank.defined())
            throw EngineError(EngineError::Code::Internal, "consistent self-attention: no identity tokens for " +
                                                               m_layout.layers[index] + " at this step");
        sources.push_back(at::cat({bank, x[int64_t(b)]}, 0));
    }
    const at::Tensor source = at::stack(sources);
    return layer.project(layer.attend(layer.query(x), layer.key(source), layer.value(source)));
}

int64_t ConsistentSelfAttention::bankBytes() const
{
    int64_t bytes = 0;
    for (const auto &perLayer : m_bank)
        for (const at::Tensor &tokens : perLayer)
            if (tokens.defined())
                bytes += int64_t(tokens.numel() * tokens.element_size());
    return bytes;
}

} // namespace studio::engine
