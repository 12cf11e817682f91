#pragma once

#include "story/Project.h"

#include <QDateTime>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <QVector>

#include <memory>
#include <optional>

class QLockFile;

namespace studio::ui {

class StoryDocument;

// Crash protection: while the document has unsaved changes, writes it every interval into
// AppDataLocation/autosave/<sha1 of the project path>.json (or untitled-<uuid>.json), never over the user's
// file. The snapshot is taken on the UI thread (a few KiB of JSON) and written on a private one-thread pool.
// A lock file next to it tells other running instances the autosave is alive, so only the autosaves of
// crashed sessions are offered for recovery.
class AutosaveManager : public QObject
{
    Q_OBJECT
public:
    // An autosave found on disk.
    struct Candidate
    {
        QString autosavePath;
        QString projectPath; // empty for a story that was never saved
        QDateTime savedAt;
    };

    explicit AutosaveManager(StoryDocument *document, QObject *parent = nullptr);
    ~AutosaveManager() override;

    static QString autosaveDir();
    static QString autosavePathForProject(const QString &projectPath);

    void setInterval(int milliseconds);
    int interval() const { return m_timer.interval(); }
    QString currentPath() const { return m_path; }

    // Writes now when the document has changes not yet autosaved (asynchronously).
    void saveNow();
    // Blocks until pending writes are done (tests, shutdown).
    void waitForIdle();
    // Removes this document's autosave (after a clean save or close).
    void discard();

    // The autosave of `projectPath` when it is newer than the file and no running instance owns it.
    static std::optional<Candidate> findForProject(const QString &projectPath);
    // Autosaves left behind by sessions that are no longer running, newest first.
    static QVector<Candidate> orphaned();
    static std::optional<story::Project> loadCandidate(const Candidate &candidate, QString *error);
    static void removeCandidate(const Candidate &candidate);

Q_SIGNALS:
    void saved(const QString &path);
    void failed(const QString &error);

private:
    void rebind();
    static std::optional<Candidate> readCandidate(const QString &autosavePath);
    static bool isOwnedByRunningInstance(const QString &autosavePath);

    StoryDocument *m_document;
    QTimer m_timer;
    QThreadPool m_pool;
    QString m_path;
    QString m_untitledKey;
    std::unique_ptr<QLockFile> m_lock;
    quint64 m_savedRevision = 0;
    bool m_fileWritten = false;
};

} // namespace studio::ui
