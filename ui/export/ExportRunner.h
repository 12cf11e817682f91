#pragma once

#include "ExportDialog.h"

#include "story/LoraCard.h"
#include "story/Project.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace studio::ui {

// Runs StoryExporter on a copy of the story in the background, so the story may be edited meanwhile; progress
// and the outcome arrive on the GUI thread. The destructor waits for a running export.
class ExportRunner : public QObject
{
    Q_OBJECT
public:
    explicit ExportRunner(QObject *parent = nullptr);
    ~ExportRunner() override;

    bool isRunning() const;
    // Starts exporting into choices.dir; false when an export is already running. `aesthetic`: the scores the
    // studio computed for the chosen images, for the LoRA card.
    bool start(const story::Project &project, const QString &projectDir, const ExportChoices &choices,
               const std::optional<story::LoraCard::AestheticScores> &aesthetic);

Q_SIGNALS:
    void progress(int step, int steps);
    void finished(bool ok, const QString &dir, const QString &error, const QStringList &warnings);

private:
    struct Outcome
    {
        bool ok = false;
        QString dir;
        QString error;
        QStringList warnings;
    };
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace studio::ui
