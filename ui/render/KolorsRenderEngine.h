#pragma once

#include "RenderEngine.h"

#include <memory>

namespace studio::ui {

// The RenderEngine over the Kolors engine's torch-free facade (engine/api): one Generator whose models stay
// loaded across jobs and are reloaded only when the model settings change, the story's LoRA (checked against the
// model when it changes, merged by the engine and kept merged while it stays the same), and the aesthetic scorer,
// loaded on first use. Lives on the GenerationWorker's thread. Built only with STUDIO_BUILD_ENGINE.
class KolorsRenderEngine : public RenderEngine
{
public:
    KolorsRenderEngine();
    ~KolorsRenderEngine() override;

    bool isLoaded(const EngineSettings &settings) const override;
    void load(const EngineSettings &settings, const std::function<bool()> &cancelled) override;
    Image generate(const GenerationParams &params, const Callbacks &callbacks) override;
    Image generateAgain(const GenerationParams &params, const Callbacks &callbacks) override;
    void generateStory(const StoryParams &story, const Callbacks &callbacks, const PanelDone &panelDone) override;
    std::optional<double> aestheticScore(const QImage &image, const std::function<bool()> &cancelled,
                                         QString *why) override;

private:
    Image run(const GenerationParams &params, const Callbacks &callbacks, bool decodeAgain);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace studio::ui
