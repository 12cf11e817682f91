#include "EngineSupport.h"

#include "RenderTypes.h"
#ifdef STUDIO_HAS_ENGINE
#include "EngineSettingsConversion.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QQueue>

#ifdef STUDIO_HAS_ENGINE
// The engine's torch-free facade only.
#include "engine/api/AestheticScorer.h"
#include "engine/api/Errors.h"
#include "engine/api/Generation.h"
#include "engine/api/MemoryEstimate.h"
#include "engine/api/ModelFolderApi.h"
#endif

namespace studio::ui {

namespace {

// Device Auto renders on CUDA when this build and computer have it.
bool rendersOnCuda(const EngineSettings &settings)
{
    return settings.device == RenderDevice::Cuda ||
           (settings.device == RenderDevice::Auto && EngineSupport::cudaAvailable());
}

#ifdef STUDIO_HAS_ENGINE
LighterChoice lighterChoice(engine::LighterSetting lighter)
{
    switch (lighter) {
    case engine::LighterSetting::ReleaseTextEncoder:
        return LighterChoice::ReleaseTextEncoder;
    case engine::LighterSetting::TextEncoderOnCpu:
        return LighterChoice::TextEncoderOnCpu;
    case engine::LighterSetting::TextEncoderInt8:
        return LighterChoice::TextEncoderInt8;
    case engine::LighterSetting::TextEncoderInt4:
        return LighterChoice::TextEncoderInt4;
    case engine::LighterSetting::UNetBlockOffload:
        return LighterChoice::UNetBlockOffload;
    case engine::LighterSetting::None:
        break;
    }
    return LighterChoice::None;
}
#endif

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

#ifdef STUDIO_HAS_ENGINE
// Why a model folder cannot be used, in the UI language: the engine's error kind picks the sentence, its detail
// (English, it names the file exactly) follows for the one who fixes the folder. `code` is -1 for a failure
// that is not an EngineError.
QString folderProblem(int code, const QString &detail)
{
    using Code = engine::EngineError::Code;
    switch (Code(code)) {
    case Code::MissingFile:
        //: %1 is the engine's detail, naming the missing file
        return QCoreApplication::translate("EngineSupport", "a file of the model is missing (%1)").arg(detail);
    case Code::Io:
        //: %1 is the engine's detail, naming the file
        return QCoreApplication::translate("EngineSupport", "a file cannot be read (%1)").arg(detail);
    case Code::BadFile:
    case Code::BadConfig:
    case Code::MissingWeight:
    case Code::UnexpectedWeight:
    case Code::ShapeMismatch:
    case Code::DtypeMismatch:
        //: %1 is the engine's detail, naming the file
        return QCoreApplication::translate("EngineSupport", "a file is damaged or not a Kolors file (%1)").arg(detail);
    case Code::Unsupported:
        //: %1 is the engine's detail, naming the file and what it asks for
        return QCoreApplication::translate("EngineSupport",
                                           "this model uses something Storyboard Studio cannot run (%1)")
            .arg(detail);
    case Code::OutOfMemory:
        //: %1 is the engine's detail
        return QCoreApplication::translate("EngineSupport", "there is not enough memory to read the model (%1)")
            .arg(detail);
    default:
        break;
    }
    //: %1 is the engine's detail
    return QCoreApplication::translate("EngineSupport", "the folder cannot be used (%1)").arg(detail);
}
#endif

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
        const engine::ModelFolderFacts facts =
            engine::checkKolorsModelFolder(QFile::encodeName(check.folder).toStdString());
        check.ok = true;
        check.layout = QString::fromStdString(facts.layout);
    } catch (const engine::EngineError &e) {
        check.message = folderProblem(int(e.code()), QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        check.message = folderProblem(-1, QString::fromStdString(e.what()));
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
    // The engine's hint (AestheticScorer::modelHint) is English for the CLI; the studio says it in the UI language.
    //: %1 and %2 are the predictor's repository names on Hugging Face and ModelScope
    return QCoreApplication::translate("EngineSupport",
                                       "download %1 (Hugging Face; ModelScope %2): config.json, "
                                       "preprocessor_config.json and pytorch_model.bin into one folder")
        .arg(QStringLiteral("shunk031/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE"),
             QStringLiteral("AI-ModelScope/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE"));
#else
    return unavailable();
#endif
}

MemoryFigures EngineSupport::estimateMemory(const EngineSettings &settings, int width, int height)
{
    return estimateMemory(settings, width, height, freeMemoryNow(rendersOnCuda(settings)));
}

MemoryFigures EngineSupport::estimateMemory(const EngineSettings &settings, int width, int height, FreeMemory free)
{
    MemoryFigures figures;
    figures.onCuda = rendersOnCuda(settings);
    figures.free = {free.ramBytes, figures.onCuda ? free.vramBytes : -1};
#ifdef STUDIO_HAS_ENGINE
    try {
        const engine::MemoryVerdict v = engine::memoryVerdict(toModelSettings(settings), figures.onCuda, width, height,
                                                              figures.free.ramBytes, figures.free.vramBytes);
        figures.ok = true;
        figures.privateBytes = v.asked.privateBytes;
        figures.residentBytes = v.asked.residentBytes;
        figures.vramBytes = v.asked.vramBytes;
        // A short known figure is a verdict even when another is unknown; "fits" needs every figure known.
        const bool known = figures.free.ramBytes >= 0 && (!figures.onCuda || figures.free.vramBytes >= 0);
        figures.fit = !v.fits ? MemoryFit::DoesNotFit : known ? MemoryFit::Fits : MemoryFit::Unknown;
        figures.textEncoderMovesToCpu = v.textEncoderMovesToCpu;
        figures.neededPrivateBytes = v.running.privateBytes;
        figures.neededVramBytes = v.running.vramBytes;
        for (engine::LighterSetting change : v.lighterChanges)
            figures.lighterChanges << lighterChoice(change);
        figures.lighterPrivateBytes = v.lighterEstimate.privateBytes;
        figures.lighterVramBytes = v.lighterEstimate.vramBytes;
    } catch (const engine::EngineError &e) {
        figures.problem = folderProblem(int(e.code()), QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        figures.problem = folderProblem(-1, QString::fromStdString(e.what()));
    }
#else
    Q_UNUSED(width)
    Q_UNUSED(height)
    figures.problem = unavailable();
#endif
    return figures;
}

FreeMemory EngineSupport::freeMemoryNow(bool onCuda)
{
    FreeMemory free;
#ifdef STUDIO_HAS_ENGINE
    free.ramBytes = engine::availableRamBytes();
    if (onCuda)
        free.vramBytes = engine::availableVramBytes();
#else
    Q_UNUSED(onCuda)
#endif
    return free;
}

} // namespace studio::ui
