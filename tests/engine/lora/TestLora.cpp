// LoRA: key mapping against the golden key_map, the merge formula, the scale rule, exact unmerge, hostile files.
#include "LoraTestSupport.h"

#include "engine/api/LoraApi.h"
#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TensorStore.h"
#include "engine/lora/LoraBinding.h"
#include "engine/lora/LoraFile.h"
#include "engine/lora/LoraKey.h"
#include "engine/lora/LoraMerger.h"
#include "engine/lora/LoraSlot.h"
#include "engine/lora/LoraTargetMap.h"
#include "engine/lora/Sha256.h"
#include "engine/lora/UnetBlockLayout.h"

#include <torch/torch.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <functional>
#include <map>
#include <random>

using namespace studio::engine;
using namespace lora_test;
using Tensors = std::vector<std::pair<std::string, at::Tensor>>;

namespace {

std::string kohyaPath()
{
    return goldenDir() + "/lora/lora_kohya.safetensors";
}
std::string diffsynthPath()
{
    return goldenDir() + "/lora/lora_diffsynth.ckpt";
}

UnetBlockLayout goldenLayout()
{
    return UnetBlockLayout::fromConfigFile(goldenDir() + "/unet/config.json");
}

std::string withoutWeight(const std::string &name)
{
    return name.substr(0, name.size() - std::string(".weight").size());
}

std::string underscored(std::string text)
{
    std::replace(text.begin(), text.end(), '.', '_');
    return text;
}

Tensors storeTensors(const TensorStore &store)
{
    Tensors tensors;
    for (const std::string &name : store.names())
        tensors.emplace_back(name, store.get(name).clone());
    return tensors;
}

// The DiffSynth file's content rebuilt from the kohya file through key_map, so the DiffSynth naming is tested even
// when only one file format can be read.
Tensors diffsynthTensorsFromKohya()
{
    const TensorStore kohya = TensorStore::open(kohyaPath());
    Tensors tensors;
    const nlohmann::json keyMap = loadCases()["lora"]["key_map"];
    for (const auto &entry : keyMap) {
        const std::string kohyaStem = entry["kohya"].get<std::string>();
        const std::string stem = withoutWeight(entry["diffsynth"].get<std::string>());
        tensors.emplace_back(stem + ".lora_A.default.weight", kohya.get(kohyaStem + ".lora_down.weight").clone());
        tensors.emplace_back(stem + ".lora_B.default.weight", kohya.get(kohyaStem + ".lora_up.weight").clone());
    }
    return tensors;
}

// Runs `load` and expects an EngineError whose message names `mustName`.
void expectRefusal(const std::function<void()> &load, const std::string &mustName, const char *what)
{
    try {
        load();
    } catch (const EngineError &error) {
        const std::string message = error.what();
        if (!mustName.empty() && message.find(mustName) == std::string::npos)
            QFAIL(qPrintable(QString("%1: message does not name \"%2\": %3")
                                 .arg(what, QString::fromStdString(mustName), QString::fromStdString(message))));
        return;
    }
    QFAIL(qPrintable(QString("%1: accepted").arg(what)));
}

// protocol-2 pickle: GLOBAL module.name, one string argument, REDUCE, STOP.
std::string callPickle(const std::string &module, const std::string &name, const std::string &argument)
{
    std::string pickle = "\x80\x02";
    pickle += "c" + module + "\n" + name + "\n";
    pickle += "X";
    const uint32_t size = uint32_t(argument.size());
    for (int i = 0; i < 4; ++i)
        pickle += char((size >> (8 * i)) & 0xff);
    pickle += argument;
    pickle += "\x85R.";
    return pickle;
}

} // namespace

class TestLora : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_temp;
    std::shared_ptr<torch::nn::Module> m_unet;
    Tensors m_original;

    std::string tempPath(const std::string &name) const
    {
        return QDir(m_temp.path()).filePath(QString::fromStdString(name)).toStdString();
    }
    LoraBinding bindToUnet(const LoraFile &lora) const
    {
        return LoraBinding::bind(lora, LoraTargetMap::forModule(goldenLayout(), *m_unet));
    }
    void expectUnetUntouched(const char *what) const
    {
        const auto changed = changedParameters(*m_unet, m_original);
        if (!changed.empty())
            QFAIL(
                qPrintable(QString("%1: UNet weight changed: %2").arg(what, QString::fromStdString(changed.front()))));
    }
    void requirePickleReader()
    {
        try {
            LoraFile::load(diffsynthPath());
        } catch (const EngineError &error) {
            QFAIL(error.what()); // the pickle reader has landed: a failure here is a regression, not a skip
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_temp.isValid());
        torch::set_num_threads(1);
        m_unet = moduleFromTensors(goldenUnetTensors());
        m_original = parameterCopies(*m_unet);
    }

    void sha256KnownVectors()
    {
        Sha256 empty;
        QCOMPARE(empty.finishHex(), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        Sha256 abc;
        abc.update("abc", 3);
        QCOMPARE(abc.finishHex(), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // Two blocks, padding crossing a block boundary.
        Sha256 longer;
        const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        longer.update(text.data(), text.size());
        QCOMPARE(longer.finishHex(), std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        std::ifstream in(goldenDir() + "/MANIFEST.json");
        const auto manifest = nlohmann::json::parse(in);
        int checked = 0;
        for (const auto &file : manifest["files"]) {
            const std::string path = file["path"].get<std::string>();
            if (path.rfind("lora/", 0) != 0)
                continue;
            QCOMPARE(Sha256::fileHex(goldenDir() + "/" + path), file["sha256"].get<std::string>());
            ++checked;
        }
        QCOMPARE(checked, 2);
    }

    void keyParsing()
    {
        struct Case
        {
            const char *name;
            LoraKey::Kind kind;
            LoraFormat format;
            LoraKey::Role role;
            const char *stem;
        };
        using K = LoraKey::Kind;
        using R = LoraKey::Role;
        const Case cases[] = {
            {"blocks.7.transformer_blocks.0.attn1.to_q.lora_A.default.weight", K::Weight, LoraFormat::DiffSynth,
             R::Down, "blocks.7.transformer_blocks.0.attn1.to_q"},
            {"blocks.7.transformer_blocks.0.attn1.to_out.lora_B.default.weight", K::Weight, LoraFormat::DiffSynth,
             R::Up, "blocks.7.transformer_blocks.0.attn1.to_out"},
            {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_down.weight", K::Weight,
             LoraFormat::Kohya, R::Down, "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q"},
            {"lora_unet_middle_block_1_transformer_blocks_1_attn2_to_out_0.lora_up.weight", K::Weight,
             LoraFormat::Kohya, R::Up, "lora_unet_middle_block_1_transformer_blocks_1_attn2_to_out_0"},
            {"lora_unet_output_blocks_0_1_proj_in.alpha", K::Weight, LoraFormat::Kohya, R::Alpha,
             "lora_unet_output_blocks_0_1_proj_in"},
            {"unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", K::Weight,
             LoraFormat::Diffusers, R::Down, "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q"},
            {"base_model.model.mid_block.attentions.0.transformer_blocks.0.attn2.to_k.lora_B.default.weight", K::Weight,
             LoraFormat::Diffusers, R::Up, "mid_block.attentions.0.transformer_blocks.0.attn2.to_k"},
            {"unet.up_blocks.0.attentions.1.transformer_blocks.0.attn1.to_v.lora.down.weight", K::Weight,
             LoraFormat::Diffusers, R::Down, "up_blocks.0.attentions.1.transformer_blocks.0.attn1.to_v"},
            {"up_blocks.0.attentions.1.transformer_blocks.0.attn1.processor.to_out_lora.up.weight", K::Weight,
             LoraFormat::Diffusers, R::Up, "up_blocks.0.attentions.1.transformer_blocks.0.attn1.to_out.0"},
            {"unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.alpha", K::Weight, LoraFormat::Diffusers,
             R::Alpha, "down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q"},
        };
        for (const Case &c : cases) {
            const LoraKey key = parseLoraKey(c.name);
            QVERIFY2(key.kind == c.kind, c.name);
            QVERIFY2(key.format == c.format, c.name);
            QVERIFY2(key.role == c.role, c.name);
            QCOMPARE(key.stem, std::string(c.stem));
        }
        for (const char *name : {"lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight",
                                 "lora_te_text_model_encoder_layers_0_mlp_fc1.alpha",
                                 "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight"})
            QVERIFY2(parseLoraKey(name).kind == LoraKey::Kind::TextEncoder, name);
        for (const char *name :
             {"lora_unet_input_blocks_4_1_proj_in.hada_w1_a", "lora_unet_input_blocks_4_1_proj_in.lokr_w1",
              "unet.down_blocks.1.attentions.0.proj_in.lora_magnitude_vector",
              "lora_unet_input_blocks_4_1_proj_in.diff"})
            QVERIFY2(parseLoraKey(name).kind == LoraKey::Kind::Unsupported, name);
        for (const char *name : {"model.diffusion_model.input_blocks.0.0.weight", "epoch", "lora_A.weight", ".alpha"})
            QVERIFY2(parseLoraKey(name).kind == LoraKey::Kind::Unknown, name);
    }

    // The numbering derived from the real Kolors/SDXL config equals REFERENCE A.2.3's table.
    void layoutMatchesReferenceTable()
    {
        const nlohmann::json kolors = {
            {"down_block_types", {"DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"}},
            {"up_block_types", {"CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"}},
            {"mid_block_type", "UNetMidBlock2DCrossAttn"},
            {"layers_per_block", 2},
            {"transformer_layers_per_block", {1, 2, 10}},
        };
        const UnetBlockLayout layout = UnetBlockLayout::fromConfig(kolors, "kolors config");
        const std::vector<std::tuple<std::string, int, std::string, int>> table = {
            {"down_blocks.1.attentions.0", 7, "input_blocks.4.1", 2},
            {"down_blocks.1.attentions.1", 10, "input_blocks.5.1", 2},
            {"down_blocks.2.attentions.0", 15, "input_blocks.7.1", 10},
            {"down_blocks.2.attentions.1", 18, "input_blocks.8.1", 10},
            {"mid_block.attentions.0", 21, "middle_block.1", 10},
            {"up_blocks.0.attentions.0", 25, "output_blocks.0.1", 10},
            {"up_blocks.0.attentions.1", 28, "output_blocks.1.1", 10},
            {"up_blocks.0.attentions.2", 31, "output_blocks.2.1", 10},
            {"up_blocks.1.attentions.0", 35, "output_blocks.3.1", 2},
            {"up_blocks.1.attentions.1", 38, "output_blocks.4.1", 2},
            {"up_blocks.1.attentions.2", 41, "output_blocks.5.1", 2},
        };
        int attention = 0;
        for (const auto &block : layout.blocks())
            attention += block.kind == UnetBlockLayout::Kind::Attention;
        QCOMPARE(attention, int(table.size()));
        for (const auto &[diffusers, flat, sgm, depth] : table) {
            const auto *block = layout.find(diffusers);
            QVERIFY2(block, diffusers.c_str());
            QCOMPARE(block->diffsynth, flat);
            QCOMPARE(block->sgm, sgm);
            QCOMPARE(block->depth, depth);
        }
        // 70 transformer blocks x 8 Linears = 560 pairs (REFERENCE A.2.2).
        int transformerBlocks = 0;
        for (const auto &block : layout.blocks())
            transformerBlocks += block.depth;
        QCOMPARE(transformerBlocks * 8, 560);
        QCOMPARE(layout.toSgm("down_blocks.0.downsamplers.0.conv"), std::string("input_blocks.3.0.op"));
        QCOMPARE(layout.toSgm("up_blocks.0.upsamplers.0.conv"), std::string("output_blocks.2.2.conv"));
        QCOMPARE(layout.toSgm("up_blocks.1.resnets.2.conv_shortcut"), std::string("output_blocks.5.0.skip_connection"));
        QCOMPARE(layout.toDiffSynth("down_blocks.1.attentions.0.transformer_blocks.1.ff.net.0.proj"),
                 std::string("blocks.7.transformer_blocks.1.act_fn.proj"));
        QCOMPARE(layout.toDiffSynth("down_blocks.1.attentions.0.transformer_blocks.1.ff.net.2"),
                 std::string("blocks.7.transformer_blocks.1.ff"));
        QCOMPARE(layout.toDiffSynth("mid_block.resnets.1.conv1"), std::string("blocks.22.conv1"));
    }

    void layoutRefusesBadConfigs()
    {
        const nlohmann::json good = nlohmann::json::parse(readBytes(goldenDir() + "/unet/config.json"));
        auto broken = [&](const std::function<void(nlohmann::json &)> &edit, const char *what) {
            nlohmann::json config = good;
            edit(config);
            expectRefusal([&] { UnetBlockLayout::fromConfig(config, "unet/config.json"); }, "unet/config.json", what);
        };
        broken([](nlohmann::json &c) { c.erase("down_block_types"); }, "no down_block_types");
        broken([](nlohmann::json &c) { c["up_block_types"] = {"UpBlock2D"}; }, "unequal block lists");
        broken([](nlohmann::json &c) { c["down_block_types"][0] = "SimpleCrossAttnDownBlock2D"; },
               "unknown block type");
        broken([](nlohmann::json &c) { c["layers_per_block"] = "two"; }, "layers_per_block a string");
        broken([](nlohmann::json &c) { c["transformer_layers_per_block"] = {1, 2}; }, "short depth list");
        // A config that disagrees with the weights is caught when the target map is built.
        nlohmann::json other = good;
        other["layers_per_block"] = 3;
        const UnetBlockLayout wrong = UnetBlockLayout::fromConfig(other, "other/config.json");
        expectRefusal([&] { LoraTargetMap::forModule(wrong, *m_unet); }, "down_blocks.0.resnets.2", "layers 3 vs 2");
        other = good;
        other["transformer_layers_per_block"] = {1, 1, 3};
        const UnetBlockLayout deeper = UnetBlockLayout::fromConfig(other, "other/config.json");
        expectRefusal([&] { LoraTargetMap::forModule(deeper, *m_unet); }, "transformer blocks", "depth 3 vs 2");
    }

    // Every key_map layer: the layout's SGM/DiffSynth names and the shapes equal the golden ones.
    void layoutNamesEqualKeyMap()
    {
        const UnetBlockLayout layout = goldenLayout();
        const auto keyMap = loadCases()["lora"]["key_map"];
        QCOMPARE(int(keyMap.size()), loadCases()["lora"]["num_target_layers"].get<int>());
        const auto parameters = m_unet->named_parameters();
        for (const auto &entry : keyMap) {
            const std::string diffusers = entry["diffusers"].get<std::string>();
            const std::string path = withoutWeight(diffusers);
            QCOMPARE(layout.toDiffSynth(path), withoutWeight(entry["diffsynth"].get<std::string>()));
            QCOMPARE("lora_unet_" + underscored(layout.toSgm(path)), entry["kohya"].get<std::string>());
            const at::Tensor *weight = parameters.find(diffusers);
            QVERIFY2(weight, diffusers.c_str());
            QCOMPARE(weight->sizes().vec(), entry["shape"].get<std::vector<int64_t>>());
        }
    }

    void kohyaFileMapsToKeyMap()
    {
        const LoraFile lora = LoraFile::load(kohyaPath());
        QCOMPARE(lora.format(), LoraFormat::Kohya);
        checkBindingEqualsKeyMap(lora, "kohya");
    }

    void diffsynthFileMapsToKeyMap()
    {
        requirePickleReader();
        const LoraFile lora = LoraFile::load(diffsynthPath());
        QCOMPARE(lora.format(), LoraFormat::DiffSynth);
        checkBindingEqualsKeyMap(lora, "diffsynth");
    }

    void diffsynthNamesMapToKeyMap()
    {
        const LoraFile lora =
            LoraFile::fromStore(TensorStore::fromTensors(diffsynthTensorsFromKohya(), "rebuilt"), "rebuilt");
        QCOMPARE(lora.format(), LoraFormat::DiffSynth);
        checkBindingEqualsKeyMap(lora, "diffsynth");
    }

    void checkBindingEqualsKeyMap(const LoraFile &lora, const std::string &scheme)
    {
        const auto keyMap = loadCases()["lora"]["key_map"];
        const LoraBinding binding = bindToUnet(lora);
        QCOMPARE(binding.layers.size(), keyMap.size());
        std::map<std::string, std::string> bound;
        for (const auto &layer : binding.layers)
            bound[lora.pairs()[layer.pair].stem] = layer.parameter;
        for (const auto &entry : keyMap) {
            std::string stem = entry[scheme].get<std::string>();
            if (scheme == "diffsynth")
                stem = withoutWeight(stem);
            QVERIFY2(bound.count(stem), stem.c_str());
            QCOMPARE(bound[stem], entry["diffusers"].get<std::string>());
        }
    }

    void mergeExampleReproduced()
    {
        const auto example = loadCases()["lora"]["merge_example"];
        const std::string layer = example["layer"].get<std::string>();
        const at::Tensor base = expectedTensor(example["base_weight"].get<std::string>());
        const at::Tensor merged = expectedTensor(example["merged_weight"].get<std::string>());
        QVERIFY(torch::equal(*m_unet->named_parameters().find(layer), base));

        const double multiplier = loadCases()["lora"]["kohya_multiplier"].get<double>();
        const LoraFile lora = LoraFile::load(kohyaPath());
        LoraMerger merger;
        merger.apply(*m_unet, lora, bindToUnet(lora), multiplier);
        const at::Tensor ours = m_unet->named_parameters().find(layer)->clone();
        merger.restore();
        // Float32 rounding of the reference's own operation order: a few ulps at most (1 ulp seen).
        const double tolerance = 1e-6 * std::max(1.0, merged.abs().max().item<double>());
        QVERIFY2((ours - merged).abs().max().item<double>() <= tolerance, "merged weight differs from the golden one");
        QVERIFY(!torch::equal(ours, base));
        expectUnetUntouched("after restore");
    }

    // kohya at multiplier 1.0 (alpha 3, rank 4) and DiffSynth at 0.75 give the same merged UNet.
    void bothFormatsGiveTheSameDelta()
    {
        const auto cases = loadCases()["lora"];
        const LoraFile kohya = LoraFile::load(kohyaPath());
        for (const LoraPair &pair : kohya.pairs()) {
            QVERIFY(pair.alpha.has_value());
            QCOMPARE(pair.effectiveScale(cases["kohya_multiplier"].get<double>()),
                     cases["effective_scale"].get<double>());
        }
        LoraMerger merger;
        merger.apply(*m_unet, kohya, bindToUnet(kohya), cases["kohya_multiplier"].get<double>());
        const Tensors viaKohya = parameterCopies(*m_unet);
        merger.restore();

        const LoraFile diffsynth =
            LoraFile::fromStore(TensorStore::fromTensors(diffsynthTensorsFromKohya(), "rebuilt"), "rebuilt");
        QVERIFY(!diffsynth.pairs().front().alpha.has_value());
        merger.apply(*m_unet, diffsynth, bindToUnet(diffsynth), cases["diffsynth_lora_alpha"].get<double>());
        QVERIFY(changedParameters(*m_unet, viaKohya).empty());
        merger.restore();
        expectUnetUntouched("after the DiffSynth-named merge");
    }

    void diffsynthFileEqualsKohyaFile()
    {
        requirePickleReader();
        const auto cases = loadCases()["lora"];
        const LoraFile kohya = LoraFile::load(kohyaPath());
        const LoraFile diffsynth = LoraFile::load(diffsynthPath());
        LoraMerger merger;
        merger.apply(*m_unet, kohya, bindToUnet(kohya), cases["kohya_multiplier"].get<double>());
        const Tensors viaKohya = parameterCopies(*m_unet);
        merger.apply(*m_unet, diffsynth, bindToUnet(diffsynth), cases["diffsynth_lora_alpha"].get<double>());
        const auto changed = changedParameters(*m_unet, viaKohya);
        merger.restore();
        QVERIFY2(changed.empty(), changed.empty() ? "" : changed.front().c_str());
        expectUnetUntouched("after switching LoRA files");
    }

    // diffusers/peft names (with alpha) and kohya's diffusers-path names reach the same weights.
    void diffusersNamesMergeLikeKohya()
    {
        const TensorStore kohya = TensorStore::open(kohyaPath());
        Tensors peft, kohyaDiffusersPaths;
        const nlohmann::json keyMap = loadCases()["lora"]["key_map"];
        for (const auto &entry : keyMap) {
            const std::string path = withoutWeight(entry["diffusers"].get<std::string>());
            const std::string stem = entry["kohya"].get<std::string>();
            peft.emplace_back("unet." + path + ".lora_A.weight", kohya.get(stem + ".lora_down.weight"));
            peft.emplace_back("unet." + path + ".lora_B.weight", kohya.get(stem + ".lora_up.weight"));
            peft.emplace_back("unet." + path + ".alpha", kohya.get(stem + ".alpha"));
            const std::string old = "lora_unet_" + underscored(path);
            kohyaDiffusersPaths.emplace_back(old + ".lora_down.weight", kohya.get(stem + ".lora_down.weight"));
            kohyaDiffusersPaths.emplace_back(old + ".lora_up.weight", kohya.get(stem + ".lora_up.weight"));
            kohyaDiffusersPaths.emplace_back(old + ".alpha", kohya.get(stem + ".alpha"));
        }
        const LoraFile reference = LoraFile::load(kohyaPath());
        LoraMerger merger;
        merger.apply(*m_unet, reference, bindToUnet(reference), 1.0);
        const Tensors expected = parameterCopies(*m_unet);
        for (const Tensors *tensors : {&peft, &kohyaDiffusersPaths}) {
            const LoraFile lora = LoraFile::fromStore(TensorStore::fromTensors(*tensors, "renamed"), "renamed");
            merger.apply(*m_unet, lora, bindToUnet(lora), 1.0);
            QCOMPARE(lora.pairs().size(), reference.pairs().size());
            QVERIFY(changedParameters(*m_unet, expected).empty());
        }
        merger.restore();
        expectUnetUntouched("after the renamed merges");
    }

    // Layers beyond attention: resnet convs (3x3 conv LoRA), samplers, projections, feed-forward, time embedding,
    // a linear LoRA on a 1x1 conv; kohya SGM names and DiffSynth names.
    void otherLayersAndConvLora()
    {
        const std::vector<std::pair<std::string, std::string>> kohyaLayers = {
            {"lora_unet_input_blocks_1_0_in_layers_2", "down_blocks.0.resnets.0.conv1.weight"},
            {"lora_unet_input_blocks_3_0_op", "down_blocks.0.downsamplers.0.conv.weight"},
            {"lora_unet_input_blocks_4_1_proj_in", "down_blocks.1.attentions.0.proj_in.weight"},
            {"lora_unet_input_blocks_4_1_transformer_blocks_0_ff_net_0_proj",
             "down_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj.weight"},
            {"lora_unet_middle_block_0_emb_layers_1", "mid_block.resnets.0.time_emb_proj.weight"},
            {"lora_unet_output_blocks_0_0_skip_connection", "up_blocks.0.resnets.0.conv_shortcut.weight"},
            {"lora_unet_output_blocks_2_2_conv", "up_blocks.0.upsamplers.0.conv.weight"},
            {"lora_unet_output_blocks_5_2_conv", "up_blocks.1.upsamplers.0.conv.weight"},
        };
        const std::vector<std::pair<std::string, std::string>> diffsynthLayers = {
            {"blocks.0.conv1", "down_blocks.0.resnets.0.conv1.weight"},
            {"blocks.4.conv", "down_blocks.0.downsamplers.0.conv.weight"},
            {"blocks.21.transformer_blocks.1.act_fn.proj",
             "mid_block.attentions.0.transformer_blocks.1.ff.net.0.proj.weight"},
            {"blocks.21.transformer_blocks.1.ff", "mid_block.attentions.0.transformer_blocks.1.ff.net.2.weight"},
            {"blocks.32.conv", "up_blocks.0.upsamplers.0.conv.weight"},
        };
        const auto parameters = m_unet->named_parameters();
        torch::manual_seed(7);
        constexpr int64_t rank = 2;
        for (const bool kohya : {true, false}) {
            Tensors tensors;
            std::map<std::string, std::pair<at::Tensor, at::Tensor>> expectedDelta; // parameter -> (up, down)
            for (const auto &[stem, parameter] : kohya ? kohyaLayers : diffsynthLayers) {
                const at::Tensor *weight = parameters.find(parameter);
                QVERIFY2(weight, parameter.c_str());
                std::vector<int64_t> downShape = weight->sizes().vec();
                downShape[0] = rank;
                std::vector<int64_t> upShape = {weight->size(0), rank};
                if (weight->dim() == 4 && weight->size(2) == 1) {
                    downShape.resize(2); // a linear LoRA on a 1x1 conv
                } else if (weight->dim() == 4) {
                    upShape.insert(upShape.end(), {1, 1});
                }
                const at::Tensor down = torch::randn(downShape), up = torch::randn(upShape);
                tensors.emplace_back(stem + (kohya ? ".lora_down.weight" : ".lora_A.default.weight"), down);
                tensors.emplace_back(stem + (kohya ? ".lora_up.weight" : ".lora_B.default.weight"), up);
                if (kohya)
                    tensors.emplace_back(stem + ".alpha", torch::full({}, 1.0));
                expectedDelta[parameter] = {up, down};
            }
            const LoraFile lora = LoraFile::fromStore(TensorStore::fromTensors(tensors, "layers"), "layers");
            LoraMerger merger;
            merger.apply(*m_unet, lora, bindToUnet(lora), 0.5);
            const double s = kohya ? 0.5 * 1.0 / rank : 0.5;
            const auto merged = m_unet->named_parameters();
            for (const auto &[parameter, factors] : expectedDelta) {
                const at::Tensor base = std::find_if(m_original.begin(), m_original.end(), [&](const auto &p) {
                                            return p.first == parameter;
                                        })->second;
                const at::Tensor delta =
                    torch::matmul(factors.first.reshape({base.size(0), rank}), factors.second.reshape({rank, -1}));
                const at::Tensor expected = base + (delta * s).reshape(base.sizes());
                const double error = (*merged.find(parameter) - expected).abs().max().item<double>();
                QVERIFY2(error <= 1e-6 * std::max(1.0, expected.abs().max().item<double>()), parameter.c_str());
            }
            QCOMPARE(changedParameters(*m_unet, m_original).size(), expectedDelta.size());
            merger.restore();
            expectUnetUntouched("after the conv/other-layer merge");
        }
    }

    // Random damage to both golden files: each variant loads or is refused with an EngineError, never a crash.
    void mutatedFilesNeverCrash()
    {
        for (const std::string &source : {kohyaPath(), diffsynthPath()}) {
            const std::string original = readBytes(source);
            const std::string extension = source.substr(source.rfind('.'));
            std::mt19937 random(1234);
            int refused = 0;
            for (int round = 0; round < 60; ++round) {
                std::string bytes = original;
                const int flips = 1 + int(random() % 8);
                for (int i = 0; i < flips; ++i) {
                    // Bias towards the headers (safetensors JSON, zip central directory, pickle).
                    const size_t where = random() % 2
                                             ? random() % std::min<size_t>(bytes.size(), 4096)
                                             : bytes.size() - 1 - random() % std::min<size_t>(bytes.size(), 4096);
                    bytes[where] = char(random());
                }
                const std::string path = tempPath("mutated" + extension);
                writeBytes(path, bytes);
                try {
                    LoraFile::load(path);
                } catch (const EngineError &error) {
                    QVERIFY(std::string(error.what()).size() > 10);
                    ++refused;
                }
            }
            QVERIFY(refused > 0);
        }
    }

    void roundTripIsExact()
    {
        const LoraFile lora = LoraFile::load(kohyaPath());
        const LoraBinding binding = bindToUnet(lora);
        LoraMerger merger;
        merger.apply(*m_unet, lora, binding, 1.0);
        QCOMPARE(merger.mergedLayers(), binding.layers.size());
        QCOMPARE(changedParameters(*m_unet, m_original).size(), binding.layers.size());
        merger.apply(*m_unet, lora, binding, -2.5); // switching = restore + merge
        merger.apply(*m_unet, lora, binding, 1e4);
        merger.restore();
        QVERIFY(!merger.merged());
        expectUnetUntouched("after merge, re-merge, restore");
        merger.restore(); // twice is harmless
        expectUnetUntouched("after a second restore");
    }

    // fp16 weights: the delta is computed in fp32 and rounded once; unmerge is still bit-exact.
    void halfPrecisionMergeAndRestore()
    {
        Tensors halfTensors;
        for (const auto &[name, tensor] : m_original)
            halfTensors.emplace_back(name, tensor.to(at::kHalf));
        auto half = moduleFromTensors(halfTensors);
        const Tensors before = parameterCopies(*half);
        const LoraFile lora = LoraFile::load(kohyaPath());
        const LoraBinding binding = LoraBinding::bind(lora, LoraTargetMap::forModule(goldenLayout(), *half));
        LoraMerger merger;
        merger.apply(*half, lora, binding, 1.0);
        const auto parameters = half->named_parameters();
        for (const auto &layer : binding.layers) {
            const LoraPair &pair = lora.pairs()[layer.pair];
            const at::Tensor base = std::find_if(before.begin(), before.end(), [&](const auto &p) {
                                        return p.first == layer.parameter;
                                    })->second;
            const at::Tensor delta = torch::matmul(pair.up.to(at::kFloat), pair.down.to(at::kFloat)) * 0.75f;
            const at::Tensor expected = (base.to(at::kFloat) + delta).to(at::kHalf);
            QVERIFY2(torch::equal(*parameters.find(layer.parameter), expected), layer.parameter.c_str());
        }
        merger.restore();
        QVERIFY(changedParameters(*half, before).empty());
    }

    void inspectReportsFacts()
    {
        const auto cases = loadCases()["lora"];
        const LoraInfo kohya = inspectLora(kohyaPath(), cases["kohya_multiplier"].get<double>());
        QCOMPARE(kohya.format, std::string("kohya"));
        QCOMPARE(kohya.rank, cases["rank"].get<int64_t>());
        QVERIFY(kohya.alpha.has_value());
        QCOMPARE(*kohya.alpha, cases["kohya_alpha"].get<double>());
        QVERIFY(kohya.effectiveScale.has_value());
        QCOMPARE(*kohya.effectiveScale, cases["effective_scale"].get<double>());
        QCOMPARE(kohya.layerCount, size_t(cases["num_target_layers"].get<int>()));
        QCOMPARE(kohya.tensorCount, kohya.layerCount * 3);
        QCOMPARE(kohya.targetModules, (std::vector<std::string>{"to_k", "to_out.0", "to_q", "to_v"}));
        QCOMPARE(kohya.fileSize, uint64_t(QFileInfo(QString::fromStdString(kohyaPath())).size()));
        QCOMPARE(kohya.sha256, Sha256::fileHex(kohyaPath()));
        QVERIFY(kohya.checkedAgainst.empty());

        const LoraInfo checked = inspectLora(kohyaPath(), 1.0, goldenDir());
        QVERIFY(!checked.checkedAgainst.empty());
        QCOMPARE(checked.targetModules, kohya.targetModules);

        const auto json = nlohmann::json::parse(loraInfoToJson(checked));
        for (const char *key : {"format", "rank", "alpha", "effectiveScale", "targetModules", "layerCount",
                                "tensorCount", "sha256", "fileSize", "scaleRule"})
            QVERIFY2(json.contains(key), key);
        QCOMPARE(json["effectiveScale"].get<double>(), 0.75);

        requirePickleReader();
        const LoraInfo diffsynth =
            inspectLora(diffsynthPath(), cases["diffsynth_lora_alpha"].get<double>(), goldenDir());
        QCOMPARE(diffsynth.format, std::string("diffsynth"));
        QVERIFY(!diffsynth.alpha.has_value());
        QVERIFY(!diffsynth.alphaInFile);
        QCOMPARE(*diffsynth.effectiveScale, cases["effective_scale"].get<double>());
        QCOMPARE(diffsynth.tensorCount, diffsynth.layerCount * 2);
        QCOMPARE(diffsynth.targetModules, kohya.targetModules);
        // The challenge baseline (peft r=16, alpha=2 on the DiffSynth file) is --lora-scale 0.125.
        QCOMPARE(*inspectLora(diffsynthPath(), 0.125).effectiveScale, 0.125);
        QVERIFY(nlohmann::json::parse(loraInfoToJson(diffsynth))["alpha"].is_null());
    }

    void slotMergesOnlyOnChange()
    {
        LoraSlot slot(goldenLayout());
        slot.set(*m_unet, LoraSpec{kohyaPath(), 1.0});
        QCOMPARE(slot.mergeCount(), 1);
        const Tensors merged = parameterCopies(*m_unet);
        slot.set(*m_unet, LoraSpec{kohyaPath(), 1.0});
        QCOMPARE(slot.mergeCount(), 1);
        slot.set(*m_unet, LoraSpec{kohyaPath(), 0.5});
        QCOMPARE(slot.mergeCount(), 2);
        QVERIFY(!changedParameters(*m_unet, merged).empty());
        slot.set(*m_unet, LoraSpec{kohyaPath(), 1.0});
        QVERIFY(changedParameters(*m_unet, merged).empty());
        slot.set(*m_unet, LoraSpec{});
        QVERIFY(!slot.spec().enabled());
        expectUnetUntouched("after the slot was emptied");

        // A refused file leaves the UNet without any LoRA, even when one was merged before.
        slot.set(*m_unet, LoraSpec{kohyaPath(), 1.0});
        const std::string bad = tempPath("slot-garbage.safetensors");
        writeBytes(bad, "this is not a LoRA");
        expectRefusal([&] { slot.set(*m_unet, LoraSpec{bad, 1.0}); }, bad, "garbage via the slot");
        expectUnetUntouched("after a refused file");
        QVERIFY(!slot.spec().enabled());
    }

    void hostileFilesAreRefused()
    {
        LoraSlot slot(goldenLayout());
        auto refuse = [&](const std::string &path, const std::string &mustName, const char *what) {
            expectRefusal([&] { slot.set(*m_unet, LoraSpec{path, 1.0}); }, mustName, what);
            expectUnetUntouched(what);
        };
        const std::string empty = tempPath("empty.safetensors");
        writeBytes(empty, "");
        refuse(empty, "empty", "empty file");
        const std::string emptyCkpt = tempPath("empty.ckpt");
        writeBytes(emptyCkpt, "");
        refuse(emptyCkpt, "empty", "empty ckpt");
        refuse(tempPath("missing.safetensors"), "missing.safetensors", "missing file");

        std::string garbage(4096, '\0');
        for (size_t i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 2654435761u) >> 13);
        for (const char *name : {"garbage.safetensors", "garbage.ckpt", "garbage.bin"}) {
            writeBytes(tempPath(name), garbage);
            refuse(tempPath(name), name, name);
        }
        const std::string kohyaBytes = readBytes(kohyaPath());
        writeBytes(tempPath("truncated.safetensors"), kohyaBytes.substr(0, kohyaBytes.size() / 2));
        refuse(tempPath("truncated.safetensors"), "truncated.safetensors", "truncated safetensors");
        writeBytes(tempPath("renamed.ckpt"), kohyaBytes);
        refuse(tempPath("renamed.ckpt"), "rename", "safetensors named .ckpt");
        const std::string zipBytes = readBytes(diffsynthPath());
        writeBytes(tempPath("renamed.safetensors"), zipBytes);
        refuse(tempPath("renamed.safetensors"), "zip", "zip named .safetensors");
        for (size_t cut : {zipBytes.size() / 2, zipBytes.size() - 10, size_t(100)}) {
            writeBytes(tempPath("truncated.ckpt"), zipBytes.substr(0, cut));
            refuse(tempPath("truncated.ckpt"), "", "truncated zip");
        }

        // A well-formed checkpoint holding an empty dict.
        const std::string emptyDict = tempPath("empty-dict.ckpt");
        writeStoredZip(emptyDict, {{"archive/data.pkl", std::string("\x80\x02}.", 4)}, {"archive/version", "3\n"}});
        refuse(emptyDict, "no tensors", "checkpoint with an empty dict");

        // Pickles that call functions: refused, and the function never runs.
        const QString marker = QDir(m_temp.path()).filePath("pickle-ran");
        const std::string command = "touch " + marker.toStdString();
        const std::vector<std::pair<std::string, std::string>> calls = {
            {"os", "system"}, {"posix", "system"}, {"subprocess", "check_call"}, {"builtins", "eval"}};
        for (const auto &[module, function] : calls) {
            const std::string argument = function == "eval" ? "__import__('os').system('" + command + "')" : command;
            const std::string path = tempPath("evil-" + function + ".ckpt");
            writeStoredZip(path,
                           {{"archive/data.pkl", callPickle(module, function, argument)}, {"archive/version", "3\n"}});
            refuse(path, "", ("pickle calling " + module + "." + function).c_str());
            QVERIFY2(!QFile::exists(marker), "a pickle ran a command");
        }
    }

    void wrongLoraContentIsRefused()
    {
        LoraSlot slot(goldenLayout());
        const TensorStore kohya = TensorStore::open(kohyaPath());
        const Tensors good = storeTensors(kohya);
        const std::string up = "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_up.weight";
        const std::string down = "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_down.weight";
        const std::string alpha = "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.alpha";
        int fileNumber = 0;
        auto variant = [&](const std::function<void(Tensors &)> &edit, const std::string &mustName, const char *what) {
            Tensors tensors = good;
            edit(tensors);
            const std::string path = tempPath("variant-" + std::to_string(fileNumber++) + ".safetensors");
            writeSafetensors(path, tensors);
            expectRefusal([&] { slot.set(*m_unet, LoraSpec{path, 1.0}); }, mustName, what);
            expectUnetUntouched(what);
        };
        auto replace = [](Tensors &tensors, const std::string &name, const at::Tensor &value) {
            for (auto &entry : tensors)
                if (entry.first == name)
                    entry.second = value;
        };
        auto remove = [](Tensors &tensors, const std::string &name) {
            tensors.erase(
                std::remove_if(tensors.begin(), tensors.end(), [&](const auto &e) { return e.first == name; }),
                tensors.end());
        };
        const at::Tensor upValue = kohya.get(up);
        const at::Tensor downValue = kohya.get(down);

        variant(
            [&](Tensors &t) {
                replace(t, up, torch::zeros({upValue.size(0) + 8, upValue.size(1)}));
            },
            up, "up with the wrong output size");
        variant(
            [&](Tensors &t) {
                replace(t, down, torch::zeros({downValue.size(0), downValue.size(1) + 1}));
            },
            down, "down with the wrong input size");
        variant(
            [&](Tensors &t) {
                replace(t, down, torch::zeros({downValue.size(0) - 1, downValue.size(1)}));
            },
            up, "rank mismatch");
        variant([&](Tensors &t) { replace(t, up, torch::zeros({upValue.size(0)})); }, up, "1-D up");
        variant([&](Tensors &t) { remove(t, up); }, down, "down without up");
        variant(
            [&](Tensors &t) {
                remove(t, down);
                remove(t, up);
            },
            alpha, "alpha alone");
        variant([&](Tensors &t) { replace(t, alpha, torch::ones({2})); }, alpha, "alpha with two values");
        variant([&](Tensors &t) { replace(t, alpha, torch::full({}, NAN)); }, alpha, "NaN alpha");
        variant(
            [&](Tensors &t) {
                at::Tensor poisoned = upValue.clone();
                poisoned[0][0] = INFINITY;
                replace(t, up, poisoned);
            },
            up, "infinite up");
        variant([&](Tensors &t) { replace(t, up, upValue.to(at::kInt)); }, up, "integer up");
        // Layers of another base model: SD1.5's input_blocks.1.1 is a DownBlock2D resnet slot in SDXL/Kolors.
        const std::string foreign = "lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q";
        variant(
            [&](Tensors &t) {
                t.emplace_back(foreign + ".lora_down.weight", downValue);
                t.emplace_back(foreign + ".lora_up.weight", upValue);
            },
            foreign, "foreign layer");
        variant(
            [&](Tensors &t) {
                t.emplace_back("lora_unet_time_embed_5.lora_down.weight", downValue);
                t.emplace_back("lora_unet_time_embed_5.lora_up.weight", upValue);
            },
            "lora_unet_time_embed_5", "unknown top-level layer");
        variant(
            [&](Tensors &t) {
                t.emplace_back("lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", downValue);
            },
            "lora_te1_", "text-encoder LoRA");
        variant([&](Tensors &t) { t.emplace_back("lora_unet_input_blocks_4_1_proj_in.hada_w1_a", downValue); },
                "hada_w1_a", "LoHa tensor");
        variant([&](Tensors &t) { t.emplace_back("some.other.tensor", downValue); }, "some.other.tensor",
                "a stray tensor");
        variant(
            [&](Tensors &t) {
                t.emplace_back("blocks.7.transformer_blocks.0.attn1.to_q.lora_A.default.weight", downValue);
                t.emplace_back("blocks.7.transformer_blocks.0.attn1.to_q.lora_B.default.weight", upValue);
            },
            "diffsynth", "two naming schemes");
        variant(
            [&](Tensors &t) {
                const std::string same = "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q";
                t.emplace_back(same + ".lora_down.weight", downValue);
                t.emplace_back(same + ".lora_up.weight", upValue);
            },
            "both change", "one layer under two names");
        variant(
            [&](Tensors &t) {
                t.clear();
                t.emplace_back("epoch", torch::zeros({1}));
            },
            "epoch", "no LoRA at all");

        // A LoRA for another UNet (shapes of a bigger model) names the parameter it does not fit.
        Tensors bigger;
        for (const auto &[name, tensor] : good)
            bigger.emplace_back(name,
                                tensor.dim() == 2 ? torch::zeros({tensor.size(0) * 2, tensor.size(1) * 2}) : tensor);
        const std::string biggerPath = tempPath("bigger.safetensors");
        writeSafetensors(biggerPath, bigger);
        expectRefusal([&] { slot.set(*m_unet, LoraSpec{biggerPath, 1.0}); }, "do not fit", "LoRA for a bigger UNet");
        expectUnetUntouched("LoRA for a bigger UNet");
        // The UNet's own weights are no LoRA.
        expectRefusal(
            [&] {
                slot.set(*m_unet, LoraSpec{goldenDir() + "/unet/diffusion_pytorch_model.safetensors", 1.0});
            },
            "not LoRA weights", "a full UNet");
        expectRefusal([&] { LoraMerger().apply(*m_unet, LoraFile::load(kohyaPath()), {}, NAN); }, "finite",
                      "NaN scale");
    }
};

QTEST_APPLESS_MAIN(TestLora)
#include "TestLora.moc"
