#pragma once

// A scripted RenderEngine for the studio's queue/cancel tests: deterministic, instant (or held at a step
// until the test lets go), with failures on demand. It runs on the worker thread like the real engine, so
// everything the test shares with it is atomic or behind a mutex.

#include "ui/render/RenderEngine.h"

#include <QColor>
#include <QMutex>
#include <QMutexLocker>
#include <QSet>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <memory>

namespace studio::ui::test {

struct FakeScript
{
    std::atomic<int> stepDelayMs{0};
    // Steps from this one on wait (polling the cancel flag) while `hold` is set.
    std::atomic<int> holdAtStep{1};
    std::atomic<bool> hold{false};
    std::atomic<int> stepsReached{0}; // the last step the running job reached
    std::atomic<bool> oomUnlessTiled{false};
    std::atomic<bool> available{true};
    // load() of new weights waits (polling the cancel flag) while `holdLoad` is set; `inLoad` says it is there.
    std::atomic<bool> holdLoad{false};
    std::atomic<bool> inLoad{false};
    // After the last step ("decoding") generate() waits the same way while `holdDecode` is set.
    std::atomic<bool> holdDecode{false};
    std::atomic<bool> inDecode{false};

    mutable QMutex mutex;
    QList<RenderError> loadErrors;     // the next loads throw these, in order
    QList<RenderError> generateErrors; // the next generates throw these, in order
    QStringList calls;                 // "load|apply <dir> tiling=<n> lora=<path>", "generate seed=<n> <w>x<h>"
    QList<GenerationParams> generated; // every generate's parameters, in order
    QList<StoryParams> stories;        // every generateStory's parameters, in order
    QSet<QThread *> engineThreads;     // every thread that called into the engine (it must be the worker's only)
    std::optional<double> score;
    QString scoreNote = QStringLiteral("no predictor in the fake engine");

    void addLoadError(const RenderError &e)
    {
        QMutexLocker lock(&mutex);
        loadErrors << e;
    }
    void addGenerateError(const RenderError &e)
    {
        QMutexLocker lock(&mutex);
        generateErrors << e;
    }
    QStringList callLog() const
    {
        QMutexLocker lock(&mutex);
        return calls;
    }
    int count(const QString &prefix) const
    {
        int n = 0;
        for (const QString &c : callLog())
            n += c.startsWith(prefix) ? 1 : 0;
        return n;
    }
};

class FakeRenderEngine : public RenderEngine
{
public:
    explicit FakeRenderEngine(std::shared_ptr<FakeScript> script) : m_script(std::move(script)) {}

    bool isAvailable() const override { return m_script->available; }

    FolderCheck folderCheck() const override { return &FakeRenderEngine::checkFolder; }

    static ModelFolderCheck checkFolder(const QString &dir)
    {
        ModelFolderCheck check;
        check.folder = dir;
        if (dir.contains(QLatin1String("missing"))) {
            check.message = QStringLiteral("missing file: %1/unet/config.json").arg(dir);
            return check;
        }
        check.ok = !dir.isEmpty();
        check.layout = QStringLiteral("kolors-diffusers");
        return check;
    }

    bool isLoaded(const EngineSettings &settings) const override
    {
        noteThread();
        return m_loaded && m_loaded->sameWeights(settings);
    }

    // Logs "load ..." when the weights would be read, "apply ..." when only the LoRA or a memory switch changed.
    void load(const EngineSettings &settings, const std::function<bool()> &cancelled) override
    {
        noteThread();
        const bool weights = !isLoaded(settings);
        {
            QMutexLocker lock(&m_script->mutex);
            m_script->calls << QStringLiteral("%1 %2 tiling=%3 lora=%4")
                                   .arg(weights ? QStringLiteral("load") : QStringLiteral("apply"), settings.modelDir)
                                   .arg(int(settings.vaeTiling))
                                   .arg(settings.loraPath);
            if (!m_script->loadErrors.isEmpty()) {
                m_loaded.reset();
                throw m_script->loadErrors.takeFirst();
            }
        }
        if (weights) {
            m_script->inLoad = true;
            while (m_script->holdLoad) { // "reading weights" until cancelled or let go
                if (cancelled && cancelled()) {
                    m_script->inLoad = false;
                    m_loaded.reset();
                    throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled while loading")};
                }
                QThread::msleep(2);
            }
            m_script->inLoad = false;
        }
        m_loaded = settings;
    }

    Image generate(const GenerationParams &params, const Callbacks &callbacks) override
    {
        noteThread();
        {
            QMutexLocker lock(&m_script->mutex);
            m_script->calls
                << QStringLiteral("generate seed=%1 %2x%3").arg(params.seed).arg(params.width).arg(params.height);
            m_script->generated << params;
            if (!m_script->generateErrors.isEmpty())
                throw m_script->generateErrors.takeFirst();
        }
        m_script->stepsReached = 0;
        for (int step = 1; step <= params.steps; ++step) {
            if (callbacks.cancelled && callbacks.cancelled())
                throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled at step %1").arg(step)};
            while (m_script->hold && step >= m_script->holdAtStep) {
                if (callbacks.cancelled && callbacks.cancelled())
                    throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled at step %1").arg(step)};
                QThread::msleep(2);
            }
            if (m_script->stepDelayMs > 0)
                QThread::msleep(uint(m_script->stepDelayMs.load()));
            m_script->stepsReached = step;
            if (callbacks.progress)
                callbacks.progress(step, params.steps);
            if (callbacks.preview && callbacks.previewEvery > 0 && step % callbacks.previewEvery == 0) {
                QImage preview(qMax(1, params.width / 8), qMax(1, params.height / 8), QImage::Format_RGB888);
                preview.fill(QColor(step * 20 % 256, 80, 160));
                callbacks.preview(preview, step, params.steps);
            }
        }
        m_script->inDecode = true;
        while (m_script->holdDecode) {
            if (callbacks.cancelled && callbacks.cancelled()) {
                m_script->inDecode = false;
                throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled while decoding")};
            }
            QThread::msleep(2);
        }
        m_script->inDecode = false;
        if (m_script->oomUnlessTiled && m_loaded && m_loaded->vaeTiling != RenderSwitch::On) {
            m_undecoded = params; // "sampled, not decoded": what the real engine keeps for the retry
            throw RenderError{RenderError::Code::OutOfMemory, QStringLiteral("CUDA out of memory (fake)")};
        }
        return imageFor(params);
    }

    // Logs "decode again ..." when the latents of the failed run are decoded again (no steps run).
    Image generateAgain(const GenerationParams &params, const Callbacks &callbacks) override
    {
        noteThread();
        if (!m_undecoded)
            return generate(params, callbacks);
        m_undecoded.reset();
        {
            QMutexLocker lock(&m_script->mutex);
            m_script->calls << QStringLiteral("decode again seed=%1").arg(params.seed);
        }
        if (m_script->oomUnlessTiled && m_loaded && m_loaded->vaeTiling != RenderSwitch::On)
            throw RenderError{RenderError::Code::OutOfMemory, QStringLiteral("CUDA out of memory (fake)")};
        return imageFor(params);
    }

    Image imageFor(const GenerationParams &params) const
    {
        // The hires fix makes a larger image, as the engine does (int(side × scale) down to a multiple of 8).
        const RefineParams &refine = params.refine;
        const story::HiresSettings &hires = params.hires;
        const int width = hires.enabled ? int(params.width * hires.scale) / 8 * 8 : params.width;
        const int height = hires.enabled ? int(params.height * hires.scale) / 8 * 8 : params.height;
        Image out;
        out.image = QImage(width, height, QImage::Format_RGB888);
        out.image.fill(QColor::fromHsv(int(params.seed % 360), 180, 200));
        out.seed = params.seed;
        QJsonObject &o = out.parameters;
        o.insert(QStringLiteral("prompt"), params.prompt);
        o.insert(QStringLiteral("negativePrompt"), params.negativePrompt);
        o.insert(QStringLiteral("seed"), params.seed);
        o.insert(QStringLiteral("steps"), params.steps);
        o.insert(QStringLiteral("cfgScale"), params.cfgScale);
        o.insert(QStringLiteral("sampler"), params.sampler);
        o.insert(QStringLiteral("width"), params.width);
        o.insert(QStringLiteral("height"), params.height);
        o.insert(QStringLiteral("device"), QStringLiteral("fake"));
        o.insert(QStringLiteral("vaeTiled"), m_loaded && m_loaded->vaeTiling == RenderSwitch::On);
        // The refine parameters under the names bridge::generationParameters uses.
        if (!refine.initImagePath.isEmpty()) {
            o.insert(QStringLiteral("strength"), refine.strength);
            o.insert(QStringLiteral("initImage"),
                     QJsonObject{{QStringLiteral("file"), refine.initImageFile},
                                 {QStringLiteral("sha256"), refine.initImageSha256}});
        }
        if (hires.enabled)
            o.insert(QStringLiteral("hires"), QJsonObject{{QStringLiteral("scale"), hires.scale},
                                                          {QStringLiteral("strength"), hires.strength},
                                                          {QStringLiteral("steps"), hires.steps},
                                                          {QStringLiteral("width"), width},
                                                          {QStringLiteral("height"), height}});
        if (refine.batchIndex >= 0)
            o.insert(QStringLiteral("batchIndex"), refine.batchIndex);
        return out;
    }

    // Logs "story run=<panels> keep=<panels> K=<k>" and finishes the panels in panel order (the identity panels
    // first), each image with seed storySeed + panel and the consistency it was made with.
    void generateStory(const StoryParams &story, const Callbacks &callbacks, const PanelDone &panelDone) override
    {
        noteThread();
        const story::StoryRenderPlan &plan = story.plan;
        auto list = [](const QList<int> &panels) {
            QStringList parts;
            for (int p : panels)
                parts << QString::number(p + 1);
            return parts.join(QLatin1Char(','));
        };
        {
            QMutexLocker lock(&m_script->mutex);
            m_script->calls << QStringLiteral("story run=%1 keep=%2 K=%3")
                                   .arg(list(plan.panelsToRun()), list(plan.requested))
                                   .arg(plan.identityPanels);
            m_script->stories << story;
            if (!m_script->generateErrors.isEmpty())
                throw m_script->generateErrors.takeFirst();
        }
        for (int step = 1; step <= plan.steps; ++step) {
            while (m_script->hold && step >= m_script->holdAtStep) {
                if (callbacks.cancelled && callbacks.cancelled())
                    throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled at step %1").arg(step)};
                QThread::msleep(2);
            }
            if (callbacks.cancelled && callbacks.cancelled())
                throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled at step %1").arg(step)};
            m_script->stepsReached = step;
            if (callbacks.progress)
                callbacks.progress(step, plan.steps);
        }
        for (int panel : plan.panelsToRun()) {
            GenerationParams params;
            params.prompt = plan.prompts.value(panel);
            params.negativePrompt = plan.negativePrompt;
            params.seed = plan.storySeed + panel;
            params.steps = plan.steps;
            params.cfgScale = plan.cfgScale;
            params.sampler = plan.sampler;
            params.width = plan.width;
            params.height = plan.height;
            Image image;
            image.image = QImage(params.width, params.height, QImage::Format_RGB888);
            image.image.fill(QColor::fromHsv(int(params.seed % 360), 180, 200));
            image.seed = params.seed;
            image.parameters = QJsonObject{{QStringLiteral("prompt"), params.prompt},
                                           {QStringLiteral("negativePrompt"), params.negativePrompt},
                                           {QStringLiteral("seed"), params.seed},
                                           {QStringLiteral("steps"), params.steps},
                                           {QStringLiteral("cfgScale"), params.cfgScale},
                                           {QStringLiteral("sampler"), params.sampler},
                                           {QStringLiteral("width"), params.width},
                                           {QStringLiteral("height"), params.height},
                                           {QStringLiteral("device"), QStringLiteral("fake")}};
            story::CharacterUse use = plan.consistencyUse(panel);
            const story::CharacterUse ip = story.ipAdapter.use();
            use.ipAdapter = ip.ipAdapter;
            use.adapterFile = ip.adapterFile;
            use.referenceFile = ip.referenceFile;
            use.ipScale = ip.ipScale;
            use.writeInto(&image.parameters);
            panelDone(panel, image);
        }
    }

    std::optional<double> aestheticScore(const QImage &, const std::function<bool()> &, QString *why) override
    {
        noteThread();
        QMutexLocker lock(&m_script->mutex);
        if (!m_script->score && why)
            *why = m_script->scoreNote;
        return m_script->score;
    }

private:
    void noteThread() const
    {
        QMutexLocker lock(&m_script->mutex);
        m_script->engineThreads.insert(QThread::currentThread());
    }

    std::shared_ptr<FakeScript> m_script;
    std::optional<EngineSettings> m_loaded;
    std::optional<GenerationParams> m_undecoded;
};

} // namespace studio::ui::test
