#pragma once

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

// Peak memory of a render with given settings, worked out before loading from the model's configs, stored dtypes
// and file sizes (the engine's own estimate, the one its load refuses with).
struct MemoryFigures
{
    bool ok = false;
    bool onCuda = false;      // the settings render on the GPU
    qint64 privateBytes = 0;  // host memory of the process itself: what must fit into free RAM
    qint64 residentBytes = 0; // with the pages of the mapped weight files, which the system can drop again
    qint64 vramBytes = 0;     // GPU memory (0 on the CPU)
    QString problem;          // when !ok: why there is no estimate, in the UI language
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
    static MemoryFigures estimateMemory(const EngineSettings &settings, int width, int height);
};

} // namespace studio::ui
