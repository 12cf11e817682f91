#pragma once

#include "EngineSupport.h"
#include "RenderTypes.h"

#include <functional>
#include <memory>

namespace studio::ui {

// What the GenerationWorker needs from an image engine. The real one wraps the Kolors engine
// (KolorsRenderEngine); tests may hand the worker a scripted fake with the same interface. Every method runs
// on the worker's thread and reports failures by throwing RenderError.
class RenderEngine
{
public:
    struct Callbacks
    {
        std::function<void(int step, int steps)> progress;
        std::function<bool()> cancelled; // polled before every step and between stages
        std::function<void(const QImage &preview, int step, int steps)> preview;
        int previewEvery = 0; // call preview every N steps (0: never)
    };

    struct Image
    {
        QImage image;           // RGB888
        QJsonObject parameters; // every parameter used, as PanelVariant::parameters stores them
        qint64 seed = 0;
    };

    virtual ~RenderEngine() = default;

    // --- asked on the UI thread before the engine moves to the worker, or thread-safe ---
    // False for a build without an engine: rendering cannot start at all.
    virtual bool isAvailable() const { return true; }
    // Whether a folder is a model folder this engine can load: cheap file checks that touch no state of the
    // engine. The queue takes the function before the engine moves to the worker's thread and calls it on the
    // UI thread, so the UI never calls into the engine the worker owns.
    using FolderCheck = std::function<ModelFolderCheck(const QString &dir)>;
    virtual FolderCheck folderCheck() const;

    // --- called on the worker's thread ---

    // True when the weights `settings` need are in memory (EngineSettings::sameWeights): load() is then quick.
    virtual bool isLoaded(const EngineSettings &settings) const = 0;
    // Makes `settings` current: reloads the weights only when isLoaded() is false; the LoRA, the memory switches
    // and the scorer's folder are applied to loaded weights. Polls `cancelled` while loading (Cancelled).
    // Throws RenderError.
    virtual void load(const EngineSettings &settings, const std::function<bool()> &cancelled) = 0;
    // Renders with the loaded models. Throws RenderError (Cancelled when callbacks.cancelled() said so).
    virtual Image generate(const GenerationParams &params, const Callbacks &callbacks) = 0;
    // After generate() ran out of memory: the retry (load() with tiling on came first). An engine that kept the
    // sampled latents only decodes them again; this default samples again.
    virtual Image generateAgain(const GenerationParams &params, const Callbacks &callbacks)
    {
        return generate(params, callbacks);
    }
    // A story with consistent characters: the identity panels first (as one batch), then the later panels, in
    // lockstep; `panelDone` gets every panel that ran (plan.panelsToRun()), in panel order, as soon as it is
    // decoded. Throws RenderError; this default says the engine cannot (Unsupported).
    using PanelDone = std::function<void(int panel, const Image &image)>;
    virtual void generateStory(const StoryParams &story, const Callbacks &callbacks, const PanelDone &panelDone);
    // The aesthetic score of an image, or nothing (with *why set) when no predictor is configured or it
    // cannot be loaded. Throws RenderError only for failures of the scoring itself.
    // `cancelled` is polled while the predictor loads (RenderError::Cancelled).
    virtual std::optional<double> aestheticScore(const QImage &image, const std::function<bool()> &cancelled,
                                                 QString *why) = 0;
};

// The engine of this build: the Kolors engine when the studio was built with it, else one whose load()
// explains that rendering is unavailable.
std::unique_ptr<RenderEngine> createDefaultRenderEngine();

} // namespace studio::ui
