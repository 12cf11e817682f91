// The IP-Adapter-Plus stages against the consistency-tiny fixtures (README part B): reference image -> pixel values
// -> CLIP hidden states -> resampler tokens, for every reference image and case, with both file forms; the key map;
// and synthetic variants of what the hidden set changes (a full CLIPConfig encoder with a text tower, a dict-form
// preprocessor config and a pytorch_model.bin; a resampler whose width differs from its output).
#include "IpAdapterFixture.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/ipadapter/ClipImageEncoder.h"
#include "engine/ipadapter/IpAdapter.h"
#include "engine/ipadapter/IpAdapterWeights.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>

using namespace studio::engine;

namespace {

std::shared_ptr<UNet2DConditionModel> tinyUNet()
{
    // Parameters are declared without storage: building the module costs nothing, and only its attention layout
    // (names and shapes) is used here.
    static const auto unet =
        std::make_shared<UNet2DConditionModel>(UNetConfig::fromFile(ip_test::modelDir() + "/unet/config.json"));
    return unet;
}

std::string encoderDir()
{
    return ip_test::path(ip_test::ip()["files"]["image_encoder_dir"].get<std::string>());
}

std::string adapterFile(const char *form)
{
    return ip_test::path(ip_test::ip()["files"][form].get<std::string>());
}

at::Tensor u8Tensor(const RgbImage &image)
{
    return at::from_blob(const_cast<uint8_t *>(image.pixels.data()), {image.height, image.width, 3}, at::kByte).clone();
}

void writeText(const QString &path, const std::string &text)
{
    std::ofstream(path.toStdString(), std::ios::binary) << text;
}

std::vector<std::pair<std::string, at::Tensor>> tensorsOf(const std::string &file)
{
    std::vector<std::pair<std::string, at::Tensor>> out;
    const auto st = SafetensorsFile::open(file);
    for (const SafetensorsEntry &e : st->entries())
        out.emplace_back(e.name, st->tensor(e.name).clone());
    return out;
}

#define VERIFY_STAGE(actual, expected, what)                                                                           \
    do {                                                                                                               \
        QString why_;                                                                                                  \
        QVERIFY2(ip_test::stageMatches((actual), (expected), &why_), qPrintable(QString(what) + ": " + why_));         \
    } while (false)

} // namespace

class TestIpAdapterStages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceImagesGivePixelValuesAndHiddenStates()
    {
        const auto encoder = ClipImageEncoder::load(encoderDir());
        for (const auto &ref : ip_test::ip()["reference_images"]) {
            const std::string file = ref["file"].get<std::string>();
            const RgbImage image = ImageDecoder::decodeFile(ip_test::path(file));
            const auto &outputs = ref["outputs"];
            const RgbImage resized = encoder->preprocessor().resize(image);
            QVERIFY2(at::equal(u8Tensor(resized), ip_test::tensor(outputs["resized_uint8"])), file.c_str());
            const at::Tensor pixels = encoder->pixelValues(image);
            const at::Tensor expectedPixels = ip_test::tensor(outputs["pixel_values"]);
            QVERIFY2(pixels.sizes() == expectedPixels.sizes(), file.c_str());
            QVERIFY2((pixels - expectedPixels).abs().max().item<double>() <= 1e-6, file.c_str());
            VERIFY_STAGE(at::stack(encoder->hiddenStates(pixels)), ip_test::tensor(outputs["vision_hidden_states"]),
                         QString::fromStdString(file) + " hidden states");
            // hidden_states[-2], computed without the last layer.
            VERIFY_STAGE(encoder->imageEmbeddings(pixels), encoder->hiddenStates(pixels).rbegin()[1],
                         QString::fromStdString(file) + " image embeddings");
        }
    }

    void zeroPixelValuesGiveTheNegativeHiddenStates()
    {
        const auto encoder = ClipImageEncoder::load(encoderDir());
        const int64_t s = encoder->config().imageSize;
        VERIFY_STAGE(at::stack(encoder->hiddenStates(at::zeros({1, 3, s, s}))),
                     ip_test::tensor(ip_test::ip()["zeros_hidden_states"]), "zeros");
    }

    void keyMapFollowsAttnProcessorsOrder()
    {
        const std::vector<CrossAttentionSite> sites = crossAttentionSites(*tinyUNet());
        const auto &map = ip_test::ip()["ip_adapter_key_map"];
        QCOMPARE(sites.size(), map.size());
        QCOMPARE(int(sites.size()), ip_test::ip()["num_ip_layers"].get<int>());
        for (size_t j = 0; j < sites.size(); ++j) {
            QCOMPARE(sites[j].name, map[j]["module"].get<std::string>());
            QCOMPARE(sites[j].keyId(), map[j]["key_id"].get<int>());
            QCOMPARE(sites[j].hiddenSize, map[j]["hidden_size"].get<int64_t>());
            QCOMPARE(sites[j].contextDim, map[j]["cross_attention_dim"].get<int64_t>());
        }
    }

    void bothFileFormsLoadTheSameWeights()
    {
        const auto sites = crossAttentionSites(*tinyUNet());
        const auto fromSafetensors =
            IpAdapterWeights::load(adapterFile("ip_adapter_safetensors"), sites, 32, c10::kCPU, at::kFloat);
        // The .bin is a torch.save zip pickle of {"image_proj": OrderedDict, "ip_adapter": OrderedDict}: read by the
        // restricted unpickler, never executed.
        const auto fromBin = IpAdapterWeights::load(adapterFile("ip_adapter_bin"), sites, 32, c10::kCPU, at::kFloat);
        const auto a = fromSafetensors->named_parameters(), b = fromBin->named_parameters();
        QCOMPARE(a.size(), b.size());
        QVERIFY(a.size() > 2 * sites.size());
        for (const auto &item : a) {
            const at::Tensor *other = b.find(item.key());
            QVERIFY2(other && at::equal(item.value(), *other), item.key().c_str());
            QCOMPARE(item.value().scalar_type(), at::kFloat);
        }
    }

    void imageTokensMatchEveryCase()
    {
        for (const char *form : {"ip_adapter_safetensors", "ip_adapter_bin"}) {
            auto adapter = IpAdapter::load(adapterFile(form), encoderDir(), *tinyUNet(), c10::kCPU, at::kFloat);
            for (const auto &c : ip_test::ip()["cases"]) {
                const QString id = QString::fromStdString(c["id"].get<std::string>()) + " (" + form + ")";
                const bool cfg = c["classifier_free_guidance"].get<bool>();
                const RgbImage image = ImageDecoder::decodeFile(ip_test::path(c["reference_image"].get<std::string>()));
                const IpImageTokens t = adapter->imageTokens(image, cfg);
                const auto &out = c["outputs"];
                VERIFY_STAGE(t.imageEmbeds, ip_test::tensor(out["image_embeds"]), id + " image_embeds");
                VERIFY_STAGE(t.tokens.unsqueeze(1), ip_test::tensor(out["image_tokens"]), id + " image_tokens");
                QCOMPARE(t.negativeTokens.defined(), cfg);
                if (cfg) {
                    VERIFY_STAGE(t.negativeImageEmbeds, ip_test::tensor(out["negative_image_embeds"]),
                                 id + " negative_image_embeds");
                    VERIFY_STAGE(t.negativeTokens.unsqueeze(1), ip_test::tensor(out["negative_image_tokens"]),
                                 id + " negative_image_tokens");
                }
            }
        }
    }

    // The hidden set's encoder form: a full CLIPConfig (vision tower under "vision_config") whose weights also hold
    // the text tower, text_projection, logit_scale and int64 position_ids; a dict-form preprocessor config; and the
    // weights as pytorch_model.bin (the real Kolors-IP-Adapter-Plus image_encoder). Same tower, same numbers.
    void fullClipCheckpointEncoderEqualsTheVisionOne()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const nlohmann::json vision = readJsonFile(encoderDir() + "/config.json");
        nlohmann::json vc = vision;
        vc.erase("architectures");
        vc["model_type"] = "clip_vision_model";
        nlohmann::json config = {{"architectures", {"CLIPModel"}},
                                 {"model_type", "clip"},
                                 {"projection_dim", vision["projection_dim"]},
                                 {"logit_scale_init_value", 2.6592},
                                 {"text_config", {{"hidden_size", 8}, {"num_hidden_layers", 1}, {"model_type", "clip_text_model"}}},
                                 {"vision_config", vc}};
        vc.erase("projection_dim"); // a CLIPModel keeps it at the top level
        config["vision_config"] = vc;
        const int64_t s = vision["image_size"].get<int64_t>();
        const nlohmann::json preprocessor = {{"crop_size", {{"height", s}, {"width", s}}},
                                             {"do_center_crop", true},
                                             {"do_normalize", true},
                                             {"do_resize", true},
                                             {"image_processor_type", "CLIPImageProcessor"},
                                             {"resample", 3},
                                             {"size", {{"shortest_edge", s}}}};
        auto tensors = tensorsOf(encoderDir() + "/model.safetensors");
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(3);
        tensors.emplace_back("text_model.embeddings.token_embedding.weight", at::randn({10, 8}, gen));
        tensors.emplace_back("text_model.final_layer_norm.weight", at::ones({8}));
        tensors.emplace_back("text_projection.weight", at::randn({vision["projection_dim"].get<int64_t>(), 8}, gen));
        tensors.emplace_back("logit_scale", at::full({}, 2.6592));

        for (const bool asBin : {false, true}) {
            const QString dir = root.filePath(asBin ? "bin" : "safetensors");
            QVERIFY(QDir().mkpath(dir));
            writeText(dir + "/config.json", config.dump(2));
            writeText(dir + "/preprocessor_config.json", preprocessor.dump(2));
            if (asBin) {
                writeTorchSave((dir + "/pytorch_model.bin").toStdString(), tensors); // float tensors only
            } else {
                auto withIds = tensors;
                withIds.emplace_back("text_model.embeddings.position_ids", at::arange(10, at::kLong).unsqueeze(0));
                withIds.emplace_back("vision_model.embeddings.position_ids",
                                     at::arange(1 + (s / vision["patch_size"].get<int64_t>()) *
                                                        (s / vision["patch_size"].get<int64_t>()),
                                                at::kLong)
                                         .unsqueeze(0));
                writeSafetensors((dir + "/model.safetensors").toStdString(), withIds);
            }
            const auto encoder = ClipImageEncoder::load(dir.toStdString());
            QCOMPARE(encoder->config().hiddenSize, vision["hidden_size"].get<int64_t>());
            for (const auto &ref : ip_test::ip()["reference_images"]) {
                const at::Tensor pixels = encoder->pixelValues(ImageDecoder::decodeFile(ip_test::path(ref["file"].get<std::string>())));
                VERIFY_STAGE(at::stack(encoder->hiddenStates(pixels)),
                             ip_test::tensor(ref["outputs"]["vision_hidden_states"]),
                             QString::fromStdString(ref["file"].get<std::string>()) + (asBin ? " (.bin)" : ""));
            }
        }
    }

    // The hidden set's resampler: width 40, output 24 (the UNet's cross-attention width), 6 queries, 2 heads,
    // float32 safetensors. Sizes come from the shapes; the tokens equal the README's formula written out here.
    void resamplerSizesComeFromTheShapes()
    {
        const int64_t dim = 40, out = 24, queries = 6, heads = 2, embed = 32, ff = 4 * dim, inner = 64 * heads;
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(7);
        std::map<std::string, at::Tensor> w;
        const auto rnd = [&](std::vector<int64_t> shape) { return at::randn(shape, gen) * 0.2; };
        w["latents"] = rnd({1, queries, dim});
        w["proj_in.weight"] = rnd({dim, embed});
        w["proj_in.bias"] = rnd({dim});
        w["proj_out.weight"] = rnd({out, dim});
        w["proj_out.bias"] = rnd({out});
        w["norm_out.weight"] = 1 + rnd({out});
        w["norm_out.bias"] = rnd({out});
        for (int i = 0; i < 4; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            for (const char *n : {"0.norm1", "0.norm2", "1.0"}) {
                w[p + n + ".weight"] = 1 + rnd({dim});
                w[p + n + ".bias"] = rnd({dim});
            }
            w[p + "0.to_q.weight"] = rnd({inner, dim});
            w[p + "0.to_kv.weight"] = rnd({2 * inner, dim});
            w[p + "0.to_out.weight"] = rnd({dim, inner});
            w[p + "1.1.weight"] = rnd({ff, dim});
            w[p + "1.3.weight"] = rnd({dim, ff});
        }
        std::vector<CrossAttentionSite> sites(3);
        for (size_t j = 0; j < sites.size(); ++j) {
            sites[j].name = "down_blocks.1.attentions." + std::to_string(j) + ".transformer_blocks.0.attn2";
            sites[j].hiddenSize = 16 * int64_t(j + 1);
            sites[j].contextDim = out;
            sites[j].index = j;
        }
        std::vector<std::pair<std::string, at::Tensor>> file;
        for (const auto &[name, t] : w)
            file.emplace_back("image_proj." + name, t);
        for (const CrossAttentionSite &site : sites)
            for (const char *n : {".to_k_ip.weight", ".to_v_ip.weight"})
                file.emplace_back("ip_adapter." + std::to_string(site.keyId()) + n, rnd({site.hiddenSize, out}));
        QTemporaryDir root;
        const std::string path = root.filePath("plus.safetensors").toStdString();
        writeSafetensors(path, file);

        const auto weights = IpAdapterWeights::load(path, sites, embed, c10::kCPU, at::kFloat);
        const ResamplerLayout &l = weights->resampler().layout();
        QCOMPARE(l.dim, dim);
        QCOMPARE(l.outputDim, out);
        QCOMPARE(l.queries, queries);
        QCOMPARE(l.heads, heads);
        QCOMPARE(l.embeddingDim, embed);
        QCOMPARE(l.depth, int64_t(4));

        const at::Tensor e = at::randn({1, 17, embed}, gen);
        const auto ln = [&](const at::Tensor &x, const std::string &n) {
            return at::layer_norm(x, {x.size(-1)}, w[n + ".weight"], w[n + ".bias"], 1e-5);
        };
        const at::Tensor x = at::linear(e, w["proj_in.weight"], w["proj_in.bias"]);
        at::Tensor lat = w["latents"];
        for (int i = 0; i < 4; ++i) {
            const std::string p = "layers." + std::to_string(i) + ".";
            const at::Tensor xn = ln(x, p + "0.norm1"), lnl = ln(lat, p + "0.norm2");
            const at::Tensor q = at::linear(lnl, w[p + "0.to_q.weight"]);
            const at::Tensor kv = at::linear(at::cat({xn, lnl}, 1), w[p + "0.to_kv.weight"]);
            std::vector<at::Tensor> headsOut;
            for (int64_t h = 0; h < heads; ++h) {
                const auto slice = [&](const at::Tensor &t, int64_t offset) {
                    return t.narrow(-1, offset + h * 64, 64);
                };
                const at::Tensor a = at::softmax(at::matmul(slice(q, 0), slice(kv, 0).transpose(1, 2)) / 8.0, -1);
                headsOut.push_back(at::matmul(a, slice(kv, inner)));
            }
            lat = at::linear(at::cat(headsOut, -1), w[p + "0.to_out.weight"]) + lat;
            lat = at::linear(at::gelu(at::linear(ln(lat, p + "1.0"), w[p + "1.1.weight"])), w[p + "1.3.weight"]) + lat;
        }
        const at::Tensor expected = ln(at::linear(lat, w["proj_out.weight"], w["proj_out.bias"]), "norm_out");
        VERIFY_STAGE(weights->resampler().forward(e), expected, "resampler tokens");
    }
};

QTEST_GUILESS_MAIN(TestIpAdapterStages)
#include "tst_ipadapter_stages.moc"
