// Consistent self-attention (golden/consistency-tiny part A) in the engine, stage by stage against the visible
// cases: the layer list and token grids, the gate/keep draws and their on/off decisions, every panel's generator
// draws, every UNet output (identity batch and later panels), the consistent layers' inputs and outputs at the
// first consistent step, final latents and images. The CLI test (TestGenerateStoryCli) checks the files.

#include "ConsistencyGolden.h"
#include "GoldenData.h"

#include "engine/attention/ConsistentSelfAttention.h"
#include "engine/common/EngineError.h"
#include "engine/diffusion/KolorsPipeline.h"
#include "engine/diffusion/RandomWeights.h"

#include <torch/torch.h>

#include <map>

using namespace studio::engine;
namespace cg = consistency_golden;

namespace {

double relative(const at::Tensor &reference, double factor)
{
    return factor * golden::maxAbs(reference);
}

StorySampleRequest requestFor(const nlohmann::json &c)
{
    StorySampleRequest r;
    r.prompts = c["prompts"].get<std::vector<std::string>>();
    if (!c["negative_prompt"].is_null())
        r.base.negativePrompt = c["negative_prompt"].get<std::string>();
    r.base.seed = c["seed"].get<uint64_t>();
    r.base.steps = c["num_inference_steps"].get<int>();
    r.base.guidance = c["guidance_scale"].get<double>();
    r.base.sampler = *samplerFromName(c["scheduler"].get<std::string>());
    r.base.width = c["width"].get<int>();
    r.base.height = c["height"].get<int>();
    r.identityPanels = c["identity_panels"].get<int>();
    r.strength = c["effective_consistency"].get<double>();
    r.start = c["effective_consistency_start"].get<int>();
    return r;
}

struct StoryTrace
{
    at::Tensor gate;
    std::vector<at::Tensor> keep;
    std::map<int, std::vector<at::Tensor>> draws, unetOutputs; // panel (-1: identity batch) → per call
    std::map<std::string, std::pair<at::Tensor, at::Tensor>> layers; // "<step>/<panel>/<layer>" → in, out
    std::vector<PipelineResult> done;
    int progress = 0;

    StoryCallbacks callbacks()
    {
        StoryCallbacks c;
        c.drawsMade = [this](const at::Tensor &g, const std::vector<at::Tensor> &k) {
            gate = g.clone();
            keep = k;
        };
        c.noiseDrawn = [this](int panel, const at::Tensor &t) { draws[panel].push_back(t.clone()); };
        c.unetCalled = [this](int, int panel, const at::Tensor &out) { unetOutputs[panel].push_back(out.cpu().clone()); };
        c.consistentLayer = [this](int step, int panel, const std::string &layer, const at::Tensor &in,
                                   const at::Tensor &out) {
            layers[std::to_string(step) + "/" + std::to_string(panel) + "/" + layer] = {in.cpu().clone(),
                                                                                         out.cpu().clone()};
        };
        c.panelDone = [this](int, PipelineResult &&r) { done.push_back(std::move(r)); };
        c.progress = [this](int, int) { ++progress; };
        return c;
    }
};

std::unique_ptr<KolorsPipeline> loadTiny()
{
    return KolorsPipeline::load(cg::modelDir(), PipelineOptions{});
}

} // namespace

class TestConsistentStory : public QObject
{
    Q_OBJECT

    std::unique_ptr<KolorsPipeline> m_pipeline;

private Q_SLOTS:
    void initTestCase()
    {
        at::set_num_threads(1);
        m_pipeline = loadTiny();
    }

    // Layers in module order and the token grid of each up block, read from the UNet (ceil per down-sampler).
    void layoutFollowsTheUNet()
    {
        for (const auto &c : cg::cases()["story"]["cases"]) {
            const auto &facts = c["consistency_facts"];
            const auto shape = c["latent_shape"].get<std::vector<int64_t>>();
            const ConsistencyLayout layout = ConsistencyLayout::of(m_pipeline->unet(), shape[2], shape[3]);
            QVERIFY(layout.layers == facts["layers"].get<std::vector<std::string>>());
            QCOMPARE(layout.blocks.size(), facts["grids"].size());
            for (size_t b = 0; b < layout.blocks.size(); ++b) {
                const auto grid = facts["grids"][layout.blocks[b]].get<std::vector<int64_t>>();
                QCOMPARE(layout.rows[b], grid[0]);
                QCOMPARE(layout.cols[b], grid[1]);
            }
            for (size_t l = 0; l < layout.layers.size(); ++l)
                QCOMPARE(int(layout.layerBlock[l]), facts["layer_up_block"][l].get<int>());
        }
    }

    // The draws equal the stored ones bit for bit, and so do the gate decisions (S, 0.3/0.1) and the shared flags.
    void drawsAndDecisionsMatch()
    {
        for (const auto &c : cg::cases()["story"]["cases"]) {
            const auto &out = c["shared_outputs"];
            const auto shape = c["latent_shape"].get<std::vector<int64_t>>();
            const StorySampleRequest r = requestFor(c);
            ConsistencyLayout layout = ConsistencyLayout::of(m_pipeline->unet(), shape[2], shape[3]);
            ConsistencyDraws draws = ConsistencyDraws::draw(layout, r.base.steps, r.identityPanels, r.base.seed);
            QVERIFY(at::equal(draws.gate, cg::tensor(out["gate_u"])));
            for (size_t b = 0; b < layout.blocks.size(); ++b)
                QVERIFY(at::equal(draws.keep[b], cg::tensor(out["keep_u_" + layout.blocks[b]])));
            const std::vector<std::string> blocks = layout.blocks;
            const size_t layers = layout.layers.size();
            const ConsistentSelfAttention hook(std::move(layout), std::move(draws), r.identityPanels, r.strength,
                                               r.start, true);
            const at::Tensor active = cg::tensor(out["gate_active"]);
            for (int s = 0; s < r.base.steps; ++s) {
                for (size_t l = 0; l < layers; ++l)
                    QCOMPARE(hook.active(s, l), active[s][int64_t(l)].item<int64_t>() != 0);
                for (size_t b = 0; b < blocks.size(); ++b)
                    QVERIFY(at::equal(hook.sharedMask(s, b), cg::tensor(out["keep_" + blocks[b]])[s].to(at::kBool)));
            }
        }
    }

    void storiesMatchGoldenStageByStage()
    {
        for (const auto &c : cg::cases()["story"]["cases"]) {
            const QString id = QString::fromStdString(c["id"].get<std::string>());
            const std::string pre = cg::prefix(c);
            StoryTrace trace;
            const std::vector<PipelineResult> results = m_pipeline->generateStory(requestFor(c), trace.callbacks());
            const int K = c["identity_panels"].get<int>();
            const int steps = c["num_inference_steps"].get<int>();
            QCOMPARE(results.size(), c["panels"].size());
            QCOMPARE(trace.done.size(), results.size());
            QCOMPARE(trace.progress, steps);
            QVERIFY(at::equal(trace.gate, cg::tensor(c["shared_outputs"]["gate_u"])));

            const at::Tensor idOutputs = cg::tensor(c["shared_outputs"]["id_batch_unet_outputs"]);
            QCOMPARE(int(trace.unetOutputs[-1].size()), steps);
            for (int s = 0; s < steps; ++s)
                GOLDEN_NEAR(trace.unetOutputs[-1][size_t(s)], idOutputs[s], relative(idOutputs, 1e-4),
                            id + " identity batch UNet output, step " + QString::number(s));
            for (const auto &panel : c["panels"]) {
                const int index = panel["index"].get<int>() - 1;
                const QString what = id + " panel " + QString::number(index + 1);
                const auto &outputs = panel["outputs"];
                const at::Tensor draws = cg::tensor(outputs["randn_draws"]);
                QCOMPARE(int64_t(trace.draws[index].size()), draws.size(0));
                for (int64_t d = 0; d < draws.size(0); ++d)
                    QVERIFY2(at::equal(trace.draws[index][size_t(d)], draws[d]), qPrintable(what + " draw"));
                if (index >= K) {
                    const at::Tensor ref = cg::tensor(outputs["unet_outputs"]);
                    for (int s = 0; s < steps; ++s)
                        GOLDEN_NEAR(trace.unetOutputs[index][size_t(s)], ref[s], relative(ref, 1e-4),
                                    what + " UNet output, step " + QString::number(s));
                }
                const at::Tensor final = cg::tensor(outputs["final_latents"]);
                GOLDEN_NEAR(results[size_t(index)].finalLatents, final, relative(final, 1e-4), what + " latents");
                const at::Tensor u8 = cg::tensor(outputs["image_u8"]).to(at::kInt);
                const at::Tensor mine = results[size_t(index)].image.to(at::kInt);
                GOLDEN_NEAR(mine, u8, 1.0, what + " pixels");
                QVERIFY((mine == u8).to(at::kDouble).mean().item<double>() >= 0.99);
            }

            // Only one step's identity tokens are kept: the peak is the largest step's shared tokens (stored keep
            // flags, active layers only), float32, per CFG branch; nothing when no later panel reads them.
            const bool cfg = c["classifier_free_guidance"].get<bool>();
            int64_t peak = 0;
            if (int(c["panels"].size()) > K) {
                std::map<std::string, int64_t> channels;
                for (const Attention *layer : m_pipeline->unet().attentionLayers())
                    channels[layer->path()] = layer->options().queryDim;
                const auto &facts = c["consistency_facts"];
                const at::Tensor active = cg::tensor(c["shared_outputs"]["gate_active"]);
                for (int s = 0; s < steps; ++s) {
                    int64_t bytes = 0;
                    for (size_t l = 0; l < facts["layers"].size(); ++l) {
                        if (active[s][int64_t(l)].item<int64_t>() == 0)
                            continue;
                        const std::string block = "up_blocks." + std::to_string(facts["layer_up_block"][l].get<int>());
                        const int64_t shared =
                            cg::tensor(c["shared_outputs"]["keep_" + block])[s].to(at::kLong).sum().item<int64_t>();
                        bytes += (cfg ? 2 : 1) * shared * channels[facts["layers"][l].get<std::string>()] * 4;
                    }
                    peak = std::max(peak, bytes);
                }
            }
            for (const PipelineResult &result : results)
                QCOMPARE(result.sharedTokenBytes, peak);

            // The consistent layers' inputs and outputs at the first consistent step.
            const int debugStep = c["consistency_facts"]["debug_step"].get<int>();
            int compared = 0;
            for (const std::string &layer : c["consistency_facts"]["layers"].get<std::vector<std::string>>()) {
                for (const auto &[who, panel] : {std::pair<std::string, int>{"id_batch", -1},
                                                 {"panel_" + cg::panelNumber(K + 1), K}}) {
                    const std::string name = pre + "debug/step_" + std::to_string(debugStep) + "/" + who + "/" + layer;
                    if (!cg::has(name + "/in") || (panel == K && K >= int(c["panels"].size())))
                        continue;
                    const auto &got = trace.layers[std::to_string(debugStep) + "/" + std::to_string(panel) + "/" + layer];
                    for (const auto &[part, tensor] : {std::pair{"in", got.first}, std::pair{"out", got.second}}) {
                        const at::Tensor ref = cg::tensor(name + "/" + part);
                        GOLDEN_NEAR(tensor, ref, 2e-5 * std::max(1.0, golden::maxAbs(ref)),
                                    QString::fromStdString(name + "/" + part));
                    }
                    ++compared;
                }
            }
            QVERIFY2(compared > 0, qPrintable(id + ": no stage tensors compared"));
        }
    }

    // Only the identity panels and the asked-for later panels run; a later panel does not depend on which other
    // later panels run.
    void panelsToRenderSkipOthers()
    {
        const auto &c = cg::cases()["story"]["cases"][0];
        StorySampleRequest r = requestFor(c);
        const int K = r.identityPanels;
        r.panels = {K + 1};
        const std::vector<PipelineResult> results = m_pipeline->generateStory(r, {});
        QCOMPARE(int(results.size()), K + 1);
        const at::Tensor ref = cg::tensor(c["panels"][K + 1]["outputs"]["final_latents"]);
        GOLDEN_NEAR(results.back().finalLatents, ref, relative(ref, 1e-4), "panel alone");
        QCOMPARE(results.back().request.seed, r.base.seed + uint64_t(K + 1));
    }

    // The hidden set's shapes: another UNet (transformer layers 1/2/1, cross-attention 24; random weights), an odd
    // 5x11 latent (40x88), K = n, every sampler, CFG on and off. Exact checks that need no reference: P = 0 equals
    // plain generate per panel, and low-VRAM mode (identity batch per CFG branch) equals the batched run.
    void otherUNetShapesAndOddLatents()
    {
        torch::NoGradGuard noGrad;
        KolorsPipeline::Components parts = KolorsPipeline::loadComponents(cg::modelDir(), PipelineOptions{});
        parts.unetConfig["transformer_layers_per_block"] = {1, 2, 1};
        parts.unetConfig["cross_attention_dim"] = 24;
        parts.unet = std::make_shared<UNet2DConditionModel>(UNetConfig::fromJson(parts.unetConfig, "modified"));
        fillRandomWeights(*parts.unet, at::kFloat, at::kCPU, 13);
        KolorsPipeline pipeline(parts, PipelineOptions{});
        PipelineOptions lowVram;
        lowVram.releaseTextEncoder = true;
        KolorsPipeline split(parts, lowVram);

        const ConsistencyLayout layout = ConsistencyLayout::of(*parts.unet, 5, 11);
        QCOMPARE(layout.layers.size(), size_t(3 * 1 + 3 * 2)); // up_blocks.0: 3 x 1 layer, up_blocks.1: 3 x 2
        QCOMPARE(layout.rows, (std::vector<int64_t>{2, 3}));
        QCOMPARE(layout.cols, (std::vector<int64_t>{3, 6}));

        StorySampleRequest r;
        r.prompts = {"a fox", "the fox runs", "the fox sleeps"};
        r.base.negativePrompt = "blurry";
        r.base.seed = 42;
        r.base.steps = 2;
        r.base.width = 88;
        r.base.height = 40;
        r.strength = 1.0;
        r.start = 0;
        for (const char *sampler : {"euler", "euler_a", "dpmpp_2m_karras", "ddim"}) {
            r.base.sampler = *samplerFromName(sampler);
            for (const auto &[k, guidance] : {std::pair{3, 3.0}, std::pair{1, 1.0}}) {
                r.identityPanels = k;
                r.base.guidance = guidance;
                const std::vector<PipelineResult> results = pipeline.generateStory(r, {});
                QCOMPARE(results.size(), size_t(3));
                for (const PipelineResult &result : results) {
                    QCOMPARE(result.finalLatents.sizes(), (at::IntArrayRef{1, 4, 5, 11}));
                    QVERIFY(at::isfinite(result.finalLatents).all().item<bool>());
                    QCOMPARE(result.image.sizes(), (at::IntArrayRef{40, 88, 3}));
                }
                if (guidance > 1.0) {
                    const std::vector<PipelineResult> perBranch = split.generateStory(r, {});
                    for (size_t i = 0; i < results.size(); ++i)
                        GOLDEN_NEAR(perBranch[i].finalLatents, results[i].finalLatents,
                                    relative(results[i].finalLatents, 1e-5), QString("low-VRAM ") + sampler);
                }
            }
        }
        r.strength = 0.0;
        r.identityPanels = 2;
        r.base.guidance = 3.0;
        r.base.sampler = SamplerKind::EulerAncestral;
        const std::vector<PipelineResult> story = pipeline.generateStory(r, {});
        for (size_t i = 0; i < story.size(); ++i) {
            SampleRequest plain = r.base;
            plain.prompt = r.prompts[i];
            plain.seed = r.base.seed + i;
            const at::Tensor expected = pipeline.generate(plain).finalLatents;
            GOLDEN_NEAR(story[i].finalLatents, expected, relative(expected, 1e-5),
                        QStringLiteral("P = 0, panel %1 vs plain").arg(i + 1));
        }
    }

    void badStoriesAreRefused()
    {
        const auto &c = cg::cases()["story"]["cases"][0];
        const int n = int(c["prompts"].size());
        for (int k : {0, n + 1}) {
            StorySampleRequest r = requestFor(c);
            r.identityPanels = k;
            QVERIFY_EXCEPTION_THROWN(m_pipeline->generateStory(r, {}), EngineError);
        }
        StorySampleRequest r = requestFor(c);
        r.strength = 1.5;
        QVERIFY_EXCEPTION_THROWN(m_pipeline->generateStory(r, {}), EngineError);
        r = requestFor(c);
        r.panels = {n};
        QVERIFY_EXCEPTION_THROWN(m_pipeline->generateStory(r, {}), EngineError);
        r = requestFor(c);
        r.prompts.clear();
        QVERIFY_EXCEPTION_THROWN(m_pipeline->generateStory(r, {}), EngineError);
    }

    void cancelStopsTheStory()
    {
        StorySampleRequest r = requestFor(cg::cases()["story"]["cases"][0]);
        StoryCallbacks callbacks;
        int polls = 0;
        callbacks.cancelled = [&] { return ++polls > 3; };
        try {
            m_pipeline->generateStory(r, callbacks);
            QFAIL("not cancelled");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::Cancelled);
        }
    }
};

QTEST_MAIN(TestConsistentStory)
#include "TestConsistentStory.moc"
