#include "RenderEngine.h"

#ifdef STUDIO_HAS_ENGINE
#include "KolorsRenderEngine.h"
#endif

namespace studio::ui {

namespace {

// A build without the engine: everything else in the studio works, rendering says why it cannot.
class UnavailableRenderEngine : public RenderEngine
{
public:
    bool isAvailable() const override { return false; }
    bool isLoaded(const EngineSettings &) const override { return false; }
    void load(const EngineSettings &, const std::function<bool()> &) override
    {
        throw RenderError{RenderError::Code::Unavailable, QStringLiteral("this build has no rendering engine")};
    }
    Image generate(const GenerationParams &, const Callbacks &) override
    {
        throw RenderError{RenderError::Code::Unavailable, QStringLiteral("this build has no rendering engine")};
    }
    std::optional<double> aestheticScore(const QImage &, const std::function<bool()> &, QString *why) override
    {
        if (why)
            *why = QStringLiteral("this build has no rendering engine");
        return std::nullopt;
    }
};

} // namespace

RenderEngine::FolderCheck RenderEngine::folderCheck() const
{
    return &EngineSupport::checkKolorsFolder;
}

void RenderEngine::generateStory(const StoryParams &, const Callbacks &, const PanelDone &)
{
    throw RenderError{RenderError::Code::Unsupported, QStringLiteral("this engine cannot render consistent characters")};
}

std::unique_ptr<RenderEngine> createDefaultRenderEngine()
{
#ifdef STUDIO_HAS_ENGINE
    return std::make_unique<KolorsRenderEngine>();
#else
    return std::make_unique<UnavailableRenderEngine>();
#endif
}

} // namespace studio::ui
