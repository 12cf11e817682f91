#pragma once

#include "EngineSupport.h"
#include "RenderTypes.h"

#include <QFutureWatcher>
#include <QLabel>

#include <optional>

namespace studio::ui {

// Settings ▸ Model's "what fits" lines: the peak RAM and GPU memory of a render with the choices shown, and whether
// that fits this computer's free memory now (else which lighter choices would). The engine reads the model's configs
// and file headers for it, so it is worked out on a pool thread; while one estimate runs, only the newest request
// waits, and the label says it is estimating until the answer for the newest one is in.
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

    // The text for `figures`: the estimate, then the verdict on its own line (public for tests: one wording).
    static QString describe(const MemoryFigures &figures, int width, int height);
    // The estimate alone, and the verdict alone: whether it fits the free memory the figures were compared with
    // and, when not, the lighter settings that would, named by their Settings ▸ Model rows.
    static QString describeEstimate(const MemoryFigures &figures, int width, int height);
    static QString describeVerdict(const MemoryFigures &figures);
    static QString gib(qint64 bytes, int decimals = 1); // "3.1 GiB", as the engine writes it
    // A need and the free figure it is compared with, with the decimals that tell them apart ("7.62", "7.58 GiB").
    static QStringList gibs(qint64 needed, qint64 free);

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
