#include "TrainingPage.h"

#include "LossChart.h"
#include "TrainingDataPanel.h"
#include "TrainingSettingsForm.h"
#include "TrainingWorker.h"

#include "story/ProjectPaths.h"
#include "ui/StoryDocument.h"
#include "ui/render/GenerationWorker.h"
#include "ui/render/RenderQueue.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>

namespace studio::ui {

TrainingPage::TrainingPage(StoryDocument *document, RenderQueue *queue, QWidget *parent)
    : QWidget(parent), m_document(document), m_queue(queue), m_data(new TrainingDataPanel),
      m_settings(new TrainingSettingsForm), m_settingsBox(new QGroupBox), m_startButton(new QPushButton),
      m_stopButton(new QPushButton), m_resumeButton(new QPushButton), m_progress(new QProgressBar),
      m_status(new QLabel), m_chart(new LossChart), m_samplesBox(new QGroupBox), m_samples(new QListWidget),
      m_useButton(new QPushButton)
{
    setObjectName(QStringLiteral("trainingPage"));
    auto *settingsLayout = new QVBoxLayout(m_settingsBox);
    settingsLayout->addWidget(m_settings);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_resumeButton);
    buttons->addStretch();
    settingsLayout->addLayout(buttons);

    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("trainingStatus"));
    m_samples->setViewMode(QListView::IconMode);
    m_samples->setIconSize(QSize(96, 96));
    m_samples->setFlow(QListView::LeftToRight);
    m_samples->setWrapping(false);
    m_samples->setFixedHeight(132);
    auto *samplesLayout = new QVBoxLayout(m_samplesBox);
    samplesLayout->addWidget(m_samples);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_settingsBox);
    rightLayout->addWidget(m_progress);
    rightLayout->addWidget(m_status);
    rightLayout->addWidget(m_chart, 1);
    rightLayout->addWidget(m_samplesBox);
    rightLayout->addWidget(m_useButton);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_data);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(splitter);

    // The worker joins the render worker on its thread: one job at a time, renders and training alike.
    m_worker = new TrainingWorker;
    if (m_queue && m_queue->worker())
        m_worker->moveToThread(m_queue->worker()->thread());
    connect(m_worker, &TrainingWorker::stage, this, &TrainingPage::onStage);
    connect(m_worker, &TrainingWorker::progress, this, &TrainingPage::onProgress);
    connect(m_worker, &TrainingWorker::sample, this, &TrainingPage::onSample);
    connect(m_worker, &TrainingWorker::checkpoint, this, &TrainingPage::onCheckpoint);
    connect(m_worker, &TrainingWorker::finished, this, &TrainingPage::onFinished);
    connect(m_worker, &TrainingWorker::failed, this, &TrainingPage::onFailed);
    if (m_queue) {
        connect(m_queue, &RenderQueue::busyChanged, this, [this](bool busy) {
            if (!busy && m_waiting)
                beginJob();
            updateControls();
        });
    }
    connect(m_startButton, &QPushButton::clicked, this, [this] {
        QString why;
        if (!start(&why))
            showStatus(why);
    });
    connect(m_resumeButton, &QPushButton::clicked, this, [this] {
        QString why;
        if (!resume(&why))
            showStatus(why);
    });
    connect(m_stopButton, &QPushButton::clicked, this, &TrainingPage::stop);
    connect(m_useButton, &QPushButton::clicked, this, [this] {
        QString why;
        showStatus(useAsStoryLora(&why) ? tr("The story now renders with %1.").arg(QFileInfo(m_lastLora).fileName())
                                        : why);
    });
    connect(m_data, &TrainingDataPanel::dataChanged, this, &TrainingPage::updateControls);
    connect(m_data, &TrainingDataPanel::loadFailed, this, &TrainingPage::showStatus);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &TrainingPage::stop);
    retranslate();
    updateControls();
}

TrainingPage::~TrainingPage()
{
    stop();
    if (m_queue)
        m_queue->setOccupied(QString());
    m_worker->deleteLater(); // on its thread, after the job it may still be finishing
}

void TrainingPage::retranslate()
{
    setWindowTitle(tr("Train LoRA"));
    m_settingsBox->setTitle(tr("Training settings"));
    m_startButton->setText(tr("Start training"));
    m_stopButton->setText(tr("Stop"));
    m_resumeButton->setText(tr("Resume"));
    m_samplesBox->setTitle(tr("Samples"));
    m_useButton->setText(tr("Use as the story's LoRA"));
    m_settings->retranslate();
    m_data->retranslate();
    m_chart->retranslate();
    if (!m_running && !m_waiting && m_status->text().isEmpty())
        m_status->setText(TrainingWorker::isAvailable() ? tr("Choose the training images, then start.")
                                                        : tr("This build of the studio has no engine: it cannot train."));
}

void TrainingPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

int TrainingPage::lossPointCount() const
{
    return m_chart->pointCount();
}

QString TrainingPage::modelDir() const
{
    if (!m_modelDir.isEmpty())
        return m_modelDir;
    return m_queue ? m_queue->engineSettings().modelDir : QString();
}

QString TrainingPage::outputPath() const
{
    if (!m_outputPath.isEmpty())
        return m_outputPath;
    QString dir = m_document->projectDir();
    dir = dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) : dir;
    return dir + QStringLiteral("/training/story-lora.ckpt");
}

QString TrainingPage::resumeStatePath() const
{
    const QFileInfo out(outputPath());
    return out.path() + QLatin1Char('/') + out.completeBaseName() + QStringLiteral(".resume.safetensors");
}

bool TrainingPage::start(QString *why)
{
    return launch(false, why);
}

bool TrainingPage::resume(QString *why)
{
    return launch(true, why);
}

bool TrainingPage::launch(bool resuming, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (!TrainingWorker::isAvailable())
        return refuse(tr("This build of the studio has no engine: it cannot train."));
    if (m_running || m_waiting)
        return refuse(tr("A training is already running."));
    if (m_data->isLoading())
        return refuse(tr("The images are still being read."));
    if (modelDir().isEmpty())
        return refuse(tr("Choose the Kolors model folder first (Settings → Model)."));
    double lr = 0;
    if (!m_settings->learningRate(&lr))
        return refuse(tr("The learning rate must be a positive number, such as 1e-4."));
    if (m_data->dataSet().trainableCount() == 0)
        return refuse(tr("No kept image with a caption: choose training images and give them captions."));
    if (resuming && !QFileInfo::exists(resumeStatePath()))
        return refuse(tr("There is no stopped run to resume (%1 does not exist).").arg(resumeStatePath()));

    TrainingJob job;
    m_settings->apply(&job);
    job.modelDir = modelDir();
    job.outputPath = outputPath();
    job.dataDir = QFileInfo(job.outputPath).path() + QStringLiteral("/data");
    job.resumeFrom = resuming ? resumeStatePath() : QString();
    job.dataPreparation = m_data->dataSet().preparationSummary();
    // A fresh train/ folder, so no image of an earlier selection lingers beside the new metadata.csv (a resumed
    // run needs exactly the data it started with: keep it).
    if (!resuming) {
        QDir(job.dataDir + QStringLiteral("/train")).removeRecursively();
        QStringList problems;
        QString error;
        if (!m_data->dataSet().writeTrainingFolder(job.dataDir, &problems, &error))
            return refuse(error);
        for (const QString &p : problems)
            showStatus(p);
    }
    m_pending = job;
    m_waiting = true;
    if (m_queue && m_queue->isBusy()) {
        showStatus(tr("Waiting for the render queue: training starts when the panels being rendered are done."));
        updateControls();
        return true;
    }
    beginJob();
    return true;
}

void TrainingPage::beginJob()
{
    m_waiting = false;
    m_pending.id = ++m_nextId;
    m_currentId = m_pending.id;
    if (m_pending.resumeFrom.isEmpty()) {
        m_chart->reset(m_pending.steps);
        m_samples->clear();
    }
    m_progress->setRange(0, m_pending.steps);
    setRunning(true);
    showStatus(tr("Starting…"));
    const TrainingJob job = m_pending;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, job] { worker->run(job); }, Qt::QueuedConnection);
    Q_EMIT trainingStarted();
}

void TrainingPage::stop()
{
    if (m_waiting) {
        m_waiting = false;
        showStatus(tr("Not started."));
        updateControls();
    }
    if (m_running) {
        m_worker->cancel(m_currentId);
        showStatus(tr("Stopping after this step (a checkpoint is written to resume from)…"));
    }
}

void TrainingPage::setRunning(bool running)
{
    m_running = running;
    if (m_queue)
        m_queue->setOccupied(running ? tr("A LoRA is being trained on the Train LoRA page: renders can start when "
                                          "it is done or stopped.")
                                     : QString());
    m_data->setLocked(running);
    m_settings->setEnabled(!running);
    updateControls();
}

void TrainingPage::updateControls()
{
    const bool idle = !m_running && !m_waiting;
    m_startButton->setEnabled(idle && TrainingWorker::isAvailable());
    m_resumeButton->setEnabled(idle && QFileInfo::exists(resumeStatePath()));
    m_stopButton->setEnabled(!idle);
    m_useButton->setEnabled(idle && !m_lastLora.isEmpty() && QFileInfo::exists(m_lastLora));
}

void TrainingPage::showStatus(const QString &text)
{
    m_status->setText(text);
}

void TrainingPage::onStage(quint64 id, const QString &stage)
{
    if (id == m_currentId)
        showStatus(tr("Stage: %1").arg(stage));
}

void TrainingPage::onProgress(quint64 id, const TrainingStep &s)
{
    if (id != m_currentId)
        return;
    m_progress->setRange(0, s.totalSteps);
    m_progress->setValue(s.step);
    m_chart->addStep(s.step, s.loss, s.smoothedLoss);
    showStatus(tr("Step %1 of %2 · loss %3 (smoothed %4) · %5 it/s · %6 s left")
                   .arg(s.step)
                   .arg(s.totalSteps)
                   .arg(s.loss, 0, 'f', 4)
                   .arg(s.smoothedLoss, 0, 'f', 4)
                   .arg(s.itPerSec, 0, 'f', 2)
                   .arg(qRound(s.etaSeconds)));
}

void TrainingPage::onSample(quint64 id, int step, const QImage &image)
{
    if (id != m_currentId)
        return;
    auto *item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(
                                         224, 224, Qt::KeepAspectRatio, Qt::SmoothTransformation))),
                                     tr("Step %1").arg(step));
    item->setToolTip(m_pending.samplePrompt);
    m_samples->addItem(item);
    m_samples->scrollToItem(item);
}

void TrainingPage::onCheckpoint(quint64 id, int step, const QString &lora, const QString &)
{
    if (id != m_currentId)
        return;
    m_lastLora = lora;
    showStatus(tr("Checkpoint of step %1 written: %2").arg(step).arg(QFileInfo(lora).fileName()));
}

void TrainingPage::onFinished(quint64 id, const TrainingOutcome &outcome)
{
    if (id != m_currentId)
        return;
    m_lastLora = outcome.loraPath;
    setRunning(false);
    const QString message =
        outcome.cancelled
            ? tr("Stopped after %1 steps; resume continues from there. LoRA so far: %2")
                  .arg(outcome.stepsDone)
                  .arg(QFileInfo(outcome.loraPath).fileName())
            : tr("Done: %1 steps, smoothed loss %2, %3 s per step. LoRA: %4")
                  .arg(outcome.stepsDone)
                  .arg(outcome.finalSmoothedLoss, 0, 'f', 4)
                  .arg(outcome.secondsPerStep, 0, 'f', 2)
                  .arg(QDir::toNativeSeparators(outcome.loraPath));
    showStatus(message);
    updateControls();
    Q_EMIT trainingEnded(!outcome.cancelled, message);
}

void TrainingPage::onFailed(quint64 id, const QString &message)
{
    if (id != m_currentId)
        return;
    setRunning(false);
    const QString text = tr("Training failed: %1").arg(message);
    showStatus(text);
    Q_EMIT trainingEnded(false, text);
}

bool TrainingPage::useAsStoryLora(QString *why)
{
    if (m_lastLora.isEmpty() || !QFileInfo::exists(m_lastLora)) {
        if (why)
            *why = tr("No trained LoRA yet.");
        return false;
    }
    const QString projectDir = m_document->projectDir();
    QString stored = story::ProjectPaths::relativeInside(projectDir, m_lastLora);
    if (stored.isEmpty())
        stored = QDir::cleanPath(QFileInfo(m_lastLora).absoluteFilePath());
    m_document->breakMerge();
    m_document->setStoryField(StoryField::LoraPath, stored);
    m_document->breakMerge();
    return true;
}

} // namespace studio::ui
