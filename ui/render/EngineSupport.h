#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace studio::ui {

struct EngineSettings;

// The outcome of looking at a Kolors model folder.
struct ModelFolderCheck
{
    bool ok = false;
    QString folder;  // the folder to use (may be a sub-folder of the one asked about), absolute
    QString layout;  // "kolors-diffusers" | "diffsynth" (the engine's names)
    QString message; // on failure: the engine's exact message (it names the missing file)
};

// Free memory to compare an estimate with: this computer's now (EngineSupport::freeMemoryNow), or given by a test.
struct FreeMemory
{
    qint64 ramBytes = -1;  // RAM a new allocation gets without swapping; -1: unknown
    qint64 vramBytes = -1; // GPU memory; -1: unknown (or no GPU)
};

// Whether the estimate fits the free memory (the engine's memoryVerdict, the rule its load refuses with).
enum class MemoryFit
{
    Unknown,    // a free figure it depends on is unknown: no verdict
    Fits,
    DoesNotFit, // a known free figure is too small
};

// A lighter setting (engine::LighterSetting), named in the UI by its Settings ▸ Model row.
enum class LighterChoice
{
    None,
    ReleaseTextEncoder,
    TextEncoderOnCpu,
    TextEncoderInt8,
    TextEncoderInt4,
    UNetBlockOffload,
};

// Peak memory of a render with given settings, worked out before loading from the model's configs, stored dtypes
// and file sizes (the engine's own estimate, the one its load refuses with), and whether it fits.
struct MemoryFigures
{
    bool ok = false;
    bool onCuda = false;      // the settings render on the GPU
    qint64 privateBytes = 0;  // host memory of the process itself: what must fit into free RAM
    qint64 residentBytes = 0; // with the pages of the mapped weight files, which the system can drop again
    qint64 vramBytes = 0;     // GPU memory (0 on the CPU)
    QString problem;          // when !ok: why there is no estimate, in the UI language

    FreeMemory free; // compared with (vramBytes -1 on the CPU)
    MemoryFit fit = MemoryFit::Unknown;
    bool textEncoderMovesToCpu = false; // fits because "Automatic" runs the text encoder on the CPU
    qint64 neededPrivateBytes = 0;      // what the verdict compared: as above, or with the text encoder moved
    qint64 neededVramBytes = 0;
    // When DoesNotFit: the first lighter setting that fits, with every earlier one it needs (the engine tries them
    // on top of each other); empty: none fits.
    QList<LighterChoice> lighterChanges;
    qint64 lighterPrivateBytes = 0; // their needs
    qint64 lighterVramBytes = 0;
};

// Questions the UI thread may ask about the engine of this build without a loaded model. Each answer is cheap
// (file checks only). Without the engine every check says that rendering is unavailable.
class EngineSupport
{
public:
    static bool renderingAvailable();
    static bool cudaAvailable();

    // Asks the engine (engine::checkKolorsModelFolder) whether `dir` is a Kolors folder: Kolors-diffusers, or DiffSynth's
    // models/kolors/Kolors (or models/). Nothing is copied; the folder is used where it is.
    static ModelFolderCheck checkKolorsFolder(const QString &dir);
    // Like checkKolorsFolder, but when `dir` itself is not a Kolors folder, also looks a few levels down for one
    // (a ComfyUI or A1111/Forge installation: models/diffusers/Kolors, models/Kolors, ...). On failure the
    // message is the engine's message about `dir` itself.
    static ModelFolderCheck findKolorsFolder(const QString &dir);

    // The aesthetic predictor (CLIP ViT-L/14 + linear head) folder: true when it has what the scorer loads.
    static bool looksLikeAestheticFolder(const QString &dir, QString *why);
    // Where to get the predictor files (the engine's own hint).
    static QString aestheticModelHint();

    // The peak memory of rendering `width`x`height` images with `settings` (device Auto: CUDA when available).
    // Reads config files and safetensors headers: call it off the GUI thread (MemoryEstimateLabel does).
    // Whether it fits: compared with freeMemoryNow().
    static MemoryFigures estimateMemory(const EngineSettings &settings, int width, int height);
    // The same compared with `free` (tests give the figures instead of the computer's).
    static MemoryFigures estimateMemory(const EngineSettings &settings, int width, int height, FreeMemory free);
    // The free RAM now and, when `onCuda`, the free memory of the first GPU.
    static FreeMemory freeMemoryNow(bool onCuda);
};

} // namespace studio::ui
