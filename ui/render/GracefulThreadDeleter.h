#pragma once

#include <QThread>

#include <memory>

namespace studio::ui {

// Owns a worker thread: on destruction it asks the event loop to quit and waits for it, so objects living on
// the thread are gone (finished → deleteLater) before the owner is. Whoever owns the thread must first make
// any long call on it return (cancel the running job): every engine stage looks at the cancel flag, so the
// wait is short. It is never endless: a thread still busy after `limitMs` (one call that cannot be interrupted)
// is left running and counted; the studio then ends its process without waiting for it (app/gui/main.cpp).
struct GracefulThreadDeleter
{
    static constexpr int kDefaultLimitMs = 5000;
    int limitMs = kDefaultLimitMs;

    void operator()(QThread *thread) const;
};

using ThreadPtr = std::unique_ptr<QThread, GracefulThreadDeleter>;

// Threads the deleter gave up waiting for in this process (they still run; their QThread is never deleted).
int abandonedWorkerThreads();

} // namespace studio::ui
