// Schedules against the golden `scheduler` section, and every sampler against closed-form results with a fake
// denoiser (no weights): when the denoiser always predicts the same clean latent c, the probability-flow ODE has
// the exact solution x(sigma) = c + sigma * e, which Euler, DPM++ 2M and DDIM reproduce exactly.

#include "GoldenData.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/Samplers.h"
#include "engine/diffusion/SamplingSchedule.h"

#include <cmath>

using namespace studio::engine;

namespace {

std::string folderSchedulerFile()
{
    return golden::modelDir() + "/scheduler/scheduler_config.json";
}

SchedulerConfig folderConfig(SamplerKind kind)
{
    return SchedulerConfig::fromFolderConfig(kind, readJsonFile(folderSchedulerFile()), folderSchedulerFile());
}

at::Tensor toTensor(const std::vector<double> &values)
{
    return at::tensor(values, at::kDouble);
}
at::Tensor toTensor(const std::vector<float> &values)
{
    return at::tensor(values, at::kFloat);
}

struct Recorder
{
    std::vector<at::Tensor> latents;
    int draws = 0;
};

// A denoiser whose clean prediction is always `clean`: returns the epsilon that makes each sampler's x0 equal it.
SamplerIo constantDenoiser(const SamplingSchedule &schedule, const at::Tensor &clean, Recorder &recorder,
                           const at::Tensor &ancestralNoise = {})
{
    SamplerIo io;
    const SamplerKind kind = schedule.config.kind;
    const at::Tensor ac = schedule.train.alphasCumprod.to(at::kDouble);
    io.predictNoise = [=, &schedule](const at::Tensor &input, const at::Tensor &timestep, int step) {
        const at::Tensor x = input.to(at::kDouble);
        if (kind == SamplerKind::Ddim) {
            const double a = ac[timestep.item<int64_t>()].item<double>();
            return ((x - std::sqrt(a) * clean) / std::sqrt(1.0 - a)).to(at::kFloat);
        }
        const double sigma = schedule.sigmas[step];
        if (kind == SamplerKind::DpmPP2M || kind == SamplerKind::DpmPP2MKarras) {
            const double alpha = 1.0 / std::sqrt(sigma * sigma + 1.0);
            return ((x - alpha * clean) / (sigma * alpha)).to(at::kFloat);
        }
        const at::Tensor unscaled = x * std::sqrt(sigma * sigma + 1.0); // Euler feeds x / sqrt(sigma^2 + 1)
        return ((unscaled - clean) / sigma).to(at::kFloat);
    };
    io.drawNoise = [&recorder, ancestralNoise](at::IntArrayRef shape) {
        ++recorder.draws;
        return ancestralNoise.defined() ? ancestralNoise : at::zeros(shape, at::kFloat);
    };
    io.afterStep = [&recorder](int, const at::Tensor &x) { recorder.latents.push_back(x.clone()); };
    return io;
}

} // namespace

class TestSamplers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void trainScheduleMatchesGolden()
    {
        const TrainSchedule train = TrainSchedule::fromConfig(folderConfig(SamplerKind::Euler));
        const auto &names = golden::cases()["scheduler"]["train_schedule"];
        GOLDEN_NEAR(train.betas, golden::tensor(names["betas"]), 0.0, "betas");
        GOLDEN_NEAR(train.alphasCumprod, golden::tensor(names["alphas_cumprod"]), 0.0, "alphas_cumprod");
    }

    // from_config semantics: the folder's values where the class takes them, class defaults elsewhere.
    void configsMatchInstantiatedConfigs()
    {
        const auto &configs = golden::cases()["scheduler"]["configs"];
        for (auto it = configs.begin(); it != configs.end(); ++it) {
            const auto kind = samplerFromName(it.key());
            QVERIFY2(kind.has_value(), it.key().c_str());
            const SchedulerConfig c = folderConfig(*kind);
            const nlohmann::json &ref = it.value();
            QCOMPARE(c.numTrainTimesteps, ref["num_train_timesteps"].get<int>());
            QCOMPARE(c.betaStart, ref["beta_start"].get<double>());
            QCOMPARE(c.betaEnd, ref["beta_end"].get<double>());
            QCOMPARE(c.betaSchedule, ref["beta_schedule"].get<std::string>());
            QCOMPARE(c.timestepSpacing, ref["timestep_spacing"].get<std::string>());
            QCOMPARE(c.stepsOffset, ref["steps_offset"].get<int>());
            QCOMPARE(c.predictionType, ref["prediction_type"].get<std::string>());
            if (ref.contains("use_karras_sigmas"))
                QCOMPARE(c.useKarrasSigmas, ref["use_karras_sigmas"].get<bool>());
            if (ref.contains("solver_order"))
                QCOMPARE(c.solverOrder, ref["solver_order"].get<int>());
            if (ref.contains("final_sigmas_type") && *kind != SamplerKind::EulerAncestral)
                QCOMPARE(c.finalSigmasType, ref["final_sigmas_type"].get<std::string>());
            if (*kind == SamplerKind::Ddim) {
                QCOMPARE(c.clipSample, ref["clip_sample"].get<bool>());
                QCOMPARE(c.setAlphaToOne, ref["set_alpha_to_one"].get<bool>());
            }
        }
    }

    void schedulesMatchGolden()
    {
        const auto &schedules = golden::cases()["scheduler"]["schedules"];
        QVERIFY(!schedules.empty());
        for (const auto &entry : schedules) {
            const std::string name = entry["scheduler"].get<std::string>();
            const int steps = entry["num_inference_steps"].get<int>();
            const QString what = QString::fromStdString(name) + "/" + QString::number(steps);
            const auto kind = samplerFromName(name);
            QVERIFY2(kind.has_value(), qPrintable(what));
            const SamplingSchedule s = SamplingSchedule::make(folderConfig(*kind), steps);
            const at::Tensor refTimesteps = golden::tensor(entry["outputs"]["timesteps"]);
            QCOMPARE(s.integerTimesteps, refTimesteps.scalar_type() == at::kLong);
            GOLDEN_NEAR(toTensor(s.timesteps), refTimesteps, s.integerTimesteps ? 0.0 : 1e-3, what + " timesteps");
            if (entry["outputs"].contains("sigmas")) {
                const at::Tensor refSigmas = golden::tensor(entry["outputs"]["sigmas"]);
                GOLDEN_NEAR(toTensor(s.sigmas), refSigmas, 2e-6 * std::max(1.0, golden::maxAbs(refSigmas)),
                            what + " sigmas");
            }
            const double initSigma = entry["init_noise_sigma"].get<double>();
            QVERIFY2(std::abs(s.initNoiseSigma - initSigma) <= 1e-6 * std::max(1.0, initSigma), qPrintable(what));
        }
    }

    // Pipeline cases carry the schedule they ran with too (including plain dpmpp_2m in hidden sets).
    void pipelineSchedulesMatchGolden()
    {
        for (const auto &run : golden::cases()["pipeline"]) {
            const auto kind = samplerFromName(run["scheduler"].get<std::string>());
            QVERIFY(kind.has_value());
            const SamplingSchedule s =
                SamplingSchedule::make(folderConfig(*kind), run["num_inference_steps"].get<int>());
            const QString what = QString::fromStdString(run["id"].get<std::string>());
            const at::Tensor ref = golden::tensor(run["outputs"]["timesteps"]);
            GOLDEN_NEAR(toTensor(s.timesteps), ref, s.integerTimesteps ? 0.0 : 1e-3, what + " timesteps");
            if (run["outputs"].contains("sigmas"))
                GOLDEN_NEAR(toTensor(s.sigmas), golden::tensor(run["outputs"]["sigmas"]), 1e-4, what + " sigmas");
            QVERIFY(std::abs(s.initNoiseSigma - run["init_noise_sigma"].get<double>()) < 1e-5);
        }
    }

    // Spacing arithmetic for settings the visible folder does not use (hand-computed from diffusers' formulas).
    void otherSpacings()
    {
        SchedulerConfig c = folderConfig(SamplerKind::Ddim);
        c.numTrainTimesteps = 1000;
        c.timestepSpacing = "trailing";
        // arange(1000, 0, -100) - 1
        QCOMPARE(SamplingSchedule::make(c, 10).timesteps,
                 (std::vector<double>{999, 899, 799, 699, 599, 499, 399, 299, 199, 99}));
        c.timestepSpacing = "linspace";
        // round(linspace(0, 999, 4)) reversed: 999, 666, 333, 0
        QCOMPARE(SamplingSchedule::make(c, 4).timesteps, (std::vector<double>{999, 666, 333, 0}));

        SchedulerConfig d = folderConfig(SamplerKind::DpmPP2M);
        d.numTrainTimesteps = 1000;
        d.stepsOffset = 1;
        // leading: ratio 1000 // 11 = 90, i * 90 for i = 10..1, plus the offset
        QCOMPARE(SamplingSchedule::make(d, 10).timesteps,
                 (std::vector<double>{901, 811, 721, 631, 541, 451, 361, 271, 181, 91}));

        SchedulerConfig e = folderConfig(SamplerKind::Euler);
        e.timestepSpacing = "linspace";
        const SamplingSchedule linspace = SamplingSchedule::make(e, 3);
        QCOMPARE(linspace.timesteps.front(), double(e.numTrainTimesteps - 1));
        QCOMPARE(linspace.timesteps.back(), 0.0);
        // linspace/trailing start at the largest sigma itself, not sqrt(sigma^2 + 1)
        QCOMPARE(linspace.initNoiseSigma, linspace.sigmas.front());
        QCOMPARE(linspace.sigmas.back(), 0.0f);

        e.useKarrasSigmas = true;
        const SamplingSchedule karras = SamplingSchedule::make(e, 5);
        QCOMPARE(karras.sigmas.size(), size_t(6));
        for (size_t i = 1; i < karras.sigmas.size(); ++i)
            QVERIFY(karras.sigmas[i] < karras.sigmas[i - 1]);
        for (size_t i = 1; i < karras.timesteps.size(); ++i)
            QVERIFY(karras.timesteps[i] < karras.timesteps[i - 1]);
    }

    void badArguments()
    {
        const SchedulerConfig c = folderConfig(SamplerKind::Euler);
        for (int steps : {0, -3, c.numTrainTimesteps + 1}) {
            try {
                SamplingSchedule::make(c, steps);
                QFAIL("bad step count accepted");
            } catch (const EngineError &error) {
                QCOMPARE(error.code(), EngineError::Code::BadArgument);
            }
        }
        nlohmann::json json = readJsonFile(folderSchedulerFile());
        json["prediction_type"] = "v_prediction";
        try {
            SchedulerConfig::fromFolderConfig(SamplerKind::Euler, json, "x.json");
            QFAIL("v_prediction accepted");
        } catch (const EngineError &error) {
            QCOMPARE(error.code(), EngineError::Code::Unsupported);
            QVERIFY(QString(error.what()).contains("prediction_type"));
        }
        QVERIFY(!samplerFromName("heun").has_value());
        QCOMPARE(samplerFromName("dpmpp_2m_karras"), std::optional<SamplerKind>(SamplerKind::DpmPP2MKarras));
    }

    void samplersSolveConstantDenoiserExactly_data()
    {
        QTest::addColumn<QString>("sampler");
        QTest::addColumn<int>("steps");
        for (const std::string &name : samplerNames())
            for (int steps : {1, 2, 6, 20}) {
                const QString label = QString::fromStdString(name) + "/" + QString::number(steps);
                QTest::newRow(qPrintable(label)) << QString::fromStdString(name) << steps;
            }
    }

    void samplersSolveConstantDenoiserExactly()
    {
        QFETCH(QString, sampler);
        QFETCH(int, steps);
        const SamplerKind kind = *samplerFromName(sampler.toStdString());
        const SamplingSchedule s = SamplingSchedule::make(folderConfig(kind), steps);
        at::manual_seed(3);
        const at::Tensor clean = at::randn({1, 4, 3, 5}, at::kDouble);
        const at::Tensor start = at::randn({1, 4, 3, 5}, at::kDouble) * s.initNoiseSigma;
        Recorder recorder;
        const at::Tensor result = runSampler(s, start.to(at::kFloat), constantDenoiser(s, clean, recorder));
        QCOMPARE(int(recorder.latents.size()), s.steps());

        // x_i = clean_scale_i * c + noise_scale_i * e with e fixed by the start.
        auto expectedAfter = [&](int step) -> at::Tensor {
            if (kind == SamplerKind::Ddim) {
                const at::Tensor ac = s.train.alphasCumprod.to(at::kDouble);
                const double a0 = ac[int64_t(s.timesteps[0])].item<double>();
                const int64_t prev = int64_t(s.timesteps[step]) - s.ddimStepRatio;
                const double a = prev >= 0 ? ac[prev].item<double>() : s.finalAlphaCumprod;
                const at::Tensor e = (start - std::sqrt(a0) * clean) / std::sqrt(1.0 - a0);
                return std::sqrt(a) * clean + std::sqrt(1.0 - a) * e;
            }
            const double sigma0 = s.sigmas[0];
            const double sigma = s.sigmas[step + 1];
            if (kind == SamplerKind::DpmPP2M || kind == SamplerKind::DpmPP2MKarras) {
                auto alpha = [](double k) { return 1.0 / std::sqrt(k * k + 1.0); };
                const at::Tensor e = (start - alpha(sigma0) * clean) / (sigma0 * alpha(sigma0));
                return alpha(sigma) * clean + sigma * alpha(sigma) * e;
            }
            if (kind == SamplerKind::Euler)
                return clean + sigma * (start - clean) / sigma0;
            // Euler-ancestral with zero noise: x - c shrinks by sigma_down / sigma each step.
            at::Tensor x = start - clean;
            for (int i = 0; i <= step; ++i) {
                const double from = s.sigmas[i], to = s.sigmas[i + 1];
                const double up = std::sqrt(to * to * (from * from - to * to) / (from * from));
                x = x * (std::sqrt(to * to - up * up) / from);
            }
            return clean + x;
        };
        for (int i = 0; i < s.steps(); ++i) {
            const at::Tensor expected = expectedAfter(i);
            GOLDEN_NEAR(recorder.latents[i], expected, 2e-5 * std::max(1.0, golden::maxAbs(expected)),
                        sampler + " step " + QString::number(i));
        }
        if (kind != SamplerKind::Ddim) // DDIM ends at alphas_cumprod[0], not at sigma 0
            GOLDEN_NEAR(result, clean, 1e-4, sampler + " final latents = the clean prediction");

        const bool drawsPerStep = kind == SamplerKind::Euler || kind == SamplerKind::EulerAncestral;
        QCOMPARE(recorder.draws, drawsPerStep ? s.steps() : 0);
    }

    // Euler-ancestral adds sigma_up * noise after the deterministic part; nothing else uses the noise.
    void eulerAncestralAddsScaledNoise()
    {
        const SamplingSchedule s = SamplingSchedule::make(folderConfig(SamplerKind::EulerAncestral), 1);
        const at::Tensor clean = at::zeros({1, 4, 2, 2}, at::kDouble);
        const at::Tensor start = at::full({1, 4, 2, 2}, 3.0, at::kDouble);
        const at::Tensor noise = at::full({1, 4, 2, 2}, 0.5f, at::kFloat);
        Recorder quiet, noisy;
        const at::Tensor a = runSampler(s, start.to(at::kFloat), constantDenoiser(s, clean, quiet));
        const at::Tensor b = runSampler(s, start.to(at::kFloat), constantDenoiser(s, clean, noisy, noise));
        // The single step goes to sigma 0, where sigma_up = 0: the noise must not matter.
        GOLDEN_NEAR(a, b, 0.0, "last-step noise");
        const SamplingSchedule two = SamplingSchedule::make(folderConfig(SamplerKind::EulerAncestral), 2);
        Recorder r1, r2;
        runSampler(two, start.to(at::kFloat), constantDenoiser(two, clean, r1));
        runSampler(two, start.to(at::kFloat), constantDenoiser(two, clean, r2, noise));
        const double from = two.sigmas[0], to = two.sigmas[1];
        const double up = std::sqrt(to * to * (from * from - to * to) / (from * from));
        GOLDEN_NEAR(r2.latents[0] - r1.latents[0], noise.to(at::kDouble) * up, 1e-5, "first-step noise");
    }

    void predictorSeesSchedulerTimesteps()
    {
        for (const std::string &name : samplerNames()) {
            const SamplingSchedule s = SamplingSchedule::make(folderConfig(*samplerFromName(name)), 4);
            std::vector<double> seen;
            std::vector<at::Tensor> tensors;
            SamplerIo io;
            io.predictNoise = [&](const at::Tensor &input, const at::Tensor &timestep, int) {
                seen.push_back(timestep.item<double>());
                tensors.push_back(timestep);
                return at::zeros_like(input);
            };
            io.drawNoise = [](at::IntArrayRef shape) { return at::zeros(shape); };
            runSampler(s, at::ones({1, 4, 2, 2}), io);
            QCOMPARE(seen, s.timesteps);
            for (const at::Tensor &t : tensors) {
                QCOMPARE(t.dim(), int64_t(0));
                QCOMPARE(t.scalar_type(), s.integerTimesteps ? at::kLong : at::kFloat);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestSamplers)
#include "TestSamplers.moc"
