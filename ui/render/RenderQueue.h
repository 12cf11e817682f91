#pragma once

#include "GracefulThreadDeleter.h"
#include "RenderEngine.h"
#include "RenderTypes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace studio::ui {

class GenerationWorker;
class StoryDocument;

// The studio's render queue, on the UI thread. It owns the GenerationWorker and its thread ("studio-render"),
// turns panels into jobs one at a time (so a queued panel renders with the settings it has when its turn
// comes), and puts every finished image into the story as an undoable, chosen variant. Panel states on the
// board (queued, running, done, failed, cancelled) are set here.
class RenderQueue : public QObject
{
    Q_OBJECT
public:
    enum class Kind
    {
        Render,     // with the panel's seed as it is
        Regenerate, // with the next seed by the panel's seed mode (fixed keeps it)
    };

    // Where the whole queue stands, for the progress bars. Times are estimates (-1: not known yet).
    struct Progress
    {
        int panel = -1; // the running panel
        int step = 0, steps = 0;
        double panelSecondsLeft = -1;
        int finished = 0, total = 0; // jobs of this batch (since the queue was last idle)
        double storyFraction = 0;
        double storySecondsLeft = -1;
    };

    RenderQueue(StoryDocument *document, std::unique_ptr<RenderEngine> engine, QObject *parent = nullptr);
    ~RenderQueue() override; // stops the running job and joins the worker thread

    // The settings the next job uses: this computer's model folder (else the story's), the story's LoRA, and the
    // device, precision and low-VRAM choices of the application settings.
    EngineSettings engineSettings() const;
    // Why no render can start (no engine, no or unusable model folder, a story LoRA that cannot be used),
    // translated; empty when it can.
    QString modelProblem() const;
    // Why the story's LoRA cannot be used (translated), empty when it can or the story has none. The studio
    // never renders a story that names a LoRA without it.
    QString loraProblem() const;
    // Renders are written into the story's folder: an untitled story must be saved first.
    bool needsSave() const;

    // Each returns false with a translated reason when nothing was queued.
    bool renderAll(QString *why = nullptr); // every panel with a prompt that is not queued or running
    bool renderPanel(int panel, Kind kind, QString *why = nullptr);
    // A1111's batch count: `count` (1..kMaxVariants) images of the panel with seeds seed, seed+1, ..., added as
    // variants in one undo step when they finish in a row.
    static constexpr int kMaxVariants = 16;
    bool renderVariants(int panel, int count, QString *why = nullptr);
    // img2img of the panel from `refine.initImagePath` at `refine.strength` (the Refine dialog).
    bool refinePanel(int panel, const RefineParams &refine, QString *why = nullptr);
    // A queued panel leaves the queue; the running one stops at its next step and the queue goes on.
    bool cancelPanel(int panel);
    void stopNow();          // stop the running job at its next step and drop the queue
    void stopAfterCurrent(); // let the running job finish, drop the queue

    bool isBusy() const { return m_current.has_value() || !m_queue.isEmpty(); }
    // Another job owns the worker (a LoRA training): renders are refused with `why` until it is set empty.
    void setOccupied(const QString &why) { m_occupiedWhy = why; }
    QString occupiedWhy() const { return m_occupiedWhy; }
    // The panel of the open story that is rendering; -1 also while a job of a story closed meanwhile winds down.
    int runningPanel() const { return m_current && !m_current->discard ? m_current->panel : -1; }
    QList<int> queuedPanels() const;
    Progress progress() const;
    QString lastError() const { return m_lastError; }

    // A user-facing message for a failure of `panel` (0-based), naming the setting to change where one helps.
    static QString describe(const RenderError &error, int panel);
    GenerationWorker *worker() const { return m_worker; }

Q_SIGNALS:
    void panelStarted(int panel, qint64 seed);
    void panelProgress(int panel, int step, int steps);
    void panelPreview(int panel, const QImage &image);
    void panelFinished(int panel, const studio::ui::GenerationOutcome &outcome);
    void panelFailed(int panel, const QString &message);
    // A failure of the model itself (missing or broken files): the queue was dropped; worth a dialog.
    void modelFailed(const QString &message);
    void message(const QString &text); // status-bar news (loading, retry, notes)
    void progressChanged();
    void busyChanged(bool busy);
    void drained(); // the last job of a batch ended

private:
    struct Entry
    {
        int panel = -1;
        Kind kind = Kind::Render;
        RefineParams refine;
        std::optional<qint64> seed; // set: this seed instead of the panel's
        int group = 0;              // > 0: one of "Render N variants"
        QList<int> storyPanels;     // non-empty: one story job (consistent characters) keeping these panels
    };
    // Checks and queues `entries` (of one panel); false with *why when nothing can start.
    bool enqueue(const QList<Entry> &entries, QString *why);
    // Consistent characters: queues one story job for `panels` (the identity panels run with it).
    bool enqueueStory(const QList<int> &panels, QString *why);
    // Starts a story entry; false when it failed before starting (its panels are marked).
    bool startStory(const Entry &entry);
    bool isRunning(int panel) const;
    struct Running
    {
        quint64 id = 0;
        int panel = -1;
        Kind kind = Kind::Render;
        int group = 0;
        qint64 seed = 0;
        int step = 0, steps = 0;
        qint64 pixels = 0;
        QString projectDir;
        bool stopping = false; // Stop now was asked: ignore its progress
        bool discard = false;  // the story was replaced: ignore its result
        QList<int> storyPanels; // a story job: the panels it keeps, and those already in
        QList<int> storyDone;
    };

    void startNext();
    void finishCurrent(bool counted = true);
    void dropQueue();
    void onProjectReplaced();
    void onStarted(quint64 id);
    void onNotice(quint64 id, const RenderNotice &notice);
    void onProgress(quint64 id, int step, int steps, double secondsPerStep);
    void onPreview(quint64 id, const QImage &image);
    void onFinished(quint64 id, const GenerationOutcome &outcome);
    void onStoryPanelFinished(quint64 id, const GenerationOutcome &outcome);
    // Puts a finished image into the story (undoable, chosen) and tells the views.
    void acceptImage(int panel, Kind kind, int group, const QString &jobDir, const GenerationOutcome &outcome);
    void onFailed(quint64 id, const RenderError &error);
    void setBusy(bool busy);
    bool isCurrent(quint64 id) const { return m_current && m_current->id == id; }

    StoryDocument *m_document;
    bool m_engineAvailable = true;
    RenderEngine::FolderCheck m_checkFolder; // the engine's own check, taken before the engine moved
    ThreadPtr m_thread;
    GenerationWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes

    QList<Entry> m_queue;
    std::optional<Running> m_current;
    quint64 m_nextId = 0;
    int m_nextGroup = 0;
    int m_batchTotal = 0;
    int m_batchFinished = 0;
    double m_secondsPerStepPerPixel = -1; // speed of the last steps, for the estimates
    bool m_busy = false;
    QString m_lastScoreNote;
    QString m_lastError;
    QString m_occupiedWhy;
};

} // namespace studio::ui
