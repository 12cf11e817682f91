#include "EngineSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QQueue>

#ifdef STUDIO_HAS_ENGINE
// Torch-free headers only (std types): the facade of the engine and its model-folder recogniser.
#include "engine/api/AestheticScorer.h"
#include "engine/api/Generation.h"
#include "engine/common/EngineError.h"
#include "engine/io/ModelFolder.h"
#endif

namespace studio::ui {

namespace {

QString unavailable()
{
    return QCoreApplication::translate("EngineSupport",
                                       "This build of Storyboard Studio has no rendering engine; install a build "
                                       "that renders to make images.");
}

// Folders below `root` (breadth first, at most `maxDepth` levels, a bounded number) that look like the top of
// a Kolors model: they hold model_index.json, or text_encoder/ and unet/, or DiffSynth's models/kolors/.
QStringList candidateFolders(const QString &root, int maxDepth)
{
    constexpr int kMaxVisited = 400; // a whole disk must not be walked by accident
    QStringList found;
    QQueue<QPair<QString, int>> queue;
    queue.enqueue({root, 0});
    int visited = 0;
    while (!queue.isEmpty() && visited < kMaxVisited) {
        const auto [dir, depth] = queue.dequeue();
        ++visited;
        const QDir d(dir);
        if (dir != root && (d.exists(QStringLiteral("model_index.json")) ||
                            (d.exists(QStringLiteral("text_encoder")) && d.exists(QStringLiteral("unet")))))
            found << dir;
        if (depth >= maxDepth)
            continue;
        const QFileInfoList children =
            d.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name | QDir::IgnoreCase);
        for (const QFileInfo &child : children) {
            const QString name = child.fileName();
            // Skip what never holds models and can be huge.
            if (name.startsWith(QLatin1Char('.')) || name == QLatin1String("node_modules") ||
                name == QLatin1String("venv") || name == QLatin1String("output") || name == QLatin1String("outputs"))
                continue;
            queue.enqueue({child.absoluteFilePath(), depth + 1});
        }
    }
    // Folders named like Kolors first: a ComfyUI tree may hold several diffusers models.
    std::stable_sort(found.begin(), found.end(), [](const QString &a, const QString &b) {
        const bool ka = QFileInfo(a).fileName().contains(QLatin1String("kolors"), Qt::CaseInsensitive);
        const bool kb = QFileInfo(b).fileName().contains(QLatin1String("kolors"), Qt::CaseInsensitive);
        return ka && !kb;
    });
    return found;
}

} // namespace

bool EngineSupport::renderingAvailable()
{
#ifdef STUDIO_HAS_ENGINE
    return true;
#else
    return false;
#endif
}

bool EngineSupport::cudaAvailable()
{
#ifdef STUDIO_HAS_ENGINE
    return engine::Generator::cudaAvailable();
#else
    return false;
#endif
}

ModelFolderCheck EngineSupport::checkKolorsFolder(const QString &dir)
{
    ModelFolderCheck check;
    check.folder = dir.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
#ifdef STUDIO_HAS_ENGINE
    if (dir.trimmed().isEmpty()) {
        check.message = QCoreApplication::translate("EngineSupport", "No Kolors model folder is set.");
        return check;
    }
    if (!QFileInfo(dir).isDir()) {
        check.message = QCoreApplication::translate("EngineSupport", "The folder “%1” does not exist.")
                            .arg(QDir::toNativeSeparators(dir));
        return check;
    }
    try {
        const engine::KolorsModelPaths paths = engine::locateKolorsModel(QFile::encodeName(check.folder).toStdString());
        check.ok = true;
        check.layout = QString::fromStdString(paths.layout);
    } catch (const engine::EngineError &e) {
        check.message = QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        check.message = QString::fromStdString(e.what());
    }
#else
    check.message = unavailable();
#endif
    return check;
}

ModelFolderCheck EngineSupport::findKolorsFolder(const QString &dir)
{
    const ModelFolderCheck direct = checkKolorsFolder(dir);
    if (direct.ok || !renderingAvailable() || !QFileInfo(dir).isDir())
        return direct;
    for (const QString &candidate : candidateFolders(direct.folder, 4)) {
        const ModelFolderCheck inner = checkKolorsFolder(candidate);
        if (inner.ok)
            return inner;
    }
    return direct;
}

bool EngineSupport::looksLikeAestheticFolder(const QString &dir, QString *why)
{
#ifdef STUDIO_HAS_ENGINE
    std::string reason;
    const bool ok = engine::AestheticScorer::looksLikeModelFolder(QFile::encodeName(dir).toStdString(), &reason);
    if (!ok && why)
        *why = QString::fromStdString(reason);
    return ok;
#else
    if (why)
        *why = unavailable();
    Q_UNUSED(dir)
    return false;
#endif
}

QString EngineSupport::aestheticModelHint()
{
#ifdef STUDIO_HAS_ENGINE
    return QString::fromStdString(engine::AestheticScorer::modelHint());
#else
    return unavailable();
#endif
}

} // namespace studio::ui
