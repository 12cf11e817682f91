#include "GenerationWorker.h"

#include "story/PanelRender.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace studio::ui {

namespace {

// Writes a finished image into the project folder through the render flow `storyboard render` uses too.
story::PanelVariant writeImage(const ImageTarget &target, const RenderEngine::Image &image)
{
    QString error;
    const std::optional<story::PanelVariant> variant =
        story::PanelRender::writeImage(target.project, target.projectDir, target.panel, target.relativePath,
                                       image.image, image.parameters, image.seed, target.aigcLabel, &error);
    if (!variant)
        throw RenderError{RenderError::Code::Io, error};
    return *variant;
}

} // namespace

GenerationWorker::GenerationWorker(std::unique_ptr<RenderEngine> engine, QObject *parent)
    : QObject(parent), m_engine(std::move(engine))
{
    qRegisterMetaType<studio::ui::GenerationJob>();
    qRegisterMetaType<studio::ui::RenderError>();
    qRegisterMetaType<studio::ui::RenderNotice>();
    qRegisterMetaType<studio::ui::GenerationOutcome>();
}

GenerationWorker::~GenerationWorker() = default;

void GenerationWorker::cancelUpTo(quint64 jobId)
{
    quint64 current = m_cancelledUpTo.load();
    while (current < jobId && !m_cancelledUpTo.compare_exchange_weak(current, jobId)) {
    }
}

int GenerationWorker::previewInterval(int steps)
{
    return qMax(1, steps / 10);
}

RenderEngine::Image GenerationWorker::renderOnce(const GenerationJob &job, const EngineSettings &settings, bool retry)
{
    const auto cancelled = [this, id = job.id] { return isCancelled(id); };
    if (!m_engine->isLoaded(settings))
        Q_EMIT notice(job.id, {RenderNotice::Kind::LoadingModel, settings.modelDir});
    m_engine->load(settings, cancelled); // quick when only the LoRA or a memory switch changed
    if (isCancelled(job.id))
        throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled after loading the model")};

    QElapsedTimer clock;
    clock.start();
    qint64 lastStepAt = 0;
    double secondsPerStep = 0;
    int measured = 0;
    RenderEngine::Callbacks callbacks;
    callbacks.cancelled = cancelled;
    callbacks.progress = [&, id = job.id](int step, int steps) {
        const qint64 now = clock.elapsed();
        const double interval = double(now - lastStepAt) / 1000.0;
        lastStepAt = now;
        // The first interval includes encoding the prompt; later ones are pure steps. Average those.
        if (measured == 0 || step <= 1)
            secondsPerStep = interval;
        else
            secondsPerStep = measured == 1 ? interval : 0.7 * secondsPerStep + 0.3 * interval;
        ++measured;
        Q_EMIT progress(id, step, steps, secondsPerStep);
    };
    if (job.previewEvery > 0) {
        callbacks.previewEvery = job.previewEvery;
        callbacks.preview = [this, id = job.id](const QImage &image, int, int) { Q_EMIT preview(id, image); };
    }
    return retry ? m_engine->generateAgain(job.params, callbacks) : m_engine->generate(job.params, callbacks);
}

std::optional<double> GenerationWorker::score(quint64 jobId, RenderEngine::Image *image,
                                              const EngineSettings &settings)
{
    if (isCancelled(jobId))
        throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled before scoring the image")};
    QString why;
    std::optional<double> value;
    try {
        const auto cancelled = [this, jobId] { return isCancelled(jobId); };
        value = m_engine->aestheticScore(image->image, cancelled, &why);
    } catch (const RenderError &e) {
        why = e.detail; // a failed score never costs the image
    }
    if (value)
        image->parameters.insert(QStringLiteral("aestheticScore"), *value);
    else if (!settings.aestheticModelDir.isEmpty())
        Q_EMIT notice(jobId, {RenderNotice::Kind::ScoreUnavailable, why});
    return value;
}

void GenerationWorker::runStory(const GenerationJob &job)
{
    QElapsedTimer total;
    total.start();
    EngineSettings settings = job.settings;
    if (m_forceTiling)
        settings.vaeTiling = RenderSwitch::On;
    const auto cancelled = [this, id = job.id] { return isCancelled(id); };
    try {
        if (!m_engine->isLoaded(settings))
            Q_EMIT notice(job.id, {RenderNotice::Kind::LoadingModel, settings.modelDir});
        m_engine->load(settings, cancelled); // quick when only the LoRA or a memory switch changed
        if (isCancelled(job.id))
            throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled after loading the model")};

        QElapsedTimer clock;
        clock.start();
        RenderEngine::Callbacks callbacks;
        callbacks.cancelled = cancelled;
        callbacks.progress = [&clock, this, id = job.id](int step, int steps) {
            Q_EMIT progress(id, step, steps, step > 0 ? double(clock.elapsed()) / 1000.0 / step : 0.0);
        };
        const QList<int> requested = job.story->plan.requested;
        m_engine->generateStory(*job.story, callbacks, [&](int panel, const RenderEngine::Image &done) {
            if (!requested.contains(panel))
                return; // an identity panel that ran again only because a later panel needs it
            RenderEngine::Image image = done;
            GenerationOutcome outcome;
            outcome.jobId = job.id;
            outcome.panel = panel;
            outcome.aestheticScore = score(job.id, &image, settings);
            if (job.target) {
                ImageTarget target = *job.target;
                target.panel = panel;
                target.relativePath =
                    story::PanelRender::relativePathFor(panel, image.seed, QDateTime::currentDateTimeUtc());
                outcome.variant = writeImage(target, image);
            }
            outcome.image = image.image;
            outcome.parameters = image.parameters;
            outcome.seed = image.seed;
            outcome.seconds = double(total.elapsed()) / 1000.0;
            Q_EMIT storyPanelFinished(job.id, outcome);
        });
    } catch (const RenderError &e) {
        Q_EMIT failed(job.id, e);
        return;
    } catch (const std::exception &e) {
        Q_EMIT failed(job.id, {RenderError::Code::Internal, QString::fromLocal8Bit(e.what())});
        return;
    } catch (...) {
        Q_EMIT failed(job.id, {RenderError::Code::Internal, QStringLiteral("unknown failure")});
        return;
    }
    GenerationOutcome outcome;
    outcome.jobId = job.id;
    outcome.panel = job.panel;
    outcome.seconds = double(total.elapsed()) / 1000.0;
    Q_EMIT finished(job.id, outcome);
}

void GenerationWorker::run(const GenerationJob &job)
{
    if (isCancelled(job.id)) {
        Q_EMIT failed(job.id, {RenderError::Code::Cancelled, QStringLiteral("cancelled before it started")});
        return;
    }
    Q_EMIT started(job.id);
    if (job.story)
        return runStory(job);
    QElapsedTimer total;
    total.start();

    EngineSettings settings = job.settings;
    if (m_forceTiling)
        settings.vaeTiling = RenderSwitch::On;
    GenerationOutcome outcome;
    outcome.jobId = job.id;
    outcome.panel = job.panel;
    RenderEngine::Image image;
    try {
        try {
            image = renderOnce(job, settings, /*retry=*/false);
        } catch (const RenderError &e) {
            // One automatic retry with tiled VAE decoding, which needs far less memory for large images.
            if (e.code != RenderError::Code::OutOfMemory || settings.vaeTiling == RenderSwitch::On ||
                isCancelled(job.id))
                throw;
            Q_EMIT notice(job.id, {RenderNotice::Kind::RetryingWithTiles, e.detail});
            settings.vaeTiling = RenderSwitch::On; // applied to the loaded model, not a reload
            image = renderOnce(job, settings, /*retry=*/true);
            outcome.retriedWithTiles = true;
            m_forceTiling = true;
        }
        // Show the finished image at once; scoring and writing take a moment more.
        Q_EMIT preview(job.id, image.image);

        outcome.aestheticScore = score(job.id, &image, settings);

        if (isCancelled(job.id))
            throw RenderError{RenderError::Code::Cancelled, QStringLiteral("cancelled before the image was saved")};
        if (job.target)
            outcome.variant = writeImage(*job.target, image);
    } catch (const RenderError &e) {
        Q_EMIT failed(job.id, e);
        return;
    } catch (const std::exception &e) {
        Q_EMIT failed(job.id, {RenderError::Code::Internal, QString::fromLocal8Bit(e.what())});
        return;
    } catch (...) {
        Q_EMIT failed(job.id, {RenderError::Code::Internal, QStringLiteral("unknown failure")});
        return;
    }

    outcome.image = image.image;
    outcome.parameters = image.parameters;
    outcome.seed = image.seed;
    outcome.seconds = double(total.elapsed()) / 1000.0;
    Q_EMIT finished(job.id, outcome);
}

} // namespace studio::ui
