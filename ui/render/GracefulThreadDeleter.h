#pragma once

#include <QThread>

#include <memory>

namespace studio::ui {

// Owns a worker thread: on destruction it asks the event loop to quit and waits for it, so objects living on
// the thread are gone (finished → deleteLater) before the owner is. Whoever owns the thread must first make
// any long call on it return (cancel the running job).
struct GracefulThreadDeleter
{
    void operator()(QThread *thread) const
    {
        thread->quit();
        thread->wait();
        delete thread;
    }
};

using ThreadPtr = std::unique_ptr<QThread, GracefulThreadDeleter>;

} // namespace studio::ui
