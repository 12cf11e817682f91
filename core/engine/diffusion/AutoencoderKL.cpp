#include "engine/diffusion/AutoencoderKL.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cstring>

namespace studio::engine {
namespace {

constexpr double kVaeEps = 1e-6;

[[noreturn]] void bad(const std::string &file, const std::string &what)
{
    throw EngineError(EngineError::Code::BadConfig, file + ": " + what);
}

// UNetMidBlock2D as the VAE uses it: resnet, single-head spatial attention, resnet.
class VaeMidBlock : public torch::nn::Module
{
public:
    VaeMidBlock(int64_t channels, int64_t groups, bool attention)
    {
        torch::nn::ModuleList resnets, attentions;
        for (int j = 0; j < 2; ++j) {
            m_resnets.push_back(std::make_shared<ResnetBlock2D>(channels, channels, 0, groups, kVaeEps));
            resnets->push_back(m_resnets.back());
        }
        if (attention) {
            Attention::Options o;
            o.queryDim = channels;
            o.heads = 1;
            o.headDim = channels;
            o.qkvBias = true;
            o.upcastSoftmax = true;
            o.groupNormGroups = groups;
            o.eps = kVaeEps;
            m_attention = std::make_shared<Attention>(o);
            attentions->push_back(m_attention);
            register_module("attentions", attentions);
        }
        register_module("resnets", resnets);
    }

    at::Tensor forward(at::Tensor h) const
    {
        h = m_resnets[0]->forward(h, {});
        if (m_attention)
            h = m_attention->forward(h);
        return m_resnets[1]->forward(h, {});
    }

private:
    std::vector<std::shared_ptr<ResnetBlock2D>> m_resnets;
    std::shared_ptr<Attention> m_attention;
};

// DownEncoderBlock2D / UpDecoderBlock2D: resnets, then an optional (asymmetric-pad) downsampler or 2x upsampler.
class VaeLevel : public torch::nn::Module
{
public:
    enum class Resample
    {
        None,
        Down,
        Up
    };
    VaeLevel(int64_t in, int64_t out, int layers, int64_t groups, Resample resample) : m_resample(resample)
    {
        torch::nn::ModuleList resnets;
        for (int j = 0; j < layers; ++j) {
            m_resnets.push_back(std::make_shared<ResnetBlock2D>(j == 0 ? in : out, out, 0, groups, kVaeEps));
            resnets->push_back(m_resnets.back());
        }
        register_module("resnets", resnets);
        torch::nn::ModuleList samplers;
        if (resample == Resample::Down) {
            m_down = std::make_shared<Downsample2D>(out, 0);
            samplers->push_back(m_down);
            register_module("downsamplers", samplers);
        } else if (resample == Resample::Up) {
            m_up = std::make_shared<Upsample2D>(out);
            samplers->push_back(m_up);
            register_module("upsamplers", samplers);
        }
    }

    at::Tensor forward(at::Tensor h) const
    {
        for (const auto &resnet : m_resnets)
            h = resnet->forward(h, {});
        if (m_down)
            h = m_down->forward(h);
        if (m_up)
            h = m_up->forward(h, h.size(2) * 2, h.size(3) * 2);
        return h;
    }

private:
    Resample m_resample;
    std::vector<std::shared_ptr<ResnetBlock2D>> m_resnets;
    std::shared_ptr<Downsample2D> m_down;
    std::shared_ptr<Upsample2D> m_up;
};

} // namespace

class VaeEncoder : public torch::nn::Module
{
public:
    explicit VaeEncoder(const VaeConfig &c)
    {
        const std::vector<int> &ch = c.blockOutChannels;
        m_convIn = register_module("conv_in", std::make_shared<layers::Conv2d>(c.inChannels, ch.front(), 3, 1, 1));
        torch::nn::ModuleList down;
        int64_t out = ch.front();
        for (size_t i = 0; i < ch.size(); ++i) {
            const int64_t in = out;
            out = ch[i];
            const bool last = i + 1 == ch.size();
            m_levels.push_back(std::make_shared<VaeLevel>(in, out, c.layersPerBlock, c.normNumGroups,
                                                          last ? VaeLevel::Resample::None : VaeLevel::Resample::Down));
            down->push_back(m_levels.back());
        }
        register_module("down_blocks", down);
        m_mid = register_module("mid_block",
                                std::make_shared<VaeMidBlock>(ch.back(), c.normNumGroups, c.midBlockAddAttention));
        m_normOut =
            register_module("conv_norm_out", std::make_shared<layers::GroupNorm>(c.normNumGroups, ch.back(), kVaeEps));
        m_convOut =
            register_module("conv_out", std::make_shared<layers::Conv2d>(ch.back(), 2 * c.latentChannels, 3, 1, 1));
    }

    at::Tensor forward(const at::Tensor &x) const
    {
        at::Tensor h = m_convIn->forward(x);
        for (const auto &level : m_levels)
            h = level->forward(h);
        h = m_mid->forward(h);
        return m_convOut->forward(at::silu(m_normOut->forward(h)));
    }

private:
    std::shared_ptr<layers::Conv2d> m_convIn, m_convOut;
    std::vector<std::shared_ptr<VaeLevel>> m_levels;
    std::shared_ptr<VaeMidBlock> m_mid;
    std::shared_ptr<layers::GroupNorm> m_normOut;
};

class VaeDecoder : public torch::nn::Module
{
public:
    explicit VaeDecoder(const VaeConfig &c)
    {
        const std::vector<int> &ch = c.blockOutChannels;
        m_convIn = register_module("conv_in", std::make_shared<layers::Conv2d>(c.latentChannels, ch.back(), 3, 1, 1));
        m_mid = register_module("mid_block",
                                std::make_shared<VaeMidBlock>(ch.back(), c.normNumGroups, c.midBlockAddAttention));
        torch::nn::ModuleList up;
        int64_t out = ch.back();
        for (size_t i = 0; i < ch.size(); ++i) {
            const int64_t in = out;
            out = ch[ch.size() - 1 - i];
            const bool last = i + 1 == ch.size();
            m_levels.push_back(std::make_shared<VaeLevel>(in, out, c.layersPerBlock + 1, c.normNumGroups,
                                                          last ? VaeLevel::Resample::None : VaeLevel::Resample::Up));
            up->push_back(m_levels.back());
        }
        register_module("up_blocks", up);
        m_normOut =
            register_module("conv_norm_out", std::make_shared<layers::GroupNorm>(c.normNumGroups, ch.front(), kVaeEps));
        m_convOut = register_module("conv_out", std::make_shared<layers::Conv2d>(ch.front(), c.outChannels, 3, 1, 1));
    }

    at::Tensor forward(const at::Tensor &z, const AutoencoderKL::StageCheck &betweenStages = {}) const
    {
        at::Tensor h = m_mid->forward(m_convIn->forward(z));
        for (const auto &level : m_levels) {
            if (betweenStages)
                betweenStages();
            h = level->forward(h);
        }
        return m_convOut->forward(at::silu(m_normOut->forward(h)));
    }

private:
    std::shared_ptr<layers::Conv2d> m_convIn, m_convOut;
    std::shared_ptr<VaeMidBlock> m_mid;
    std::vector<std::shared_ptr<VaeLevel>> m_levels;
    std::shared_ptr<layers::GroupNorm> m_normOut;
};

VaeConfig VaeConfig::fromJson(const nlohmann::json &json, const std::string &file)
{
    if (!json.is_object())
        bad(file, "not a JSON object");
    VaeConfig c;
    c.inChannels = fieldOr<int>(json, "in_channels", 3, file);
    c.outChannels = fieldOr<int>(json, "out_channels", 3, file);
    c.latentChannels = fieldOr<int>(json, "latent_channels", 4, file);
    c.blockOutChannels = requireField<std::vector<int>>(json, "block_out_channels", file);
    c.layersPerBlock = fieldOr<int>(json, "layers_per_block", 1, file);
    c.normNumGroups = fieldOr<int>(json, "norm_num_groups", 32, file);
    c.sampleSize = fieldOr<int>(json, "sample_size", 32, file);
    c.scalingFactor = fieldOr<double>(json, "scaling_factor", 0.18215, file);
    c.shiftFactor = fieldOr<double>(json, "shift_factor", 0.0, file);
    c.useQuantConv = fieldOr<bool>(json, "use_quant_conv", true, file);
    c.usePostQuantConv = fieldOr<bool>(json, "use_post_quant_conv", true, file);
    c.midBlockAddAttention = fieldOr<bool>(json, "mid_block_add_attention", true, file);
    c.forceUpcast = fieldOr<bool>(json, "force_upcast", true, file);
    const size_t levels = c.blockOutChannels.size();
    const auto down = fieldOr<std::vector<std::string>>(json, "down_block_types",
                                                        std::vector<std::string>(levels, "DownEncoderBlock2D"), file);
    const auto up = fieldOr<std::vector<std::string>>(json, "up_block_types",
                                                      std::vector<std::string>(levels, "UpDecoderBlock2D"), file);
    if (levels < 1 || down.size() != levels || up.size() != levels)
        bad(file, "block_out_channels, down_block_types and up_block_types must have the same length");
    for (const std::string &type : down)
        if (type != "DownEncoderBlock2D")
            throw EngineError(EngineError::Code::Unsupported, file + ": VAE block type \"" + type + "\"");
    for (const std::string &type : up)
        if (type != "UpDecoderBlock2D")
            throw EngineError(EngineError::Code::Unsupported, file + ": VAE block type \"" + type + "\"");
    if (!layers::isSiluName(fieldOr<std::string>(json, "act_fn", "silu", file)))
        throw EngineError(EngineError::Code::Unsupported, file + ": VAE act_fn other than silu");
    if (json.contains("latents_mean") && !json.at("latents_mean").is_null())
        throw EngineError(EngineError::Code::Unsupported, file + ": latents_mean/latents_std normalisation");
    if (c.normNumGroups < 1 || c.layersPerBlock < 1 || c.latentChannels < 1 || !(c.scalingFactor > 0))
        bad(file, "norm_num_groups, layers_per_block, latent_channels and scaling_factor must be positive");
    for (int channels : c.blockOutChannels)
        if (channels < 1 || channels % c.normNumGroups != 0)
            bad(file, "block_out_channels entry " + std::to_string(channels) +
                          " is not a multiple of norm_num_groups " + std::to_string(c.normNumGroups));
    return c;
}

VaeConfig VaeConfig::fromFile(const std::string &path)
{
    return fromJson(readJsonFile(path), path);
}

AutoencoderKL::AutoencoderKL(const VaeConfig &config) : m_config(config)
{
    m_encoder = register_module("encoder", std::make_shared<VaeEncoder>(config));
    m_decoder = register_module("decoder", std::make_shared<VaeDecoder>(config));
    const int64_t latent = config.latentChannels;
    if (config.useQuantConv)
        m_quantConv = register_module("quant_conv", std::make_shared<layers::Conv2d>(2 * latent, 2 * latent, 1));
    if (config.usePostQuantConv)
        m_postQuantConv = register_module("post_quant_conv", std::make_shared<layers::Conv2d>(latent, latent, 1));
}

c10::ScalarType AutoencoderKL::dtype() const
{
    if (m_computeDtype)
        return *m_computeDtype;
    return parameters().front().scalar_type();
}
c10::Device AutoencoderKL::device() const
{
    return parameters().front().device();
}

at::Tensor AutoencoderKL::decodeScaled(const at::Tensor &z, const StageCheck &betweenStages) const
{
    at::Tensor h = z.to(device(), dtype());
    if (m_postQuantConv)
        h = m_postQuantConv->forward(h);
    return m_decoder->forward(h, betweenStages).to(at::kFloat);
}

at::Tensor AutoencoderKL::decode(const at::Tensor &latents, const StageCheck &betweenStages) const
{
    at::Tensor z = latents.to(at::kFloat) / m_config.scalingFactor;
    if (m_config.shiftFactor != 0.0)
        z = z + m_config.shiftFactor;
    return decodeScaled(z, betweenStages);
}

at::Tensor AutoencoderKL::decodeTiled(const at::Tensor &latents, int64_t tile, int64_t overlap,
                                      const StageCheck &betweenStages) const
{
    const int64_t height = latents.size(2), width = latents.size(3);
    if (tile <= 0 || (height <= tile && width <= tile))
        return decode(latents, betweenStages);
    overlap = std::clamp<int64_t>(overlap, 1, tile - 1);
    const int64_t factor = m_config.downFactor();
    // Tile origins along one axis: a regular stride, the last tile flush with the end.
    auto origins = [&](int64_t size) {
        std::vector<int64_t> starts;
        if (size <= tile)
            return std::vector<int64_t>{0};
        for (int64_t start = 0;; start += tile - overlap) {
            if (start + tile >= size) {
                starts.push_back(size - tile);
                break;
            }
            starts.push_back(start);
        }
        return starts;
    };
    // Blend weights along one axis of a decoded tile: linear ramps where it overlaps a neighbour.
    auto ramp = [&](int64_t start, int64_t length, int64_t size) {
        const int64_t pixels = length * factor, fade = overlap * factor;
        at::Tensor w = at::ones({pixels}, at::kFloat);
        const at::Tensor up = (at::arange(fade, at::kFloat) + 0.5) / static_cast<double>(fade);
        if (start > 0)
            w.slice(0, 0, fade).copy_(up);
        if (start + length < size)
            w.slice(0, pixels - fade).mul_(up.flip(0));
        return w;
    };
    const auto rows = origins(height), cols = origins(width);
    at::Tensor canvas, weights;
    for (int64_t top : rows) {
        for (int64_t left : cols) {
            const int64_t th = std::min(tile, height), tw = std::min(tile, width);
            const at::Tensor part =
                decode(latents.slice(2, top, top + th).slice(3, left, left + tw), betweenStages).cpu();
            if (!canvas.defined()) {
                canvas = at::zeros({part.size(0), part.size(1), height * factor, width * factor}, at::kFloat);
                weights = at::zeros({1, 1, height * factor, width * factor}, at::kFloat);
            }
            const at::Tensor mask = ramp(top, th, height).unsqueeze(1) * ramp(left, tw, width).unsqueeze(0);
            const auto region = [&](at::Tensor t) {
                return t.slice(2, top * factor, (top + th) * factor).slice(3, left * factor, (left + tw) * factor);
            };
            region(canvas).add_(part * mask);
            region(weights).add_(mask);
        }
    }
    return (canvas / weights).to(latents.device());
}

AutoencoderKL::Posterior AutoencoderKL::encode(const at::Tensor &image) const
{
    at::Tensor moments = m_encoder->forward(image.to(device(), dtype()));
    if (m_quantConv)
        moments = m_quantConv->forward(moments);
    moments = moments.to(at::kFloat);
    const std::vector<at::Tensor> halves = moments.chunk(2, 1);
    const at::Tensor logvar = at::clamp(halves[1], -30.0, 20.0);
    return {halves[0], at::exp(0.5 * logvar)};
}

TensorStore AutoencoderKL::withCurrentAttentionNames(const TensorStore &store)
{
    static const std::pair<const char *, const char *> kRenames[] = {
        {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
    bool needed = false;
    for (const std::string &name : store.names())
        for (const auto &[from, to] : kRenames)
            needed = needed || (name.find(".attentions.") != std::string::npos && name.find(from) != std::string::npos);
    if (!needed)
        return store;
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const std::string &name : store.names()) {
        std::string renamed = name;
        if (renamed.find(".attentions.") != std::string::npos)
            for (const auto &[from, to] : kRenames) {
                const size_t at = renamed.find(from);
                if (at != std::string::npos)
                    renamed.replace(at, std::strlen(from), to);
            }
        tensors.emplace_back(renamed, store.get(name));
    }
    return TensorStore::fromTensors(std::move(tensors), store.describe());
}

} // namespace studio::engine
