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
    // Whether `dir` is a model folder this engine can load (cheap file checks; thread-safe).
    virtual ModelFolderCheck checkModelFolder(const QString &dir) const;

    // --- called on the worker's thread ---

    // True when the models for `settings` are loaded and a job can start at once.
    virtual bool isLoaded(const EngineSettings &settings) const = 0;
    // Loads (or reloads, when they differ from what is loaded) the models. Throws RenderError.
    virtual void load(const EngineSettings &settings) = 0;
    // Renders with the loaded models. Throws RenderError (Cancelled when callbacks.cancelled() said so).
    virtual Image generate(const GenerationParams &params, const Callbacks &callbacks) = 0;
    // A story with consistent characters: the identity panels first (as one batch), then the later panels, in
    // lockstep; `panelDone` gets every panel that ran (plan.panelsToRun()), in panel order, as soon as it is
    // decoded. Throws RenderError; this default says the engine cannot (Unsupported).
    using PanelDone = std::function<void(int panel, const Image &image)>;
    virtual void generateStory(const StoryParams &story, const Callbacks &callbacks, const PanelDone &panelDone);
    // The aesthetic score of an image, or nothing (with *why set) when no predictor is configured or it
    // cannot be loaded. Throws RenderError only for failures of the scoring itself.
    virtual std::optional<double> aestheticScore(const QImage &image, QString *why) = 0;
};

// The engine of this build: the Kolors engine when the studio was built with it, else one whose load()
// explains that rendering is unavailable.
std::unique_ptr<RenderEngine> createDefaultRenderEngine();

} // namespace studio::ui
