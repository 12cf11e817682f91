#include "MemoryEstimateLabel.h"

#include <QtConcurrent/QtConcurrentRun>

namespace studio::ui {

namespace {

QString gib(qint64 bytes)
{
    return QStringLiteral("%1 GiB").arg(double(bytes) / double(qint64(1) << 30), 0, 'f', 1);
}

} // namespace

MemoryEstimateLabel::MemoryEstimateLabel(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("memoryEstimateLabel"));
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(&m_watcher, &QFutureWatcher<MemoryFigures>::finished, this, &MemoryEstimateLabel::showResult);
}

void MemoryEstimateLabel::estimate(const EngineSettings &settings, int width, int height)
{
    const Request request{settings, width, height};
    if (m_running) {
        m_next = request; // the running one's answer is stale when it comes; this one follows it
        return;
    }
    if (settings.modelDir.trimmed().isEmpty()) {
        m_figures = {};
        setText(tr("Choose the model folder to see how much memory rendering needs."));
        Q_EMIT estimated();
        return;
    }
    m_running = request;
    setText(tr("Estimating the memory these settings need…"));
    m_watcher.setFuture(QtConcurrent::run(
        [request] { return EngineSupport::estimateMemory(request.settings, request.width, request.height); }));
}

void MemoryEstimateLabel::showResult()
{
    const Request done = *m_running;
    m_running.reset();
    if (m_next) {
        const Request next = *m_next;
        m_next.reset();
        estimate(next.settings, next.width, next.height);
        return;
    }
    m_figures = m_watcher.result();
    setText(describe(m_figures, done.width, done.height));
    Q_EMIT estimated();
}

QString MemoryEstimateLabel::describe(const MemoryFigures &f, int width, int height)
{
    if (!f.ok)
        return tr("No memory estimate: %1").arg(f.problem);
    if (f.onCuda)
        return tr("Estimated peak for %1×%2 images: %3 of GPU memory, %4 of RAM (%5 with the model files the "
                  "system maps in).")
            .arg(width)
            .arg(height)
            .arg(gib(f.vramBytes), gib(f.privateBytes), gib(f.residentBytes));
    return tr("Estimated peak for %1×%2 images on the CPU: %3 of RAM (%4 with the model files the system maps in).")
        .arg(width)
        .arg(height)
        .arg(gib(f.privateBytes), gib(f.residentBytes));
}

} // namespace studio::ui
