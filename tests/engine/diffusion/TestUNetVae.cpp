// The UNet and the VAE of the tiny Kolors folder against every golden `unet` and `vae` case, plus loading errors.

#include "GoldenData.h"

#include "engine/attention/AttentionHook.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/AutoencoderKL.h"
#include "engine/diffusion/RandomWeights.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/io/ModuleLoader.h"
#include "engine/io/TensorStore.h"

#include <torch/torch.h>

#include <set>

using namespace studio::engine;

namespace {

double tolerance(const at::Tensor &reference)
{
    return 2e-5 * std::max(1.0, golden::maxAbs(reference));
}

std::shared_ptr<UNet2DConditionModel> loadUNet()
{
    const std::string dir = golden::modelDir() + "/unet/";
    auto unet = std::make_shared<UNet2DConditionModel>(UNetConfig::fromFile(dir + "config.json"));
    loadModuleWeights(*unet, TensorStore::open(dir + "diffusion_pytorch_model.safetensors"), {"UNet"});
    return unet;
}

std::shared_ptr<AutoencoderKL> loadVae()
{
    const std::string dir = golden::modelDir() + "/vae/";
    auto vae = std::make_shared<AutoencoderKL>(VaeConfig::fromFile(dir + "config.json"));
    loadModuleWeights(*vae, TensorStore::open(dir + "diffusion_pytorch_model.safetensors"), {"VAE"});
    return vae;
}

// [B, 3, H, W] in [-1, 1] → HWC float in [0, 1] and its uint8 rounding (half to even), as the pipeline does.
at::Tensor toImageFloat(const at::Tensor &decoded)
{
    return (decoded / 2 + 0.5).clamp(0, 1)[0].permute({1, 2, 0});
}
at::Tensor toImageU8(const at::Tensor &imageFloat)
{
    return at::round(imageFloat * 255.0).to(at::kByte);
}

} // namespace

class TestUNetVae : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(1); }

    void unetMatchesGolden()
    {
        torch::NoGradGuard noGrad;
        const auto unet = loadUNet();
        const auto &cases = golden::cases()["unet"];
        QVERIFY(!cases.empty());
        for (const auto &c : cases) {
            const auto &in = c["inputs"];
            const at::Tensor timestep = golden::tensor(in["timestep"]).reshape({}); // passed as a 0-d tensor
            const at::Tensor out =
                unet->forward(golden::tensor(in["sample"]), timestep, golden::tensor(in["encoder_hidden_states"]),
                              golden::tensor(in["text_embeds"]), golden::tensor(in["time_ids"]));
            const at::Tensor ref = golden::tensor(c["outputs"]["noise_pred"]);
            GOLDEN_NEAR(out, ref, tolerance(ref), QString::fromStdString(c["id"].get<std::string>()));
        }
    }

    // Odd latent sizes take the upsample-to-skip-size path; the output keeps the input's size.
    void unetHandlesOddLatents()
    {
        torch::NoGradGuard noGrad;
        const auto unet = loadUNet();
        const auto &c = golden::cases()["unet"][0]["inputs"];
        const at::Tensor context = golden::tensor(c["encoder_hidden_states"]);
        for (auto size : {std::pair<int64_t, int64_t>{9, 7}, {5, 11}, {1, 3}}) {
            const at::Tensor sample = at::randn({1, 4, size.first, size.second});
            const at::Tensor out = unet->forward(sample, at::scalar_tensor(500.0), context,
                                                 golden::tensor(c["text_embeds"]), golden::tensor(c["time_ids"]));
            QCOMPARE(out.sizes(), sample.sizes());
            QVERIFY(at::isfinite(out).all().item<bool>());
        }
    }

    // Large attention is computed in query chunks; the result must equal the one-piece computation.
    void chunkedAttentionMatchesWhole()
    {
        torch::NoGradGuard noGrad;
        at::manual_seed(7);
        const int64_t tokens = 3000, heads = 2, dim = 8; // 2 x 3000 x 3000 floats: several chunks
        const at::Tensor q = at::randn({1, tokens, heads * dim}), k = at::randn({1, tokens, heads * dim}),
                         v = at::randn({1, tokens, heads * dim});
        const at::Tensor out = layers::multiHeadAttention(q, k, v, heads, false);
        auto split = [&](const at::Tensor &t) { return t.view({1, tokens, heads, dim}).transpose(1, 2); };
        const at::Tensor scores = at::matmul(split(q), split(k).transpose(-1, -2)) / std::sqrt(double(dim));
        const at::Tensor ref = at::matmul(at::softmax(scores, -1), split(v)).transpose(1, 2).reshape({1, tokens, -1});
        GOLDEN_NEAR(out, ref, 1e-5, "chunked attention");
    }

    // Sizes other than the fixture's (hidden fixtures use others): four levels, an int head count, per-block
    // transformer depths, odd latents. Random weights; the shapes and finiteness are what is checked.
    void otherSizesBuildAndRun()
    {
        torch::NoGradGuard noGrad;
        nlohmann::json unetJson = readJsonFile(golden::modelDir() + "/unet/config.json");
        unetJson["block_out_channels"] = {8, 16, 24, 32};
        unetJson["down_block_types"] = {"DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                                        "CrossAttnDownBlock2D"};
        unetJson["up_block_types"] = {"CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"};
        unetJson["layers_per_block"] = 1;
        unetJson["attention_head_dim"] = 2;
        unetJson["transformer_layers_per_block"] = {1, 2, 1, 3};
        unetJson["norm_num_groups"] = 4;
        unetJson["cross_attention_dim"] = 24;
        unetJson["encoder_hid_dim"] = 40;
        unetJson["addition_time_embed_dim"] = 6;
        unetJson["projection_class_embeddings_input_dim"] = 40 + 6 * 6;
        UNet2DConditionModel unet(UNetConfig::fromJson(unetJson, "modified config"));
        fillRandomWeights(unet, at::kFloat, at::kCPU, 5);
        const at::Tensor sample = at::randn({2, 4, 11, 9});
        const at::Tensor out =
            unet.forward(sample, at::scalar_tensor(int64_t(77)), at::randn({2, 7, 40}), at::randn({2, 40}),
                         at::tensor({88.f, 72.f, 0.f, 0.f, 88.f, 72.f}).repeat({2, 1}));
        QCOMPARE(out.sizes(), sample.sizes());
        QVERIFY(at::isfinite(out).all().item<bool>());

        nlohmann::json vaeJson = readJsonFile(golden::modelDir() + "/vae/config.json");
        vaeJson["block_out_channels"] = {8, 16, 16};
        vaeJson["down_block_types"] = {"DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"};
        vaeJson["up_block_types"] = {"UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"};
        vaeJson["layers_per_block"] = 1;
        AutoencoderKL vae(VaeConfig::fromJson(vaeJson, "modified config"));
        fillRandomWeights(vae, at::kFloat, at::kCPU, 6);
        const at::Tensor image = vae.decode(at::randn({1, 4, 5, 7}));
        QCOMPARE(image.sizes(), (at::IntArrayRef{1, 3, 20, 28}));
        QCOMPARE(vae.encode(image).mean.sizes(), (at::IntArrayRef{1, 4, 5, 7}));
    }

    // The attention hook point: a hook that recomposes plain attention from the layer's pieces leaves the UNet's
    // output bit-identical, runs once per layer call, and the layer paths are diffusers' (the consistent layers of
    // the story contract, the attn2 layers of the IP-Adapter key map). Without hooks nothing changes either.
    void attentionHookPointIsTransparent()
    {
        torch::NoGradGuard noGrad;
        const auto unet = loadUNet();
        const auto &in = golden::cases()["unet"][0]["inputs"];
        auto run = [&] {
            return unet->forward(golden::tensor(in["sample"]), golden::tensor(in["timestep"]).reshape({}),
                                 golden::tensor(in["encoder_hidden_states"]), golden::tensor(in["text_embeds"]),
                                 golden::tensor(in["time_ids"]));
        };
        const at::Tensor unhooked = run();

        struct Recompose : AttentionHook
        {
            std::vector<std::string> called;
            at::Tensor forward(const AttentionCall &call) override
            {
                called.push_back(call.path);
                const at::Tensor &source = call.context.defined() ? call.context : call.hidden;
                const Attention &l = call.layer;
                return l.project(l.attend(l.query(call.hidden), l.key(source), l.value(source)));
            }
        };
        auto hook = std::make_shared<Recompose>();
        std::vector<std::string> installed;
        {
            ScopedAttentionHook scope(*unet, [](const std::string &) { return true; }, hook);
            installed = scope.paths();
            QVERIFY(at::equal(run(), unhooked));
        }
        QCOMPARE(hook->called.size(), installed.size()); // each layer once per forward
        QCOMPARE(installed.size(), unet->attentionLayers().size());
        hook->called.clear();
        QVERIFY(at::equal(run(), unhooked)); // removed again
        QVERIFY(hook->called.empty());

        const nlohmann::json story = readJsonFile(std::string(STUDIO_TEST_DATA_DIR) +
                                                  "/golden/consistency-tiny/cases.json");
        std::vector<std::string> upSelf, expectedUpSelf = story["story"]["layers"].get<std::vector<std::string>>();
        std::set<std::string> cross, expectedCross;
        for (const std::string &path : installed) {
            if (path.rfind("up_blocks.", 0) == 0 && path.size() > 6 && path.substr(path.size() - 6) == ".attn1")
                upSelf.push_back(path);
            if (path.substr(path.size() - 6) == ".attn2")
                cross.insert(path);
        }
        for (const auto &entry : story["ip_adapter"]["ip_adapter_key_map"])
            expectedCross.insert(entry["module"].get<std::string>());
        QVERIFY(upSelf == expectedUpSelf);
        QVERIFY(cross == expectedCross);
        QVERIFY(installed.front().rfind("down_blocks.", 0) == 0 && installed.back().rfind("up_blocks.", 0) == 0);
    }

    void vaeMatchesGolden()
    {
        torch::NoGradGuard noGrad;
        const auto vae = loadVae();
        QCOMPARE(vae->config().scalingFactor, 0.13025);
        for (const auto &c : golden::cases()["vae"]) {
            const QString id = QString::fromStdString(c["id"].get<std::string>());
            if (c["op"] == "decode") {
                const at::Tensor decoded = vae->decode(golden::tensor(c["inputs"]["latents"]));
                const at::Tensor ref = golden::tensor(c["outputs"]["decoded"]);
                GOLDEN_NEAR(decoded, ref, tolerance(ref), id + " decoded");
                const at::Tensor imageFloat = toImageFloat(decoded);
                GOLDEN_NEAR(imageFloat, golden::tensor(c["outputs"]["image_float"]), 1e-4, id + " image_float");
                const at::Tensor u8 = toImageU8(imageFloat).to(at::kInt);
                const at::Tensor refU8 = golden::tensor(c["outputs"]["image_u8"]).to(at::kInt);
                GOLDEN_NEAR(u8, refU8, 1.0, id + " image_u8");
            } else {
                const auto posterior = vae->encode(golden::tensor(c["inputs"]["image_nchw"]));
                const at::Tensor mean = golden::tensor(c["outputs"]["latent_mean"]);
                const at::Tensor std = golden::tensor(c["outputs"]["latent_std"]);
                GOLDEN_NEAR(posterior.mean, mean, tolerance(mean), id + " mean");
                GOLDEN_NEAR(posterior.std, std, tolerance(std), id + " std");
                // image_nchw is u8 / 255 * 2 - 1 of the stored uint8 image
                const at::Tensor fromU8 =
                    golden::tensor(c["inputs"]["image_u8"]).to(at::kFloat).permute({2, 0, 1}).unsqueeze(0) / 255.0 * 2 -
                    1;
                GOLDEN_NEAR(fromU8, golden::tensor(c["inputs"]["image_nchw"]), 1e-6, id + " image_nchw");
            }
        }
    }

    void tiledDecodeStitchesTiles()
    {
        torch::NoGradGuard noGrad;
        const auto vae = loadVae();
        const at::Tensor latents = golden::tensor(golden::cases()["vae"][1]["inputs"]["latents"]); // 8x12
        const at::Tensor whole = vae->decode(latents);
        // One tile covering everything is the plain decode.
        GOLDEN_NEAR(vae->decodeTiled(latents, 16, 4), whole, 0.0, "single tile");
        // Overlapping tiles: same size, finite; tiles see less context (GroupNorm statistics differ per tile),
        // so only a loose agreement with the full decode is expected.
        const at::Tensor tiled = vae->decodeTiled(latents, 6, 2);
        QCOMPARE(tiled.sizes(), whole.sizes());
        QVERIFY(at::isfinite(tiled).all().item<bool>());
        QVERIFY2((tiled - whole).abs().mean().item<double>() < 0.5 * whole.abs().mean().item<double>() + 0.05,
                 "tiled decode far from the full decode");
    }

    void loadErrorsNameTheTensor()
    {
        const std::string dir = golden::modelDir() + "/unet/";
        UNetConfig config = UNetConfig::fromFile(dir + "config.json");
        config.blockOutChannels[0] *= 2; // a config that does not match the weights
        config.timeEmbedDim *= 2;
        UNet2DConditionModel unet(config);
        try {
            loadModuleWeights(unet, TensorStore::open(dir + "diffusion_pytorch_model.safetensors"), {"UNet"});
            QFAIL("mismatched weights loaded");
        } catch (const EngineError &error) {
            QCOMPARE(error.code(), EngineError::Code::ShapeMismatch);
            QVERIFY2(QString(error.what()).contains("conv_in.weight"), error.what());
        }
    }

    void badConfigsAreRefused()
    {
        const std::string file = golden::modelDir() + "/unet/config.json";
        nlohmann::json json = readJsonFile(file);
        json["attention_head_dim"] = nlohmann::json::array({3, 2, 4}); // 16 channels are not divisible by 3 heads
        try {
            UNetConfig::fromJson(json, file);
            QFAIL("bad head count accepted");
        } catch (const EngineError &error) {
            QCOMPARE(error.code(), EngineError::Code::BadConfig);
        }
        json = readJsonFile(file);
        json["class_embed_type"] = "timestep";
        try {
            UNetConfig::fromJson(json, file);
            QFAIL("class embedding accepted");
        } catch (const EngineError &error) {
            QCOMPARE(error.code(), EngineError::Code::Unsupported);
            QVERIFY(QString(error.what()).contains("class_embed_type"));
        }
        json = readJsonFile(file);
        json.erase("block_out_channels");
        try {
            UNetConfig::fromJson(json, file);
            QFAIL("missing field accepted");
        } catch (const EngineError &error) {
            QCOMPARE(error.code(), EngineError::Code::BadConfig);
            QVERIFY(QString(error.what()).contains("block_out_channels"));
        }
    }

    void legacyVaeAttentionNamesAreRenamed()
    {
        const TensorStore store = TensorStore::open(golden::modelDir() + "/vae/diffusion_pytorch_model.safetensors");
        std::vector<std::pair<std::string, at::Tensor>> legacy;
        for (std::string name : store.names()) {
            const at::Tensor t = store.get(name);
            for (auto [from, to] : {std::pair<std::string, std::string>{".to_q.", ".query."},
                                    {".to_k.", ".key."},
                                    {".to_v.", ".value."},
                                    {".to_out.0.", ".proj_attn."}})
                if (name.find(from) != std::string::npos)
                    name.replace(name.find(from), from.size(), to);
            legacy.emplace_back(name, t);
        }
        const TensorStore renamed =
            AutoencoderKL::withCurrentAttentionNames(TensorStore::fromTensors(std::move(legacy), "legacy"));
        QCOMPARE(renamed.names(), store.names());
    }
};

QTEST_APPLESS_MAIN(TestUNetVae)
#include "TestUNetVae.moc"
