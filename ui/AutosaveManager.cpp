#include "AutosaveManager.h"

#include "AppSettings.h"
#include "StoryDocument.h"

#include "story/ProjectFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace studio::ui {

namespace {
Q_LOGGING_CATEGORY(lcAutosave, "studio.ui.autosave")

const QString kFormat = QStringLiteral("storyboard-studio-autosave");
constexpr int kFormatVersion = 1;
constexpr qint64 kMaxAutosaveSize = 64 * 1024 * 1024;

QString lockPathFor(const QString &autosavePath)
{
    return autosavePath + QStringLiteral(".lock");
}

QString normalizedProjectPath(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

std::optional<QJsonObject> readWrapper(const QString &autosavePath, QString *error)
{
    QFile file(autosavePath);
    if (file.size() > kMaxAutosaveSize || !file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("studio::ui::AutosaveManager", "Cannot read the autosave “%1”.")
                         .arg(QDir::toNativeSeparators(autosavePath));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError || root.value(QStringLiteral("format")).toString() != kFormat ||
        !root.value(QStringLiteral("project")).isObject()) {
        if (error)
            *error = QCoreApplication::translate("studio::ui::AutosaveManager", "The autosave “%1” is damaged.")
                         .arg(QDir::toNativeSeparators(autosavePath));
        return std::nullopt;
    }
    return root;
}
} // namespace

AutosaveManager::AutosaveManager(StoryDocument *document, QObject *parent)
    : QObject(parent), m_document(document), m_untitledKey(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_pool.setMaxThreadCount(1); // writes stay in order; a removal never races a late write
    m_pool.setObjectName(QStringLiteral("studio-autosave"));
    m_timer.setInterval(qMax(1, AppSettings::instance()->get(Setting::AutosaveIntervalSec).toInt()) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &AutosaveManager::saveNow);
    connect(m_document, &StoryDocument::filePathChanged, this, &AutosaveManager::rebind);
    connect(m_document, &StoryDocument::modifiedChanged, this, [this](bool modified) {
        // Saved, or undone back to the saved state: the file on disk is the truth again.
        if (!modified)
            discard();
    });
    rebind();
    m_timer.start();
}

AutosaveManager::~AutosaveManager()
{
    // The autosave file stays: it is removed only by discard(), i.e. a clean save or close. Leaving it
    // here is what makes recovery possible after a crash.
    m_pool.waitForDone();
}

QString AutosaveManager::autosaveDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QString AutosaveManager::autosavePathForProject(const QString &projectPath)
{
    const QByteArray hash =
        QCryptographicHash::hash(normalizedProjectPath(projectPath).toUtf8(), QCryptographicHash::Sha1).toHex();
    return autosaveDir() + QLatin1Char('/') + QString::fromLatin1(hash) + QStringLiteral(".json");
}

void AutosaveManager::setInterval(int milliseconds)
{
    m_timer.setInterval(qMax(1, milliseconds));
}

void AutosaveManager::rebind()
{
    const QString path = m_document->filePath().isEmpty()
                             ? autosaveDir() + QStringLiteral("/untitled-%1.json").arg(m_untitledKey)
                             : autosavePathForProject(m_document->filePath());
    if (path == m_path)
        return;
    if (m_fileWritten)
        discard();
    m_lock.reset();
    m_path = path;
    m_fileWritten = false;
    m_savedRevision = 0;

    QDir().mkpath(autosaveDir());
    m_lock = std::make_unique<QLockFile>(lockPathFor(m_path));
    m_lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (!m_lock->tryLock(0))
        qCWarning(lcAutosave) << "another running instance autosaves the same story:" << m_path;
}

void AutosaveManager::saveNow()
{
    if (!m_document->isModified() || m_document->revision() == m_savedRevision)
        return;
    m_savedRevision = m_document->revision();
    m_fileWritten = true;

    const QByteArray projectJson = story::ProjectFile::toJson(m_document->project());
    const QString projectPath = m_document->filePath();
    const QString target = m_path;
    m_pool.start([this, projectJson, projectPath, target] {
        QJsonObject root;
        root.insert(QStringLiteral("format"), kFormat);
        root.insert(QStringLiteral("version"), kFormatVersion);
        root.insert(QStringLiteral("projectPath"), projectPath);
        root.insert(QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        root.insert(QStringLiteral("project"), QJsonDocument::fromJson(projectJson).object());

        QString error;
        QDir().mkpath(QFileInfo(target).absolutePath());
        QSaveFile file(target);
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 ||
            !file.commit())
            error = file.errorString();
        // Back to the manager's thread; dropped if the manager is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, target, error] {
                if (error.isEmpty()) {
                    Q_EMIT saved(target);
                } else {
                    qCWarning(lcAutosave) << "autosave failed:" << target << error;
                    Q_EMIT failed(error);
                }
            },
            Qt::QueuedConnection);
    });
}

void AutosaveManager::waitForIdle()
{
    m_pool.waitForDone();
}

void AutosaveManager::discard()
{
    m_pool.waitForDone();
    if (!m_path.isEmpty())
        QFile::remove(m_path);
    m_fileWritten = false;
    m_savedRevision = m_document->revision();
}

bool AutosaveManager::isOwnedByRunningInstance(const QString &autosavePath)
{
    QLockFile lock(lockPathFor(autosavePath));
    lock.setStaleLockTime(0);
    if (lock.tryLock(0)) {
        lock.unlock();
        return false;
    }
    return lock.error() == QLockFile::LockFailedError;
}

std::optional<AutosaveManager::Candidate> AutosaveManager::readCandidate(const QString &autosavePath)
{
    const std::optional<QJsonObject> root = readWrapper(autosavePath, nullptr);
    if (!root)
        return std::nullopt;
    Candidate candidate;
    candidate.autosavePath = autosavePath;
    candidate.projectPath = root->value(QStringLiteral("projectPath")).toString();
    candidate.savedAt = QFileInfo(autosavePath).lastModified();
    return candidate;
}

std::optional<AutosaveManager::Candidate> AutosaveManager::findForProject(const QString &projectPath)
{
    const QString autosavePath = autosavePathForProject(projectPath);
    if (!QFileInfo::exists(autosavePath) || isOwnedByRunningInstance(autosavePath))
        return std::nullopt;
    std::optional<Candidate> candidate = readCandidate(autosavePath);
    if (!candidate)
        return std::nullopt;
    const QFileInfo projectFile(projectPath);
    if (projectFile.exists() && candidate->savedAt <= projectFile.lastModified()) {
        // Saved after the autosave was written: the autosave has nothing the file lacks.
        removeCandidate(*candidate);
        return std::nullopt;
    }
    return candidate;
}

QVector<AutosaveManager::Candidate> AutosaveManager::orphaned()
{
    QVector<Candidate> result;
    const QDir dir(autosaveDir());
    // A session that crashed before its first autosave leaves only its lock file: clear those.
    for (const QString &name : dir.entryList({QStringLiteral("*.json.lock")}, QDir::Files)) {
        const QString json = dir.filePath(name.chopped(5));
        if (!QFileInfo::exists(json) && !isOwnedByRunningInstance(json))
            QFile::remove(dir.filePath(name));
    }
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    for (const QString &name : files) {
        const QString path = dir.filePath(name);
        if (isOwnedByRunningInstance(path))
            continue;
        if (std::optional<Candidate> candidate = readCandidate(path))
            result.append(*candidate);
    }
    std::sort(result.begin(), result.end(),
              [](const Candidate &a, const Candidate &b) { return a.savedAt > b.savedAt; });
    return result;
}

std::optional<story::Project> AutosaveManager::loadCandidate(const Candidate &candidate, QString *error)
{
    const std::optional<QJsonObject> root = readWrapper(candidate.autosavePath, error);
    if (!root)
        return std::nullopt;
    const QByteArray projectJson = QJsonDocument(root->value(QStringLiteral("project")).toObject()).toJson();
    const QString projectDir =
        candidate.projectPath.isEmpty() ? QString() : QFileInfo(candidate.projectPath).absolutePath();
    return story::ProjectFile::fromJson(projectJson, projectDir, error);
}

void AutosaveManager::removeCandidate(const Candidate &candidate)
{
    QFile::remove(candidate.autosavePath);
}

} // namespace studio::ui
