#include "engine/diffusion/UNet2DConditionModel.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/GradientCheckpoint.h"

#include <ATen/ATen.h>

#include <optional>
#include <sstream>

namespace studio::engine {

namespace {

Transformer2DModel::Options transformerOptions(const UNetConfig &c, int64_t channels, int64_t heads, int64_t layers,
                                               int64_t contextDim)
{
    Transformer2DModel::Options o;
    o.heads = heads;
    o.headDim = channels / heads;
    o.channels = channels;
    o.layers = layers;
    o.contextDim = contextDim;
    o.groups = c.normNumGroups;
    o.linearProjection = c.useLinearProjection;
    o.upcastAttention = c.upcastAttention;
    return o;
}

std::string shapeText(at::IntArrayRef shape)
{
    std::ostringstream out;
    out << shape;
    return out.str();
}

at::Tensor runResnet(bool checkpoint, const ResnetBlock2D &resnet, const at::Tensor &h, const at::Tensor &temb)
{
    return runCheckpointed(
        checkpoint, [&resnet](const std::vector<at::Tensor> &in) { return resnet.forward(in[0], in[1]); }, {h, temb});
}

at::Tensor runTransformer(bool checkpoint, const Transformer2DModel &transformer, const at::Tensor &h,
                          const at::Tensor &context)
{
    return runCheckpointed(
        checkpoint, [&transformer](const std::vector<at::Tensor> &in) { return transformer.forward(in[0], in[1]); },
        {h, context});
}

// Brackets one stage of forward() with the stage hook's enter/leave (nothing without a hook).
class StageScope
{
public:
    StageScope(const std::shared_ptr<UNetStageHook> &hook, size_t stage) : m_hook(hook.get()), m_stage(stage)
    {
        if (!m_hook)
            return;
        try {
            m_hook->enter(stage);
        } catch (...) {
            m_hook->leave(stage); // put back whatever enter() moved before it failed
            throw;
        }
    }
    ~StageScope()
    {
        if (m_hook)
            m_hook->leave(m_stage);
    }
    StageScope(const StageScope &) = delete;
    StageScope &operator=(const StageScope &) = delete;

private:
    UNetStageHook *m_hook;
    size_t m_stage;
};

} // namespace

// DownBlock2D / CrossAttnDownBlock2D: (resnet, [transformer]) x layers, then an optional stride-2 conv.
class UNetDownBlock : public torch::nn::Module
{
public:
    UNetDownBlock(const UNetConfig &c, size_t index, int64_t in, int64_t out)
    {
        const bool cross = c.downBlockTypes[index] == "CrossAttnDownBlock2D";
        torch::nn::ModuleList resnets, attentions;
        for (int j = 0; j < c.layersPerBlock[index]; ++j) {
            m_resnets.push_back(
                std::make_shared<ResnetBlock2D>(j == 0 ? in : out, out, c.timeEmbedDim, c.normNumGroups, c.normEps));
            resnets->push_back(m_resnets.back());
            if (cross) {
                m_attentions.push_back(std::make_shared<Transformer2DModel>(transformerOptions(
                    c, out, c.headCounts[index], c.downTransformerLayers[index][j], c.crossAttentionDim[index])));
                attentions->push_back(m_attentions.back());
            }
        }
        register_module("resnets", resnets);
        if (cross)
            register_module("attentions", attentions);
        if (index + 1 < c.blockOutChannels.size()) {
            torch::nn::ModuleList downsamplers;
            m_downsample = std::make_shared<Downsample2D>(out, c.downsamplePadding);
            downsamplers->push_back(m_downsample);
            register_module("downsamplers", downsamplers);
        }
    }

    at::Tensor forward(at::Tensor h, const at::Tensor &temb, const at::Tensor &context,
                       std::vector<at::Tensor> &skips) const
    {
        for (size_t j = 0; j < m_resnets.size(); ++j) {
            h = runResnet(checkpoint, *m_resnets[j], h, temb);
            if (!m_attentions.empty())
                h = runTransformer(checkpoint, *m_attentions[j], h, context);
            skips.push_back(h);
        }
        if (m_downsample) {
            h = m_downsample->forward(h);
            skips.push_back(h);
        }
        return h;
    }

    bool checkpoint = false; // gradient checkpointing of each resnet and transformer (training)

private:
    std::vector<std::shared_ptr<ResnetBlock2D>> m_resnets;
    std::vector<std::shared_ptr<Transformer2DModel>> m_attentions;
    std::shared_ptr<Downsample2D> m_downsample;
};

// UNetMidBlock2DCrossAttn with one layer: resnet, transformer, resnet.
class UNetMidBlock : public torch::nn::Module
{
public:
    explicit UNetMidBlock(const UNetConfig &c)
    {
        const int64_t channels = c.blockOutChannels.back();
        torch::nn::ModuleList resnets, attentions;
        for (int j = 0; j < 2; ++j) {
            m_resnets.push_back(std::make_shared<ResnetBlock2D>(channels, channels, c.timeEmbedDim, c.normNumGroups,
                                                                c.normEps, c.midBlockScaleFactor));
            resnets->push_back(m_resnets.back());
        }
        m_attention = std::make_shared<Transformer2DModel>(
            transformerOptions(c, channels, c.headCounts.back(), c.midTransformerLayers, c.crossAttentionDim.back()));
        attentions->push_back(m_attention);
        register_module("attentions", attentions);
        register_module("resnets", resnets);
    }

    at::Tensor forward(at::Tensor h, const at::Tensor &temb, const at::Tensor &context) const
    {
        h = runResnet(checkpoint, *m_resnets[0], h, temb);
        h = runTransformer(checkpoint, *m_attention, h, context);
        return runResnet(checkpoint, *m_resnets[1], h, temb);
    }

    bool checkpoint = false; // gradient checkpointing of each resnet and transformer (training)

private:
    std::vector<std::shared_ptr<ResnetBlock2D>> m_resnets;
    std::shared_ptr<Transformer2DModel> m_attention;
};

// UpBlock2D / CrossAttnUpBlock2D: (concat skip, resnet, [transformer]) x (layers + 1), then optional upsampling.
class UNetUpBlock : public torch::nn::Module
{
public:
    UNetUpBlock(const UNetConfig &c, size_t index, int64_t prevOut, int64_t out, int64_t skipIn)
    {
        const size_t blocks = c.blockOutChannels.size();
        const size_t mirrored = blocks - 1 - index; // the down block at the same resolution
        const bool cross = c.upBlockTypes[index] == "CrossAttnUpBlock2D";
        const int layers = c.layersPerBlock[mirrored] + 1;
        torch::nn::ModuleList resnets, attentions;
        for (int j = 0; j < layers; ++j) {
            const int64_t skip = j == layers - 1 ? skipIn : out;
            const int64_t resnetIn = j == 0 ? prevOut : out;
            m_resnets.push_back(
                std::make_shared<ResnetBlock2D>(resnetIn + skip, out, c.timeEmbedDim, c.normNumGroups, c.normEps));
            resnets->push_back(m_resnets.back());
            if (cross) {
                m_attentions.push_back(std::make_shared<Transformer2DModel>(transformerOptions(
                    c, out, c.headCounts[mirrored], c.upTransformerLayers[index][j], c.crossAttentionDim[mirrored])));
                attentions->push_back(m_attentions.back());
            }
        }
        if (cross)
            register_module("attentions", attentions);
        register_module("resnets", resnets);
        if (index + 1 < blocks) {
            torch::nn::ModuleList upsamplers;
            m_upsample = std::make_shared<Upsample2D>(out);
            upsamplers->push_back(m_upsample);
            register_module("upsamplers", upsamplers);
        }
    }

    size_t layers() const { return m_resnets.size(); }

    // `skips` is the down path's stack; this block pops layers() entries. The upsampled size is the next
    // skip's size (2x for even latents, the odd size otherwise).
    at::Tensor forward(at::Tensor h, std::vector<at::Tensor> &skips, const at::Tensor &temb,
                       const at::Tensor &context) const
    {
        for (size_t j = 0; j < m_resnets.size(); ++j) {
            h = at::cat({h, skips.back()}, 1);
            skips.pop_back();
            h = runResnet(checkpoint, *m_resnets[j], h, temb);
            if (!m_attentions.empty())
                h = runTransformer(checkpoint, *m_attentions[j], h, context);
        }
        if (m_upsample)
            h = m_upsample->forward(h, skips.back().size(2), skips.back().size(3));
        return h;
    }

    bool checkpoint = false; // gradient checkpointing of each resnet and transformer (training)

private:
    std::vector<std::shared_ptr<ResnetBlock2D>> m_resnets;
    std::vector<std::shared_ptr<Transformer2DModel>> m_attentions;
    std::shared_ptr<Upsample2D> m_upsample;
};

UNet2DConditionModel::UNet2DConditionModel(const UNetConfig &config) : m_config(config)
{
    const UNetConfig &c = m_config;
    const std::vector<int> &channels = c.blockOutChannels;
    const size_t blocks = channels.size();
    m_convIn = register_module("conv_in", std::make_shared<layers::Conv2d>(c.inChannels, channels.front(),
                                                                           c.convInKernel, 1, c.convInKernel / 2));
    m_timeEmbedding =
        register_module("time_embedding", std::make_shared<TimestepEmbedding>(channels.front(), c.timeEmbedDim));
    if (c.textProjection)
        m_encoderHidProj = register_module(
            "encoder_hid_proj", std::make_shared<layers::Linear>(c.encoderHidDim, c.crossAttentionDim.front()));
    if (c.textTimeEmbedding)
        m_addEmbedding = register_module(
            "add_embedding", std::make_shared<TimestepEmbedding>(c.projectionClassEmbeddingsInputDim, c.timeEmbedDim));

    torch::nn::ModuleList down;
    int64_t out = channels.front();
    for (size_t i = 0; i < blocks; ++i) {
        const int64_t in = out;
        out = channels[i];
        m_down.push_back(std::make_shared<UNetDownBlock>(c, i, in, out));
        down->push_back(m_down.back());
    }
    register_module("down_blocks", down);
    m_mid = register_module("mid_block", std::make_shared<UNetMidBlock>(c));

    torch::nn::ModuleList up;
    out = channels.back();
    for (size_t i = 0; i < blocks; ++i) {
        const int64_t prevOut = out;
        out = channels[blocks - 1 - i];
        const int64_t skipIn = channels[blocks - 1 - std::min(i + 1, blocks - 1)];
        m_up.push_back(std::make_shared<UNetUpBlock>(c, i, prevOut, out, skipIn));
        up->push_back(m_up.back());
    }
    register_module("up_blocks", up);
    m_normOut = register_module("conv_norm_out",
                                std::make_shared<layers::GroupNorm>(c.normNumGroups, channels.front(), c.normEps));
    m_convOut = register_module("conv_out", std::make_shared<layers::Conv2d>(channels.front(), c.outChannels,
                                                                             c.convOutKernel, 1, c.convOutKernel / 2));
    // Registration order is down_blocks, mid_block, up_blocks; named_modules() walks it depth first.
    for (const auto &item : named_modules("", false))
        if (auto *attention = dynamic_cast<Attention *>(item.value().get())) {
            attention->setPath(item.key());
            m_attentionLayers.push_back(attention);
        }
}

void UNet2DConditionModel::setGradientCheckpointing(bool enabled)
{
    for (const auto &block : m_down)
        block->checkpoint = enabled;
    m_mid->checkpoint = enabled;
    for (const auto &block : m_up)
        block->checkpoint = enabled;
}

c10::ScalarType UNet2DConditionModel::dtype() const
{
    if (m_computeDtype)
        return *m_computeDtype;
    return parameters().front().scalar_type();
}
c10::Device UNet2DConditionModel::device() const
{
    return m_stageHook ? m_stageHook->computeDevice() : parameters().front().device();
}

std::vector<UNetStage> UNet2DConditionModel::stages() const
{
    std::vector<UNetStage> out;
    UNetStage input{"input", {m_timeEmbedding, m_convIn}};
    if (m_addEmbedding)
        input.modules.push_back(m_addEmbedding);
    if (m_encoderHidProj)
        input.modules.push_back(m_encoderHidProj);
    out.push_back(std::move(input));
    for (size_t i = 0; i < m_down.size(); ++i)
        out.push_back({"down_blocks." + std::to_string(i), {m_down[i]}});
    out.push_back({"mid_block", {m_mid}});
    for (size_t i = 0; i < m_up.size(); ++i)
        out.push_back({"up_blocks." + std::to_string(i), {m_up[i]}});
    out.push_back({"output", {m_normOut, m_convOut}});
    return out;
}

at::Tensor UNet2DConditionModel::forward(const at::Tensor &sampleIn, const at::Tensor &timestep,
                                         const at::Tensor &encoderHiddenStates, const at::Tensor &textEmbeds,
                                         const at::Tensor &timeIds) const
{
    const UNetConfig &c = m_config;
    const c10::ScalarType dtype = this->dtype();
    const c10::Device device = this->device();
    size_t stage = 0; // the index into stages(), which lists them in this order
    std::optional<StageScope> scope(std::in_place, m_stageHook, stage++);
    if (sampleIn.dim() != 4 || sampleIn.size(1) != c.inChannels)
        throw EngineError(EngineError::Code::ShapeMismatch, "UNet: sample has shape " + shapeText(sampleIn.sizes()) +
                                                                ", expected [B, " + std::to_string(c.inChannels) +
                                                                ", h, w]");
    const int64_t batch = sampleIn.size(0);
    if (encoderHiddenStates.dim() != 3 || encoderHiddenStates.size(0) != batch ||
        encoderHiddenStates.size(2) != c.textHiddenSize())
        throw EngineError(EngineError::Code::ShapeMismatch, "UNet: encoder_hidden_states has shape " +
                                                                shapeText(encoderHiddenStates.sizes()) +
                                                                ", expected [" + std::to_string(batch) + ", L, " +
                                                                std::to_string(c.textHiddenSize()) + "]");

    at::Tensor sample = sampleIn.to(device, dtype);
    if (c.centerInputSample)
        sample = 2 * sample - 1.0;

    at::Tensor timesteps = timestep.reshape({-1}).to(device);
    if (timesteps.numel() == 1)
        timesteps = timesteps.expand({batch});
    else if (timesteps.numel() != batch)
        throw EngineError(EngineError::Code::ShapeMismatch, "UNet: " + std::to_string(timesteps.numel()) +
                                                                " timesteps for a batch of " + std::to_string(batch));
    const at::Tensor timeFeatures =
        layers::sinusoidalEmbedding(timesteps, c.blockOutChannels.front(), c.flipSinToCos, c.freqShift).to(dtype);
    at::Tensor emb = m_timeEmbedding->forward(timeFeatures);

    if (m_addEmbedding) {
        if (!textEmbeds.defined() || !timeIds.defined())
            throw EngineError(EngineError::Code::BadArgument, "UNet: text_time conditioning needs text_embeds and "
                                                              "time_ids");
        const at::Tensor timeIdFeatures =
            layers::sinusoidalEmbedding(timeIds.to(device).reshape({-1}), c.additionTimeEmbedDim, c.flipSinToCos,
                                        c.freqShift)
                .reshape({batch, -1});
        const at::Tensor addInput = at::cat({textEmbeds.to(device, at::kFloat), timeIdFeatures}, -1);
        if (addInput.size(1) != c.projectionClassEmbeddingsInputDim)
            throw EngineError(EngineError::Code::ShapeMismatch,
                              "UNet: text_embeds (" + std::to_string(textEmbeds.size(-1)) + ") + time ids (" +
                                  std::to_string(timeIdFeatures.size(1)) + ") give " +
                                  std::to_string(addInput.size(1)) + " values, the model's add_embedding takes " +
                                  std::to_string(c.projectionClassEmbeddingsInputDim));
        emb = emb + m_addEmbedding->forward(addInput.to(dtype));
    }

    at::Tensor context = encoderHiddenStates.to(device, dtype);
    if (m_encoderHidProj)
        context = m_encoderHidProj->forward(context);

    at::Tensor h = m_convIn->forward(sample);
    std::vector<at::Tensor> skips{h};
    for (const auto &block : m_down) {
        scope.reset(); // leave the previous stage before the next one's weights arrive
        scope.emplace(m_stageHook, stage++);
        h = block->forward(h, emb, context, skips);
    }
    scope.reset();
    scope.emplace(m_stageHook, stage++);
    h = m_mid->forward(h, emb, context);
    for (const auto &block : m_up) {
        scope.reset();
        scope.emplace(m_stageHook, stage++);
        h = block->forward(h, skips, emb, context);
    }
    scope.reset();
    scope.emplace(m_stageHook, stage++);
    h = at::silu(m_normOut->forward(h));
    return m_convOut->forward(h);
}

} // namespace studio::engine
