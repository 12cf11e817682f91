#include "RenderQueue.h"

#include "CharacterRenderSupport.h"
#include "EngineChoices.h"
#include "GenerationWorker.h"

#include "ui/AppSettings.h"
#include "ui/StoryDocument.h"

#include "story/PanelRender.h"
#include "story/ProjectPaths.h"
#include "story/SeedPolicy.h"
#include "story/StoryValidator.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QUndoStack>

namespace studio::ui {

RenderQueue::RenderQueue(StoryDocument *document, std::unique_ptr<RenderEngine> engine, QObject *parent)
    : QObject(parent), m_document(document), m_thread(new QThread)
{
    m_engineAvailable = engine->isAvailable();
    m_checkFolder = engine->folderCheck();
    m_thread->setObjectName(QStringLiteral("studio-render"));
    m_worker = new GenerationWorker(std::move(engine));
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &GenerationWorker::started, this, &RenderQueue::onStarted);
    connect(m_worker, &GenerationWorker::notice, this, &RenderQueue::onNotice);
    connect(m_worker, &GenerationWorker::progress, this, &RenderQueue::onProgress);
    connect(m_worker, &GenerationWorker::preview, this, &RenderQueue::onPreview);
    connect(m_worker, &GenerationWorker::finished, this, &RenderQueue::onFinished);
    connect(m_worker, &GenerationWorker::storyPanelFinished, this, &RenderQueue::onStoryPanelFinished);
    connect(m_worker, &GenerationWorker::failed, this, &RenderQueue::onFailed);
    connect(m_document, &StoryDocument::projectReplaced, this, &RenderQueue::onProjectReplaced);
    m_thread->start();
}

RenderQueue::~RenderQueue()
{
    // The running job returns at its next step; then the thread's event loop ends and the worker (with the
    // engine and its models) is deleted on its own thread.
    m_worker->cancelUpTo(m_nextId);
    m_thread.reset();
}

EngineSettings RenderQueue::engineSettings() const
{
    AppSettings *app = AppSettings::instance();
    const story::Project &project = m_document->project();
    EngineSettings s;
    // The model folder is this computer's (Settings ▸ Model); a story's own entry (a hint written for
    // `storyboard render`, or from another computer) serves only when none is set here.
    const QString machineFolder = app->get(Setting::DefaultModelFolder).toString().trimmed();
    s.modelDir = machineFolder.isEmpty() ? project.modelFolder.trimmed() : machineFolder;
    if (!project.lora.path.isEmpty()) {
        QString why; // loraProblem() reports it; a job never starts while there is one
        s.loraPath = story::StoryValidator::loraPath(project, m_document->projectDir(), &why);
        s.loraScale = project.lora.scale;
    }
    readEngineChoices([app](Setting key) { return app->get(key).toString(); }, &s);
    s.aestheticModelDir = app->get(Setting::AestheticModelFolder).toString().trimmed();
    return s;
}

QString RenderQueue::modelProblem() const
{
    if (!m_engineAvailable)
        return tr("Rendering is not available: this build of Storyboard Studio has no rendering engine. Everything "
                  "else works.");
    const QString dir = engineSettings().modelDir;
    if (dir.isEmpty())
        return tr("No Kolors model folder is set, so rendering cannot start. Choose the folder in Settings ▸ "
                  "Model…; that dialog also lists the files needed and where to get them.");
    const ModelFolderCheck check = m_checkFolder(dir);
    if (!check.ok)
        return tr("The Kolors model folder “%1” cannot be used: %2\n\nChoose another folder in Settings ▸ Model….")
            .arg(QDir::toNativeSeparators(dir), check.message);
    return loraProblem();
}

QString RenderQueue::loraProblem() const
{
    const story::Project &project = m_document->project();
    QString why;
    if (project.lora.path.isEmpty() ||
        !story::StoryValidator::loraPath(project, m_document->projectDir(), &why).isEmpty())
        return {};
    return describe({RenderError::Code::BadLora, QStringLiteral("%1: %2").arg(project.lora.path, why)}, -1);
}

bool RenderQueue::needsSave() const
{
    return m_document->filePath().isEmpty();
}

QList<int> RenderQueue::queuedPanels() const
{
    QList<int> panels;
    for (const Entry &e : m_queue)
        panels << (e.storyPanels.isEmpty() ? QList<int>{e.panel} : e.storyPanels);
    return panels;
}

bool RenderQueue::renderAll(QString *why)
{
    QString problem = m_occupiedWhy.isEmpty() ? modelProblem() : m_occupiedWhy;
    if (problem.isEmpty() && needsSave())
        problem = tr("Save the story first: rendered images are stored in the story's folder.");
    if (!problem.isEmpty()) {
        if (why)
            *why = problem;
        return false;
    }
    if (m_document->project().character.consistent) {
        // Consistent characters: one story job, the identity panels first.
        QList<int> panels;
        for (int panel = 0; panel < story::kPanelCount; ++panel) {
            if (!m_document->project().effectivePrompt(panel).isEmpty() && !isRunning(panel) &&
                !queuedPanels().contains(panel))
                panels << panel;
        }
        if (panels.isEmpty()) {
            if (why)
                *why = tr("No panel to render: every panel with a prompt is already queued, or no panel has a "
                          "prompt.");
            return false;
        }
        return enqueueStory(panels, why);
    }
    int added = 0;
    for (int panel = 0; panel < story::kPanelCount; ++panel) {
        if (m_document->project().effectivePrompt(panel).isEmpty() || isRunning(panel) ||
            queuedPanels().contains(panel))
            continue;
        m_queue.append({panel, Kind::Render});
        m_document->setPanelState(panel, PanelState::Queued);
        ++added;
    }
    if (added == 0) {
        if (why)
            *why = tr("No panel to render: every panel with a prompt is already queued, or no panel has a prompt.");
        return false;
    }
    if (!m_current && m_batchFinished == m_batchTotal) {
        m_batchTotal = 0;
        m_batchFinished = 0;
    }
    m_batchTotal += added;
    setBusy(true);
    Q_EMIT progressChanged();
    startNext();
    return true;
}

bool RenderQueue::renderPanel(int panel, Kind kind, QString *why)
{
    // With consistent characters a panel is drawn inside its story (seeds follow panel 1's: seed + panel).
    if (StoryDocument::isValidPanel(panel) && m_document->project().character.consistent)
        return enqueueStory({panel}, why);
    Entry entry;
    entry.panel = panel;
    entry.kind = kind;
    return enqueue({entry}, why);
}

bool RenderQueue::renderVariants(int panel, int count, QString *why)
{
    if (count < 1 || count > kMaxVariants) {
        if (why)
            *why = tr("Choose between 1 and %1 variants.").arg(kMaxVariants);
        return false;
    }
    if (!StoryDocument::isValidPanel(panel))
        return enqueue({Entry{panel}}, why); // says why
    const qint64 seed = m_document->project().panels[size_t(panel)].seed;
    const int group = ++m_nextGroup;
    QList<Entry> entries;
    for (int i = 0; i < count; ++i) {
        Entry entry;
        entry.panel = panel;
        entry.seed = (seed + i) % (story::kMaxSeed + 1); // A1111's batch count: seed, seed + 1, ...
        entry.refine.batchIndex = count > 1 ? i : -1;
        entry.group = group;
        entries.append(entry);
    }
    return enqueue(entries, why);
}

bool RenderQueue::refinePanel(int panel, const RefineParams &refine, QString *why)
{
    Entry entry;
    entry.panel = panel;
    entry.refine = refine; // img2img: startNext() turns the hires fix off, the image keeps the panel's size
    return enqueue({entry}, why);
}

bool RenderQueue::enqueue(const QList<Entry> &entries, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    const int panel = entries.isEmpty() ? -1 : entries.first().panel;
    if (!StoryDocument::isValidPanel(panel))
        return refuse(tr("There is no panel %1.").arg(panel + 1));
    QString problem = m_occupiedWhy.isEmpty() ? modelProblem() : m_occupiedWhy;
    if (problem.isEmpty() && needsSave())
        problem = tr("Save the story first: rendered images are stored in the story's folder.");
    if (!problem.isEmpty())
        return refuse(problem);
    if (m_document->project().effectivePrompt(panel).isEmpty())
        return refuse(tr("Panel %1 has no prompt yet.", "storyboard panel").arg(panel + 1));
    if (!CharacterRenderSupport::ipAdapterFiles(*m_document, &problem))
        return refuse(problem);
    if (queuedPanels().contains(panel))
        return refuse(tr("Panel %1 is already in the queue.", "storyboard panel").arg(panel + 1));
    if (!m_current && m_batchFinished == m_batchTotal) {
        m_batchTotal = 0;
        m_batchFinished = 0;
    }
    m_queue.append(entries);
    m_batchTotal += int(entries.size());
    if (runningPanel() != panel)
        m_document->setPanelState(panel, PanelState::Queued);
    setBusy(true);
    Q_EMIT progressChanged();
    startNext();
    return true;
}

bool RenderQueue::enqueueStory(const QList<int> &panels, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    QString problem = m_occupiedWhy.isEmpty() ? modelProblem() : m_occupiedWhy;
    if (problem.isEmpty() && needsSave())
        problem = tr("Save the story first: rendered images are stored in the story's folder.");
    if (!problem.isEmpty())
        return refuse(problem);
    QStringList notes;
    const std::optional<StoryParams> params = CharacterRenderSupport::storyParams(*m_document, panels, &problem, &notes);
    if (!params)
        return refuse(problem);
    for (int panel : params->plan.requested) {
        if (queuedPanels().contains(panel) || isRunning(panel))
            return refuse(tr("Panel %1 is already in the queue.", "storyboard panel").arg(panel + 1));
    }
    if (!m_current && m_batchFinished == m_batchTotal) {
        m_batchTotal = 0;
        m_batchFinished = 0;
    }
    Entry entry;
    entry.panel = params->plan.requested.constFirst();
    entry.storyPanels = params->plan.requested;
    m_queue.append(entry);
    m_batchTotal += int(entry.storyPanels.size());
    for (int panel : std::as_const(entry.storyPanels))
        m_document->setPanelState(panel, PanelState::Queued);
    Q_EMIT message(notes.join(QLatin1Char(' ')));
    setBusy(true);
    Q_EMIT progressChanged();
    startNext();
    return true;
}

bool RenderQueue::startStory(const Entry &entry)
{
    // The settings of this moment: the story may have changed while the job waited.
    QString why;
    QStringList notes;
    std::optional<StoryParams> params =
        m_document->projectDir().isEmpty()
            ? std::nullopt
            : CharacterRenderSupport::storyParams(*m_document, entry.storyPanels, &why, &notes);
    if (!params) {
        m_lastError = why.isEmpty() ? tr("Save the story first: rendered images are stored in the story's folder.")
                                    : why;
        for (int panel : entry.storyPanels) {
            ++m_batchFinished;
            m_document->setPanelState(panel, PanelState::Failed);
            Q_EMIT panelFailed(panel, m_lastError);
        }
        return false;
    }
    const story::StoryRenderPlan &plan = params->plan;
    GenerationJob job;
    job.id = ++m_nextId;
    job.panel = plan.requested.constFirst();
    job.settings = engineSettings();
    job.previewEvery = 0; // lockstep panels: no single preview to show
    ImageTarget target;
    target.projectDir = m_document->projectDir();
    target.project = m_document->project();
    job.target = target;
    job.story = *params;

    Running running;
    running.id = job.id;
    running.panel = job.panel;
    running.seed = plan.storySeed + job.panel;
    running.steps = plan.steps;
    running.pixels = qint64(plan.width) * plan.height * plan.panelsToRun().size();
    running.projectDir = target.projectDir;
    running.storyPanels = plan.requested;
    // Panels added because their identity image was out of date join the job's count.
    m_batchTotal += int(plan.requested.size() - entry.storyPanels.size());
    m_current = running;
    for (int panel : plan.requested)
        m_document->setPanelState(panel, PanelState::Running);
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job] { worker->run(job); }, Qt::QueuedConnection);
    Q_EMIT panelStarted(job.panel, running.seed);
    if (!plan.rerunIdentity.isEmpty())
        Q_EMIT message(notes.join(QLatin1Char(' ')));
    Q_EMIT progressChanged();
    return true;
}

bool RenderQueue::isRunning(int panel) const
{
    return m_current && !m_current->discard && (m_current->panel == panel || m_current->storyPanels.contains(panel));
}

bool RenderQueue::cancelPanel(int panel)
{
    // One click cancels everything of the panel: its queued jobs and the one running (a regenerate queued
    // behind its own render included).
    bool cancelled = false;
    QList<int> dropped;
    for (int i = int(m_queue.size()); i-- > 0;) {
        const Entry &e = m_queue[i];
        const QList<int> panels = e.storyPanels.isEmpty() ? QList<int>{e.panel} : e.storyPanels;
        if (!panels.contains(panel))
            continue;
        // A story job is one job: cancelling one of its panels cancels it.
        dropped << panels;
        m_batchFinished += int(panels.size());
        m_queue.removeAt(i);
        cancelled = true;
    }
    for (int p : std::as_const(dropped)) {
        if (!isRunning(p))
            m_document->setPanelState(p, PanelState::Cancelled);
    }
    if (isRunning(panel) && !m_current->stopping) { // a story job stops as a whole
        m_current->stopping = true;
        m_worker->cancelUpTo(m_current->id);
        cancelled = true;
    }
    if (cancelled)
        Q_EMIT progressChanged();
    return cancelled;
}

void RenderQueue::dropQueue()
{
    for (const Entry &e : std::as_const(m_queue)) {
        for (int panel : e.storyPanels.isEmpty() ? QList<int>{e.panel} : e.storyPanels) {
            if (!isRunning(panel))
                m_document->setPanelState(panel, PanelState::Cancelled);
            ++m_batchFinished;
        }
    }
    m_queue.clear();
}

void RenderQueue::stopNow()
{
    dropQueue();
    if (m_current && !m_current->stopping) {
        m_current->stopping = true;
        m_worker->cancelUpTo(m_current->id);
        Q_EMIT message(tr("Stopping panel %1…", "storyboard panel").arg(m_current->panel + 1));
    }
    Q_EMIT progressChanged();
    if (!m_current)
        setBusy(false);
}

void RenderQueue::stopAfterCurrent()
{
    dropQueue();
    if (m_current)
        Q_EMIT message(
            tr("The queue was cleared; panel %1 finishes first.", "storyboard panel").arg(m_current->panel + 1));
    Q_EMIT progressChanged();
    if (!m_current)
        setBusy(false);
}

void RenderQueue::onProjectReplaced()
{
    // Another story was opened: nothing of the old one may land in it.
    m_queue.clear();
    if (m_current) {
        m_current->discard = true;
        m_current->stopping = true;
        m_worker->cancelUpTo(m_current->id);
    }
    m_batchTotal = m_batchFinished = 0;
    Q_EMIT progressChanged();
    if (!m_current)
        setBusy(false);
}

void RenderQueue::startNext()
{
    while (!m_current && !m_queue.isEmpty()) {
        const Entry entry = m_queue.takeFirst();
        const story::Project &project = m_document->project();
        const story::Panel &panel = project.panels[size_t(entry.panel)];

        const QString loraIssue = loraProblem();
        if (!loraIssue.isEmpty()) {
            // The LoRA went missing (or was changed to a bad path) while panels waited: stop, do not render
            // without it.
            m_lastError = loraIssue;
            for (int failed : entry.storyPanels.isEmpty() ? QList<int>{entry.panel} : entry.storyPanels) {
                ++m_batchFinished;
                m_document->setPanelState(failed, PanelState::Failed);
                Q_EMIT panelFailed(failed, m_lastError);
            }
            dropQueue();
            Q_EMIT modelFailed(m_lastError);
            continue;
        }
        if (!entry.storyPanels.isEmpty()) {
            startStory(entry);
            continue;
        }

        GenerationJob job;
        job.id = ++m_nextId;
        job.panel = entry.panel;
        job.settings = engineSettings();
        // The request `storyboard render` makes for this panel too; the studio only picks another seed (a
        // regenerate, a batch) and runs img2img at the panel's size.
        static_cast<story::PanelRenderSettings &>(job.params) = story::PanelRender::settingsFor(project, entry.panel);
        if (entry.seed)
            job.params.seed = *entry.seed;
        else if (entry.kind == Kind::Regenerate)
            job.params.seed = story::nextSeed(panel.seed, panel.seedMode, *QRandomGenerator::global());
        job.params.refine = entry.refine;
        if (!entry.refine.initImagePath.isEmpty())
            job.params.hires.enabled = false;
        job.previewEvery = GenerationWorker::previewInterval(panel.steps);
        QString referenceProblem;
        if (const auto files = CharacterRenderSupport::ipAdapterFiles(*m_document, &referenceProblem)) {
            job.params.ipAdapter = *files;
        } else {
            // The reference image went missing while the panel waited: do not draw without it.
            ++m_batchFinished;
            m_document->setPanelState(entry.panel, PanelState::Failed);
            m_lastError = referenceProblem;
            Q_EMIT panelFailed(entry.panel, m_lastError);
            continue;
        }
        if (job.params.prompt.isEmpty() || m_document->projectDir().isEmpty()) {
            // The prompt was erased while the panel waited (an untitled story never gets here: it is saved first).
            ++m_batchFinished;
            m_document->setPanelState(entry.panel, PanelState::Failed);
            m_lastError = job.params.prompt.isEmpty()
                              ? tr("Panel %1 has no prompt yet.", "storyboard panel").arg(entry.panel + 1)
                              : tr("Save the story first: rendered images are stored in the story's folder.");
            Q_EMIT panelFailed(entry.panel, m_lastError);
            continue;
        }
        ImageTarget target;
        target.projectDir = m_document->projectDir();
        target.relativePath =
            story::PanelRender::relativePathFor(entry.panel, job.params.seed, QDateTime::currentDateTimeUtc());
        target.project = project;
        target.panel = entry.panel;
        job.target = target;

        Running running;
        running.id = job.id;
        running.panel = entry.panel;
        running.kind = entry.kind;
        running.group = entry.group;
        running.seed = job.params.seed;
        running.steps = job.params.steps;
        running.pixels = qint64(job.params.width) * job.params.height;
        running.projectDir = target.projectDir;
        m_current = running;
        m_document->setPanelState(entry.panel, PanelState::Running);
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, job] { worker->run(job); }, Qt::QueuedConnection);
        Q_EMIT panelStarted(entry.panel, job.params.seed);
        Q_EMIT progressChanged();
    }
    if (!m_current && m_queue.isEmpty() && m_busy) {
        setBusy(false);
        Q_EMIT drained();
    }
}

void RenderQueue::finishCurrent(bool counted)
{
    m_current.reset();
    if (counted) // a job of a story that was closed belongs to no batch of the open one
        ++m_batchFinished;
    Q_EMIT progressChanged();
    startNext();
}

void RenderQueue::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void RenderQueue::onStarted(quint64 id)
{
    Q_UNUSED(id)
}

void RenderQueue::onNotice(quint64 id, const RenderNotice &notice)
{
    if (!isCurrent(id) || m_current->discard)
        return;
    const int panel = m_current->panel + 1;
    switch (notice.kind) {
    case RenderNotice::Kind::LoadingModel:
        Q_EMIT message(tr("Loading the Kolors model from “%1”…").arg(QDir::toNativeSeparators(notice.detail)));
        break;
    case RenderNotice::Kind::RetryingWithTiles:
        Q_EMIT message(tr("Panel %1 ran out of memory. Trying once more with tiled VAE decoding, which stays on "
                          "until the studio restarts (turn on “Tiled VAE decoding” in Settings ▸ Model to keep it).",
                          "storyboard panel")
                           .arg(panel));
        break;
    case RenderNotice::Kind::ScoreUnavailable:
        if (notice.detail != m_lastScoreNote) {
            m_lastScoreNote = notice.detail;
            Q_EMIT message(tr("No aesthetic score: %1").arg(notice.detail));
        }
        break;
    }
}

void RenderQueue::onProgress(quint64 id, int step, int steps, double secondsPerStep)
{
    if (!isCurrent(id) || m_current->stopping)
        return;
    m_current->step = step;
    m_current->steps = steps;
    if (secondsPerStep > 0 && m_current->pixels > 0)
        m_secondsPerStepPerPixel = secondsPerStep / double(m_current->pixels);
    Q_EMIT panelProgress(m_current->panel, step, steps);
    Q_EMIT progressChanged();
}

void RenderQueue::onPreview(quint64 id, const QImage &image)
{
    if (!isCurrent(id) || m_current->stopping)
        return;
    Q_EMIT panelPreview(m_current->panel, image);
}

void RenderQueue::acceptImage(int panel, Kind kind, int group, const QString &jobDir,
                              const GenerationOutcome &outcome)
{
    // Even after "Stop now" a finished image is kept: the work is done and the file is written.
    story::PanelVariant variant = outcome.variant;
    const QString projectDir = m_document->projectDir();
    if (!projectDir.isEmpty() && QDir(projectDir) != QDir(jobDir)) {
        // Saved under another folder meanwhile: the image follows the story.
        QString why;
        const QString from = story::ProjectPaths::resolveInside(jobDir, variant.path, &why);
        const QString to = story::ProjectPaths::resolveInside(projectDir, variant.path, &why);
        if (!to.isEmpty() && !QFileInfo::exists(to)) {
            QDir().mkpath(QFileInfo(to).absolutePath());
            QFile::copy(from, to);
        }
    }
    QUndoStack *stack = m_document->undoStack();
    const qint64 oldSeed = m_document->project().panels[size_t(panel)].seed;
    m_document->breakMerge();
    if (kind == Kind::Regenerate && oldSeed != outcome.seed) {
        // One undo step gives back both the seed and the image the panel had.
        //: undo text; %1 is the panel number 1..8
        stack->beginMacro(tr("Regenerate panel %1", "storyboard panel").arg(panel + 1));
        m_document->setPanelField(panel, PanelField::Seed, QVariant::fromValue<qint64>(outcome.seed));
        m_document->addVariant(panel, variant, true);
        stack->endMacro();
    } else {
        m_document->addVariant(panel, variant, true, group);
    }
    m_document->breakMerge();
    m_document->setPanelState(panel, PanelState::Done);
    Q_EMIT panelFinished(panel, outcome);
}

void RenderQueue::onFinished(quint64 id, const GenerationOutcome &outcome)
{
    if (!isCurrent(id))
        return;
    const Running job = *m_current;
    if (job.discard) {
        finishCurrent(/*counted=*/false);
        return;
    }
    if (!job.storyPanels.isEmpty()) {
        // Every panel of the story job was counted as it came in.
        finishCurrent(/*counted=*/false);
        return;
    }
    acceptImage(job.panel, job.kind, job.group, job.projectDir, outcome);
    finishCurrent();
}

void RenderQueue::onStoryPanelFinished(quint64 id, const GenerationOutcome &outcome)
{
    if (!isCurrent(id) || m_current->discard || !m_current->storyPanels.contains(outcome.panel))
        return;
    m_current->storyDone << outcome.panel;
    ++m_batchFinished;
    acceptImage(outcome.panel, Kind::Render, 0, m_current->projectDir, outcome);
    // The progress follows the next panel the job still owes.
    for (int panel : std::as_const(m_current->storyPanels)) {
        if (!m_current->storyDone.contains(panel)) {
            m_current->panel = panel;
            break;
        }
    }
    Q_EMIT progressChanged();
}

void RenderQueue::onFailed(quint64 id, const RenderError &error)
{
    if (!isCurrent(id))
        return;
    const Running job = *m_current;
    if (job.discard) {
        finishCurrent(/*counted=*/false);
        return;
    }
    if (!job.storyPanels.isEmpty()) {
        // A story job fails (or stops) as a whole: every panel not yet in keeps the image it had.
        const bool cancelled = error.code == RenderError::Code::Cancelled;
        if (!cancelled)
            m_lastError = describe(error, job.panel);
        for (int panel : job.storyPanels) {
            if (job.storyDone.contains(panel))
                continue;
            ++m_batchFinished;
            m_document->setPanelState(panel, cancelled ? PanelState::Cancelled : PanelState::Failed);
            if (!cancelled)
                Q_EMIT panelFailed(panel, m_lastError);
        }
        if (cancelled)
            Q_EMIT message(tr("The story render was cancelled."));
        else if (error.isModelProblem()) {
            dropQueue();
            Q_EMIT modelFailed(m_lastError);
        }
        finishCurrent(/*counted=*/false);
        return;
    }
    if (error.code == RenderError::Code::Cancelled) {
        // The panel keeps the image it had.
        m_document->setPanelState(job.panel, PanelState::Cancelled);
        Q_EMIT message(tr("Panel %1 was cancelled.", "storyboard panel").arg(job.panel + 1));
    } else {
        m_lastError = describe(error, job.panel);
        m_document->setPanelState(job.panel, PanelState::Failed);
        Q_EMIT panelFailed(job.panel, m_lastError);
        if (error.isModelProblem()) {
            dropQueue(); // every other panel would fail the same way
            Q_EMIT modelFailed(m_lastError);
        }
    }
    finishCurrent();
}

RenderQueue::Progress RenderQueue::progress() const
{
    Progress p;
    p.total = m_batchTotal;
    p.finished = m_batchFinished;
    double runningFraction = 0;
    double secondsLeft = 0;
    bool known = m_secondsPerStepPerPixel > 0;
    if (m_current) {
        p.panel = m_current->panel;
        p.step = m_current->step;
        p.steps = m_current->steps > 0 ? m_current->steps : 0;
        if (p.steps > 0)
            runningFraction = double(p.step) / p.steps;
        if (known) {
            const int stepsLeft = qMax(0, m_current->steps - m_current->step);
            p.panelSecondsLeft = stepsLeft * m_secondsPerStepPerPixel * double(m_current->pixels);
            secondsLeft += p.panelSecondsLeft;
        }
    }
    if (known) {
        const story::Project &project = m_document->project();
        for (const Entry &e : m_queue) {
            const story::Panel &panel = project.panels[size_t(e.panel)];
            secondsLeft += panel.steps * m_secondsPerStepPerPixel * double(panel.width) * panel.height;
        }
        p.storySecondsLeft = secondsLeft;
    }
    if (p.total > 0)
        p.storyFraction = qBound(0.0, (p.finished + runningFraction) / p.total, 1.0);
    return p;
}

QString RenderQueue::describe(const RenderError &error, int panel)
{
    const int n = panel + 1;
    switch (error.code) {
    case RenderError::Code::Unavailable:
        return tr("Rendering is not available: this build of Storyboard Studio has no engine.");
    case RenderError::Code::NoModel:
        return tr("No Kolors model folder is set. Choose one in Settings ▸ Model….");
    case RenderError::Code::MissingFile:
        return tr("The Kolors model folder is incomplete: %1\n\nChoose a complete folder in Settings ▸ Model….")
            .arg(error.detail);
    case RenderError::Code::BadModel:
        return tr("A file of the Kolors model is damaged or is not a Kolors file: %1\n\nDownload it again or choose "
                  "another folder in Settings ▸ Model….")
            .arg(error.detail);
    case RenderError::Code::BadLora:
        return tr("The story's LoRA cannot be used: %1\n\nChoose another LoRA file (or none) in the story settings.")
            .arg(error.detail);
    case RenderError::Code::OutOfMemory:
        return tr("Panel %1 does not fit into memory. In Settings ▸ Model choose int8 or int4 text encoder "
                  "weights, run the text encoder on the CPU, turn on “Release the text encoder before sampling” "
                  "and “Tiled VAE decoding”, or choose a smaller image size; the estimate there shows what the "
                  "choices need.\n\n(%2)",
                  "storyboard panel")
            .arg(n)
            .arg(error.detail);
    case RenderError::Code::BadArgument:
        return tr("Panel %1 cannot be rendered with its settings: %2", "storyboard panel").arg(n).arg(error.detail);
    case RenderError::Code::Cancelled:
        return tr("Panel %1 was cancelled.", "storyboard panel").arg(n);
    case RenderError::Code::Io:
        return tr("The image of panel %1 could not be saved: %2", "storyboard panel").arg(n).arg(error.detail);
    case RenderError::Code::Unsupported:
        return tr("The chosen device cannot be used: %1\n\nChoose “Automatic” or “CPU” in Settings ▸ Model….")
            .arg(error.detail);
    case RenderError::Code::Internal:
        break;
    }
    return tr("Panel %1 failed: %2", "storyboard panel").arg(n).arg(error.detail);
}

} // namespace studio::ui
