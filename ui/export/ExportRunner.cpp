#include "ExportRunner.h"

#include "story/StoryExporter.h"

#include <QtConcurrent/QtConcurrentRun>

#ifdef STUDIO_HAS_ENGINE
#include "bridge/EngineLoraFacts.h"
#endif

namespace studio::ui {

ExportRunner::ExportRunner(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        Q_EMIT finished(outcome.ok, outcome.dir, outcome.error, outcome.warnings);
    });
}

ExportRunner::~ExportRunner()
{
    m_watcher.waitForFinished(); // the task reports through `this`
}

bool ExportRunner::isRunning() const
{
    return m_watcher.isRunning();
}

bool ExportRunner::start(const story::Project &project, const QString &projectDir, const ExportChoices &choices,
                         const std::optional<story::LoraCard::AestheticScores> &aesthetic)
{
    if (isRunning())
        return false;
    m_watcher.setFuture(QtConcurrent::run([this, project, projectDir, choices, aesthetic] {
        story::ExportOptions options;
        options.aestheticScores = aesthetic;
        options.comic = choices.comic;
        options.visibleLabel = choices.labelSubmission;
        options.visibleLabelText = choices.labelText;
#ifdef STUDIO_HAS_ENGINE
        options.completeLoraFacts = bridge::completeLoraFacts;
#endif
        // Emitted from the export thread: queued to the receivers on the GUI thread.
        options.progress = [this](int step, int steps, const QString &) {
            Q_EMIT progress(step, steps);
            return true;
        };
        story::ExportReport report;
        Outcome outcome;
        outcome.dir = choices.dir;
        outcome.ok =
            story::StoryExporter::exportStory(project, projectDir, choices.dir, options, &report, &outcome.error);
        outcome.warnings = report.warnings;
        return outcome;
    }));
    return true;
}

} // namespace studio::ui
