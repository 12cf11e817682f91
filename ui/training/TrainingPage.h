#pragma once

#include "TrainingTypes.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QGroupBox;

namespace studio::ui {

class LossChart;
class RenderQueue;
class StoryDocument;
class TrainingDataPanel;
class TrainingSettingsForm;
class TrainingWorker;

// The Train LoRA page: the training images (TrainingDataPanel), the hyper-parameters, start / stop / resume, the
// live loss curve and the sample images, and "use as the story's LoRA". Training runs on the render worker's
// thread, so renders and training never run together: while the render queue is busy a start waits for it, and
// while training runs the queue refuses renders, saying why.
class TrainingPage : public QWidget
{
    Q_OBJECT
public:
    TrainingPage(StoryDocument *document, RenderQueue *queue, QWidget *parent = nullptr);
    ~TrainingPage() override; // stops a running training (it leaves a checkpoint to resume from)

    TrainingDataPanel *dataPanel() const { return m_data; }
    TrainingSettingsForm *settingsForm() const { return m_settings; }
    LossChart *lossChart() const { return m_chart; }
    int lossPointCount() const; // steps on the loss chart
    bool isTraining() const { return m_running; }
    bool isWaitingForRenders() const { return m_waiting; }
    QString lastLoraPath() const { return m_lastLora; }

    // The Kolors folder and the output file; by default the studio's model setting and
    // <story folder>/training/story-lora.ckpt (an untitled story: the application's data folder).
    void setModelDir(const QString &dir) { m_modelDir = dir; }
    QString modelDir() const;
    void setOutputPath(const QString &path) { m_outputPath = path; }
    QString outputPath() const;
    QString resumeStatePath() const; // where a run of outputPath() keeps its resume state

    // Each returns false with a translated reason when nothing starts.
    bool start(QString *why = nullptr);
    bool resume(QString *why = nullptr);
    void stop();
    // Makes the last trained LoRA the story's LoRA (one undoable step).
    bool useAsStoryLora(QString *why = nullptr);
    void retranslate();

Q_SIGNALS:
    void trainingStarted();
    void trainingEnded(bool ok, const QString &message); // finished, stopped or failed

protected:
    void changeEvent(QEvent *event) override;

private:
    bool launch(bool resuming, QString *why);
    void beginJob();
    void setRunning(bool running);
    void updateControls();
    void onStage(quint64 id, const QString &stage);
    void onProgress(quint64 id, const TrainingStep &step);
    void onSample(quint64 id, int step, const QImage &image);
    void onCheckpoint(quint64 id, int step, const QString &lora, const QString &state);
    void onFinished(quint64 id, const TrainingOutcome &outcome);
    void onFailed(quint64 id, const QString &message);
    void showStatus(const QString &text);

    StoryDocument *m_document;
    QPointer<RenderQueue> m_queue;
    TrainingWorker *m_worker = nullptr; // lives on the render worker's thread
    TrainingJob m_pending;
    quint64 m_nextId = 0;
    quint64 m_currentId = 0;
    bool m_running = false;
    bool m_waiting = false;
    QString m_modelDir, m_outputPath, m_lastLora;

    TrainingDataPanel *m_data;
    TrainingSettingsForm *m_settings;
    QGroupBox *m_settingsBox;
    QPushButton *m_startButton;
    QPushButton *m_stopButton;
    QPushButton *m_resumeButton;
    QProgressBar *m_progress;
    QLabel *m_status;
    LossChart *m_chart;
    QGroupBox *m_samplesBox;
    QListWidget *m_samples;
    QPushButton *m_useButton;
};

} // namespace studio::ui
