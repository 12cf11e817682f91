#include "engine/text/ChatGlmModel.h"

#include "engine/io/ModuleLoader.h"
#include "engine/text/ChatGlmBlock.h"
#include "engine/text/ChatGlmLinear.h"
#include "engine/text/ChatGlmRotary.h"

#include <ATen/ATen.h>

namespace studio::engine {

ChatGlmModel::ChatGlmModel(const ChatGlmConfig &config) : m_config(config)
{
    auto embedding = register_module("embedding", std::make_shared<torch::nn::Module>());
    auto words = embedding->register_module("word_embeddings", std::make_shared<torch::nn::Module>());
    m_wordEmbeddings = words->register_parameter("weight", declareWeight({config.vocabSize, config.hiddenSize}),
                                                 /*requires_grad=*/false);
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    auto layers = encoder->register_module("layers", std::make_shared<torch::nn::Module>());
    for (int64_t i = 0; i < config.numLayers; ++i)
        m_layers.push_back(layers->register_module(std::to_string(i), std::make_shared<ChatGlmBlock>(config, i + 1)));
}

void ChatGlmModel::quantizeLinears(int bits, c10::Device device)
{
    for (const auto &[name, linear] : blockLinears())
        linear->quantize(bits, device);
}

std::vector<std::pair<std::string, std::shared_ptr<ChatGlmLinear>>> ChatGlmModel::blockLinears() const
{
    std::vector<std::pair<std::string, std::shared_ptr<ChatGlmLinear>>> linears;
    for (size_t i = 0; i < m_layers.size(); ++i)
        for (const auto &item : m_layers[i]->named_modules(/*name_prefix=*/"encoder.layers." + std::to_string(i),
                                                            /*include_self=*/false))
            if (auto linear = std::dynamic_pointer_cast<ChatGlmLinear>(item.value()))
                linears.emplace_back(item.key(), std::move(linear));
    return linears;
}

at::Tensor ChatGlmModel::paddingMask(const at::Tensor &attentionMask)
{
    // The reference's get_masks: full = tril(1) * pad[key] - (pad[query] - 1); masked where full < 0.5.
    const int64_t length = attentionMask.size(1);
    const at::Tensor pad = attentionMask.to(at::kFloat);
    at::Tensor full = at::ones({length, length}, pad.options()).tril() * pad.unsqueeze(1);
    full = full - (pad.unsqueeze(-1) - 1);
    return (full < 0.5).unsqueeze(1);
}

std::vector<at::Tensor> ChatGlmModel::forward(const at::Tensor &ids, const at::Tensor &attentionMask,
                                              const at::Tensor &positionIds, bool lastTwoOnly) const
{
    const at::Tensor masked = paddingMask(attentionMask);
    const c10::ScalarType dtype = m_computeDtype.value_or(m_wordEmbeddings.scalar_type());
    const at::Tensor rotary = chatGlmRotaryCache(positionIds, m_config, dtype);
    // The lookup reads only the prompt's rows of the (maybe 16-bit, mapped) table; they are converted afterwards.
    std::vector<at::Tensor> states{at::embedding(m_wordEmbeddings, ids).to(dtype)};
    for (const auto &layer : m_layers) {
        states.push_back(layer->forward(states.back(), masked, rotary));
        if (m_releaseUsedPages) {
            for (const at::Tensor &weight : layer->parameters())
                releaseMappedPages(weight);
            for (const auto &module : layer->modules(/*include_self=*/false)) // the quantized weights too
                if (const auto *linear = dynamic_cast<const ChatGlmLinear *>(module.get()))
                    linear->releaseQuantizedPages();
        }
        if (lastTwoOnly && states.size() > 2)
            states.erase(states.begin());
    }
    return states;
}

} // namespace studio::engine
