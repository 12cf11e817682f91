#pragma once

#include "RenderEngine.h"
#include "RenderTypes.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace studio::ui {

// The one long-lived worker that owns the engine and its loaded models. It lives on its own thread (see
// RenderQueue) and runs one job at a time: run() is invoked with a queued call, so jobs posted while one runs
// wait in the thread's event queue. Every signal carries the job id; receivers ignore ids they no longer
// care about. Nothing here blocks the UI thread, and no exception escapes: every failure becomes failed().
class GenerationWorker : public QObject
{
    Q_OBJECT
public:
    explicit GenerationWorker(std::unique_ptr<RenderEngine> engine, QObject *parent = nullptr);
    ~GenerationWorker() override;

    // Thread-safe. Cancels every job with an id up to `jobId` (ids increase): the running one stops at its next
    // step, queued ones fail with Cancelled as soon as they start.
    void cancelUpTo(quint64 jobId);
    bool isCancelled(quint64 jobId) const { return jobId <= m_cancelledUpTo.load(); }

    // How often (in steps) the live preview is made, for `steps` sampler steps: about ten previews a render.
    static int previewInterval(int steps);

public Q_SLOTS:
    // Runs one job on the worker's thread: loads the models when needed, renders, scores, writes the image.
    void run(const studio::ui::GenerationJob &job);

Q_SIGNALS:
    void started(quint64 jobId);
    void notice(quint64 jobId, const studio::ui::RenderNotice &notice);
    void progress(quint64 jobId, int step, int steps, double secondsPerStep);
    void preview(quint64 jobId, const QImage &image);
    // A story job: one panel it was asked for is written (outcome.panel says which); finished() follows the last.
    void storyPanelFinished(quint64 jobId, const studio::ui::GenerationOutcome &outcome);
    void finished(quint64 jobId, const studio::ui::GenerationOutcome &outcome);
    void failed(quint64 jobId, const studio::ui::RenderError &error);

private:
    void runStory(const GenerationJob &job);
    // Scores an image (a failed score never costs it) and adds the score to its parameters.
    std::optional<double> score(quint64 jobId, RenderEngine::Image *image, const EngineSettings &settings);
    // `retry`: the out-of-memory retry, which decodes the latents of the failed run again where the engine can.
    RenderEngine::Image renderOnce(const GenerationJob &job, const EngineSettings &settings, bool retry);

    std::unique_ptr<RenderEngine> m_engine;
    std::atomic<quint64> m_cancelledUpTo{0};
    // After an out-of-memory retry succeeded with tiled decoding, later jobs keep it (the user was told).
    bool m_forceTiling = false;
};

} // namespace studio::ui
