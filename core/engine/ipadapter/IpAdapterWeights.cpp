#include "engine/ipadapter/IpAdapterWeights.h"

#include "engine/common/EngineError.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

namespace studio::engine {
namespace {

const std::string kResamplerPrefix = "image_proj.";
const std::string kProjectionPrefix = "ip_adapter.";

bool startsWith(const std::string &s, const std::string &p)
{
    return s.compare(0, p.size(), p) == 0;
}

bool endsWith(const std::string &s, const std::string &e)
{
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

// diffusers' attn_processors order: the UNet's children in registration order, which is down_blocks, up_blocks,
// mid_block (the mid block is assigned after the up-block list was created).
int sectionRank(const std::string &name)
{
    if (startsWith(name, "down_blocks."))
        return 0;
    if (startsWith(name, "up_blocks."))
        return 1;
    if (startsWith(name, "mid_block."))
        return 2;
    return 3;
}

} // namespace

int CrossAttentionSite::keyId() const
{
    return int(2 * index + 1);
}

std::vector<CrossAttentionSite> crossAttentionSites(const torch::nn::Module &unet)
{
    std::vector<CrossAttentionSite> sites;
    const auto parameters = unet.named_parameters(/*recurse=*/true);
    const std::string suffix = ".attn2.to_k.weight";
    for (const auto &item : parameters) {
        const std::string &name = item.key();
        if (!endsWith(name, suffix))
            continue;
        CrossAttentionSite site;
        site.name = name.substr(0, name.size() - std::string(".to_k.weight").size());
        site.contextDim = item.value().size(1);
        const at::Tensor *toQ = parameters.find(site.name + ".to_q.weight");
        site.hiddenSize = toQ ? toQ->size(0) : item.value().size(0);
        sites.push_back(site);
    }
    // A stable sort keeps the module order (blocks, attentions and transformer blocks ascending) inside a section.
    std::stable_sort(sites.begin(), sites.end(), [](const CrossAttentionSite &a, const CrossAttentionSite &b) {
        return sectionRank(a.name) < sectionRank(b.name);
    });
    for (size_t j = 0; j < sites.size(); ++j)
        sites[j].index = j;
    return sites;
}

IpAdapterWeights::IpAdapterWeights(const ResamplerLayout &layout, std::vector<CrossAttentionSite> sites,
                                   std::string path)
    : m_sites(std::move(sites)), m_path(std::move(path))
{
    m_resampler = register_module("image_proj", std::make_shared<Resampler>(layout));
    auto projections = register_module("ip_adapter", std::make_shared<torch::nn::Module>());
    for (const CrossAttentionSite &site : m_sites) {
        auto pair = projections->register_module(std::to_string(site.keyId()), std::make_shared<torch::nn::Module>());
        const std::vector<int64_t> shape{site.hiddenSize, site.contextDim};
        m_keys.push_back(pair->register_module("to_k_ip", std::make_shared<torch::nn::Module>())
                             ->register_parameter("weight", declareWeight(shape), false));
        m_values.push_back(pair->register_module("to_v_ip", std::make_shared<torch::nn::Module>())
                               ->register_parameter("weight", declareWeight(shape), false));
    }
}

std::shared_ptr<IpAdapterWeights> IpAdapterWeights::load(const std::string &path,
                                                         const std::vector<CrossAttentionSite> &sites,
                                                         int64_t imageEmbeddingDim, c10::Device projectionDevice,
                                                         c10::ScalarType projectionDtype)
{
    if (sites.empty())
        throw EngineError(EngineError::Code::Unsupported, "IP-Adapter: the UNet has no cross-attention to adapt");
    const TensorStore store = TensorStore::open(path);
    for (const std::string &name : store.names())
        if (!startsWith(name, kResamplerPrefix) && !startsWith(name, kProjectionPrefix))
            throw EngineError(EngineError::Code::UnexpectedWeight,
                              "IP-Adapter: unexpected tensor \"" + name + "\" in " + path +
                                  " (an IP-Adapter-Plus file holds only image_proj.* and ip_adapter.*)");
    const ResamplerLayout layout = ResamplerLayout::detect(store, kResamplerPrefix, path);
    if (layout.embeddingDim != imageEmbeddingDim)
        throw EngineError(EngineError::Code::ShapeMismatch,
                          "IP-Adapter: tensor \"image_proj.proj_in.weight\" in " + path + " takes image embeddings of " +
                              std::to_string(layout.embeddingDim) + " values, but the image encoder's hidden size is " +
                              std::to_string(imageEmbeddingDim) + " (adapter and image encoder do not belong together)");
    for (const CrossAttentionSite &site : sites)
        if (site.contextDim != layout.outputDim)
            throw EngineError(EngineError::Code::ShapeMismatch,
                              "IP-Adapter: tensor \"image_proj.proj_out.weight\" in " + path + " makes tokens of " +
                                  std::to_string(layout.outputDim) + " values, but " + site.name + " of the UNet "
                                  "attends to " + std::to_string(site.contextDim) +
                                  " (the adapter was made for another model)");

    std::shared_ptr<IpAdapterWeights> weights(new IpAdapterWeights(layout, sites, path));
    // Everything is checked by name and shape first (missing, unexpected, wrong shape: all named), then loaded in
    // float32 on the CPU; the projections then move to where the UNet runs, in its dtype.
    LoadOptions options;
    options.stage = "IP-Adapter";
    options.dtype = at::kFloat;
    options.device = c10::kCPU;
    loadModuleWeights(*weights, store, options);
    torch::NoGradGuard noGrad;
    for (size_t j = 0; j < sites.size(); ++j) {
        weights->m_keys[j].set_data(weights->m_keys[j].to(projectionDevice, projectionDtype));
        weights->m_values[j].set_data(weights->m_values[j].to(projectionDevice, projectionDtype));
    }
    return weights;
}

} // namespace studio::engine
