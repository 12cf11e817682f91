#pragma once

#include "TrainingTypes.h"

#include <QObject>

#include <atomic>

namespace studio::ui {

// Runs one LoRA training at a time through the engine's torch-free facade (engine/api/Training.h). It lives on
// the render worker's thread, so a training and a render can never run at the same time: jobs of both wait in
// that thread's event queue. Signals carry the job id; no exception escapes (a failure becomes failed()).
class TrainingWorker : public QObject
{
    Q_OBJECT
public:
    explicit TrainingWorker(QObject *parent = nullptr);

    // Thread-safe: the running job stops before its next step (writing a checkpoint it can resume from).
    void cancel(quint64 jobId);
    // Whether this build can train at all (it has the engine).
    static bool isAvailable();
    // A failure of the engine (its EngineError code and English detail) as the user reads it.
    static QString describe(int engineCode, const QString &detail);

public Q_SLOTS:
    void run(const studio::ui::TrainingJob &job);

Q_SIGNALS:
    void stage(quint64 jobId, const QString &stage);
    void progress(quint64 jobId, const studio::ui::TrainingStep &step);
    void sample(quint64 jobId, int step, const QImage &image);
    void checkpoint(quint64 jobId, int step, const QString &loraPath, const QString &statePath);
    void finished(quint64 jobId, const studio::ui::TrainingOutcome &outcome);
    void failed(quint64 jobId, const QString &message);

private:
    std::atomic<quint64> m_cancelled{0};
};

} // namespace studio::ui
