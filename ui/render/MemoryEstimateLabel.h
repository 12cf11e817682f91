#pragma once

#include "EngineSupport.h"
#include "RenderTypes.h"

#include <QFutureWatcher>
#include <QLabel>

#include <optional>

namespace studio::ui {

// Settings ▸ Model's "what fits" line: the peak RAM and GPU memory of a render with the choices shown. The engine
// reads the model's configs and file headers for it, so it is worked out on a pool thread; while one estimate runs,
// only the newest request waits, and the label says it is estimating until the answer for the newest one is in.
class MemoryEstimateLabel : public QLabel
{
    Q_OBJECT

public:
    explicit MemoryEstimateLabel(QWidget *parent = nullptr);

    // Estimates `settings` for `width`x`height` images. An empty model folder needs no estimate: the label asks
    // for the folder.
    void estimate(const EngineSettings &settings, int width, int height);
    bool isEstimating() const { return m_running.has_value(); }
    const MemoryFigures &figures() const { return m_figures; } // of the text shown

    // The text for `figures` (public for tests and the screenshot: one wording).
    static QString describe(const MemoryFigures &figures, int width, int height);

Q_SIGNALS:
    void estimated(); // the text shows the estimate of the newest request

private:
    struct Request
    {
        EngineSettings settings;
        int width = 0;
        int height = 0;
    };
    void showResult();

    QFutureWatcher<MemoryFigures> m_watcher;
    std::optional<Request> m_running; // until its answer is shown (the future may be done before that)
    std::optional<Request> m_next;    // asked for while m_running was being estimated
    MemoryFigures m_figures;
};

} // namespace studio::ui
