#include "TrainingWorker.h"

#include <QFile>

#ifdef STUDIO_HAS_ENGINE
#include "engine/api/Training.h"
#include "engine/api/Errors.h"
#endif

namespace studio::ui {

TrainingWorker::TrainingWorker(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<studio::ui::TrainingJob>();
    qRegisterMetaType<studio::ui::TrainingStep>();
    qRegisterMetaType<studio::ui::TrainingOutcome>();
}

void TrainingWorker::cancel(quint64 jobId)
{
    quint64 current = m_cancelled.load();
    while (current < jobId && !m_cancelled.compare_exchange_weak(current, jobId)) {
    }
}

bool TrainingWorker::isAvailable()
{
#ifdef STUDIO_HAS_ENGINE
    return true;
#else
    return false;
#endif
}

#ifdef STUDIO_HAS_ENGINE
namespace {

std::string path(const QString &p)
{
    return QFile::encodeName(p).toStdString();
}

engine::TrainingOptions toOptions(const TrainingJob &job)
{
    engine::TrainingOptions o;
    o.modelDir = path(job.modelDir);
    o.dataDir = path(job.dataDir);
    o.outputPath = path(job.outputPath);
    o.rank = job.rank;
    o.alpha = job.alpha;
    o.learningRate = job.learningRate;
    o.steps = job.steps;
    o.seed = job.seed;
    o.resolution = job.resolution;
    engine::parseTrainingPrecision(job.precision.toStdString(), &o.precision);
    o.device = job.device == QLatin1String("cpu")    ? engine::ComputeDevice::Cpu
               : job.device == QLatin1String("cuda") ? engine::ComputeDevice::Cuda
                                                      : engine::ComputeDevice::Auto;
    o.saveEvery = job.saveEvery;
    o.resumeFrom = path(job.resumeFrom);
    o.sampleEvery = job.sampleEvery;
    o.samplePrompt = job.samplePrompt.toStdString();
    o.dataPreparation = job.dataPreparation.toStdString();
    return o;
}

} // namespace
#endif

QString TrainingWorker::describe(int engineCode, const QString &detail)
{
#ifdef STUDIO_HAS_ENGINE
    using Code = engine::EngineError::Code;
    QString what;
    switch (Code(engineCode)) {
    case Code::OutOfMemory:
        what = tr("Out of memory: lower the resolution or the rank, or choose fp16/bf16 on CUDA.");
        break;
    case Code::MissingFile:
    case Code::MissingWeight:
    case Code::BadConfig:
        what = tr("The Kolors model folder is incomplete or not a Kolors model.");
        break;
    case Code::BadFile:
    case Code::Io: what = tr("A file could not be read or written."); break;
    case Code::BadArgument:
    case Code::Unsupported: what = tr("These settings cannot be used."); break;
    default: what = tr("The engine stopped with an error."); break;
    }
    // The engine's detail (English) names the file or the setting.
    return what + QLatin1Char(' ') + detail;
#else
    Q_UNUSED(engineCode);
    return detail;
#endif
}

void TrainingWorker::run(const TrainingJob &job)
{
#ifdef STUDIO_HAS_ENGINE
    try {
        const engine::TrainingOptions options = toOptions(job);
        engine::validateTraining(options);
        engine::TrainingCallbacks callbacks;
        const quint64 id = job.id;
        callbacks.isCancelled = [this, id] { return id <= m_cancelled.load(); };
        callbacks.onStage = [this, id](const std::string &s) { Q_EMIT stage(id, QString::fromStdString(s)); };
        callbacks.onProgress = [this, id](const engine::TrainingProgress &p) {
            Q_EMIT progress(id, {p.step, p.totalSteps, p.loss, p.smoothedLoss, p.itPerSec, p.etaSeconds});
        };
        callbacks.onSample = [this, id](const engine::TrainingSample &s) {
            if (s.width <= 0 || s.height <= 0 || s.rgb.size() < size_t(s.width) * size_t(s.height) * 3)
                return;
            const QImage image(s.rgb.data(), s.width, s.height, s.width * 3, QImage::Format_RGB888);
            Q_EMIT sample(id, s.step, image.copy()); // the engine's buffer dies after this call
        };
        callbacks.onCheckpoint = [this, id](int step, const std::string &lora, const std::string &state) {
            Q_EMIT checkpoint(id, step, QFile::decodeName(lora.c_str()), QFile::decodeName(state.c_str()));
        };
        const engine::TrainingResult r = engine::trainLora(options, callbacks);
        TrainingOutcome outcome;
        outcome.loraPath = QFile::decodeName(r.loraPath.c_str());
        outcome.factsPath = QFile::decodeName(r.factsPath.c_str());
        outcome.statePath = QFile::decodeName(r.statePath.c_str());
        outcome.stepsDone = r.stepsDone;
        outcome.cancelled = r.cancelled;
        outcome.finalSmoothedLoss = r.finalSmoothedLoss;
        outcome.secondsPerStep = r.secondsPerStep;
        Q_EMIT finished(job.id, outcome);
    } catch (const engine::EngineError &e) {
        Q_EMIT failed(job.id, describe(int(e.code()), QString::fromUtf8(e.what())));
    } catch (const std::exception &e) {
        Q_EMIT failed(job.id, QString::fromUtf8(e.what()));
    } catch (...) {
        Q_EMIT failed(job.id, QStringLiteral("unknown failure"));
    }
#else
    Q_EMIT failed(job.id, tr("This build of the studio has no engine: it cannot train."));
#endif
}

} // namespace studio::ui
