#include "GracefulThreadDeleter.h"

#include <QDeadlineTimer>
#include <QtGlobal>

#include <atomic>

namespace studio::ui {

namespace {
std::atomic<int> g_abandoned{0};
}

void GracefulThreadDeleter::operator()(QThread *thread) const
{
    thread->quit();
    if (thread->wait(QDeadlineTimer(limitMs))) {
        delete thread;
        return;
    }
    // Deleting a running QThread aborts the process; leaving it is the lesser harm (the process is ending).
    qWarning("a worker thread did not stop within %d ms of being cancelled; not waiting for it", limitMs);
    ++g_abandoned;
}

int abandonedWorkerThreads()
{
    return g_abandoned.load();
}

} // namespace studio::ui
