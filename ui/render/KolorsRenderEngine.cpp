#include "KolorsRenderEngine.h"

#include "EngineSettingsConversion.h"

// Torch-free facade headers only: the studio never includes LibTorch.
#include "engine/api/AestheticScorer.h"
#include "engine/api/Generation.h"
#include "engine/api/Errors.h"

#include "bridge/CharacterGeneration.h"
#include "bridge/GenerationParameters.h"
#include "bridge/PanelGeneration.h"
#include "bridge/StoryGenerationRequest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <new>

namespace studio::ui {

namespace {

using engine::EngineError;

RenderError::Code codeFor(EngineError::Code code)
{
    switch (code) {
    case EngineError::Code::Io:
        return RenderError::Code::Io;
    case EngineError::Code::MissingFile:
        return RenderError::Code::MissingFile;
    case EngineError::Code::BadFile:
    case EngineError::Code::MissingWeight:
    case EngineError::Code::UnexpectedWeight:
    case EngineError::Code::ShapeMismatch:
    case EngineError::Code::DtypeMismatch:
    case EngineError::Code::BadConfig:
        return RenderError::Code::BadModel;
    case EngineError::Code::BadArgument:
        return RenderError::Code::BadArgument;
    case EngineError::Code::OutOfMemory:
        return RenderError::Code::OutOfMemory;
    case EngineError::Code::Cancelled:
        return RenderError::Code::Cancelled;
    case EngineError::Code::Unsupported:
        return RenderError::Code::Unsupported;
    case EngineError::Code::Internal:
        return RenderError::Code::Internal;
    }
    return RenderError::Code::Internal;
}

// Runs an engine call and turns whatever it throws into a RenderError.
template <typename F> auto translated(F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (const EngineError &e) {
        throw RenderError{codeFor(e.code()), QString::fromStdString(e.what())};
    } catch (const std::bad_alloc &) {
        throw RenderError{RenderError::Code::OutOfMemory, QStringLiteral("host memory allocation failed")};
    } catch (const RenderError &) {
        throw;
    } catch (const std::exception &e) {
        throw RenderError{RenderError::Code::Internal, QString::fromStdString(e.what())};
    }
}

std::string localPath(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

} // namespace

struct KolorsRenderEngine::Private
{
    engine::Generator generator;
    EngineSettings loaded;
    bool hasLoaded = false;
    engine::LoraSpec lora; // the story's LoRA, checked against the loaded model

    std::unique_ptr<engine::AestheticScorer> scorer;
    QString scorerDir;
    QString scorerProblem; // why the scorer of scorerDir could not be loaded
};

KolorsRenderEngine::KolorsRenderEngine() : d(std::make_unique<Private>()) {}

KolorsRenderEngine::~KolorsRenderEngine() = default;

bool KolorsRenderEngine::isLoaded(const EngineSettings &settings) const
{
    return d->hasLoaded && d->generator.isLoaded() && d->loaded.sameWeights(settings);
}

void KolorsRenderEngine::load(const EngineSettings &settings, const std::function<bool()> &cancelled)
{
    if (settings.modelDir.trimmed().isEmpty())
        throw RenderError{RenderError::Code::NoModel, QStringLiteral("no model folder")};
    if (d->hasLoaded && d->loaded == settings && d->generator.isLoaded())
        return;
    const bool sameLora = d->hasLoaded && d->loaded.sameWeights(settings) && d->loaded.loraPath == settings.loraPath &&
                          d->loaded.loraScale == settings.loraScale;
    d->hasLoaded = false; // until everything below succeeded
    // Reloads only when the weights differ; memory switches are applied to the loaded model.
    translated([&] { d->generator.load(toModelSettings(settings), cancelled); });
    // A new LoRA (file or scale) is checked against the loaded model's UNet here, so that a LoRA problem is
    // reported as one (not as a broken model) before any panel starts.
    if (!sameLora)
        d->lora = {};
    if (!sameLora && !settings.loraPath.isEmpty()) {
        try {
            engine::inspectLora(localPath(settings.loraPath), settings.loraScale, localPath(settings.modelDir));
        } catch (const EngineError &e) {
            d->hasLoaded = false;
            throw RenderError{RenderError::Code::BadLora, QString::fromStdString(e.what())};
        }
        d->lora = engine::LoraSpec{localPath(settings.loraPath), settings.loraScale};
    }
    d->loaded = settings;
    d->hasLoaded = true;
    // The scorer follows its own folder; it is (re)loaded lazily by aestheticScore().
    if (settings.aestheticModelDir != d->scorerDir) {
        d->scorer.reset();
        d->scorerDir = settings.aestheticModelDir;
        d->scorerProblem.clear();
    }
}

RenderEngine::Image KolorsRenderEngine::generate(const GenerationParams &params, const Callbacks &callbacks)
{
    return run(params, callbacks, /*decodeAgain=*/false);
}

RenderEngine::Image KolorsRenderEngine::generateAgain(const GenerationParams &params, const Callbacks &callbacks)
{
    // Out of memory while decoding: the sampled latents wait in the engine, only the VAE runs again (tiled).
    // Out of memory earlier (sampling): everything runs again.
    return run(params, callbacks, /*decodeAgain=*/d->generator.hasUndecodedImage());
}

RenderEngine::Image KolorsRenderEngine::run(const GenerationParams &params, const Callbacks &callbacks,
                                            bool decodeAgain)
{
    if (!d->hasLoaded)
        throw RenderError{RenderError::Code::NoModel, QStringLiteral("no model is loaded")};
    engine::GenerationRequest request = bridge::panelRequest(params); // as `storyboard render` asks
    request.lora = d->lora;
    const RefineParams &refine = params.refine;
    std::optional<bridge::InitImageFile> initFile;
    if (!refine.initImagePath.isEmpty()) {
        request.initImage = translated([&] { return engine::loadInitImage(localPath(refine.initImagePath)); });
        request.strength = refine.strength;
        initFile = bridge::InitImageFile{refine.initImageFile, refine.initImageSha256};
    }
    translated([&] { bridge::applyIpAdapter(params.ipAdapter, &request); }); // the story's reference image
    request.onProgress = callbacks.progress;
    request.isCancelled = callbacks.cancelled;
    request.previewEvery = callbacks.preview ? callbacks.previewEvery : 0;
    if (callbacks.preview) {
        request.onPreview = [&callbacks](const engine::PreviewImage &p) {
            const QImage image(p.rgb.data(), p.width, p.height, p.width * 3, QImage::Format_RGB888);
            callbacks.preview(image.copy(), p.step, p.steps);
        };
    }

    const engine::GenerationResult r =
        translated([&] { return decodeAgain ? d->generator.decodeAgain(request) : d->generator.generate(request); });

    Image out;
    out.image = bridge::renderedImage(r);
    out.seed = qint64(r.seed);
    out.parameters = bridge::renderedParameters(r, bridge::ipAdapterUse(r, params.ipAdapter), d->loaded.modelDir,
                                                initFile, refine.batchIndex);
    return out;
}

void KolorsRenderEngine::generateStory(const StoryParams &story, const Callbacks &callbacks, const PanelDone &panelDone)
{
    if (!d->hasLoaded)
        throw RenderError{RenderError::Code::NoModel, QStringLiteral("no model is loaded")};
    engine::GenerationRequest base;
    base.lora = d->lora;
    translated([&] { bridge::applyIpAdapter(story.ipAdapter, &base); });
    base.onProgress = callbacks.progress;
    base.isCancelled = callbacks.cancelled;
    engine::StoryRequest request = bridge::storyRequest(story.plan, std::move(base));
    request.onPanelDone = [&](int panel, const engine::GenerationResult &r) {
        Image out;
        out.image = bridge::renderedImage(r);
        out.seed = qint64(r.seed);
        out.parameters =
            bridge::renderedParameters(r, bridge::storyPanelUse(r, story.plan, story.ipAdapter), d->loaded.modelDir);
        panelDone(panel, out);
    };
    translated([&] {
        d->generator.validate(request);
        d->generator.generateStory(request);
    });
}

std::optional<double> KolorsRenderEngine::aestheticScore(const QImage &image, const std::function<bool()> &cancelled,
                                                        QString *why)
{
    if (d->scorerDir.isEmpty()) {
        if (why)
            *why = QStringLiteral("no aesthetic predictor folder is set");
        return std::nullopt;
    }
    if (!d->scorer) {
        if (!d->scorerProblem.isEmpty()) {
            if (why)
                *why = d->scorerProblem;
            return std::nullopt;
        }
        std::string reason;
        if (!engine::AestheticScorer::looksLikeModelFolder(localPath(d->scorerDir), &reason)) {
            d->scorerProblem = QString::fromStdString(reason);
        } else {
            try {
                engine::AestheticScorerOptions options;
                options.cancelled = cancelled;
                d->scorer = engine::AestheticScorer::load(localPath(d->scorerDir), options);
            } catch (const EngineError &e) {
                if (e.code() == EngineError::Code::Cancelled) // not a problem of the folder: load next time
                    throw RenderError{RenderError::Code::Cancelled, QString::fromStdString(e.what())};
                d->scorerProblem = QString::fromStdString(e.what());
            } catch (const std::exception &e) {
                d->scorerProblem = QString::fromStdString(e.what());
            }
        }
        if (!d->scorer) {
            if (why)
                *why = d->scorerProblem;
            return std::nullopt;
        }
    }
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    return translated(
        [&] { return d->scorer->scoreRgb(rgb.constBits(), rgb.width(), rgb.height(), size_t(rgb.bytesPerLine())); });
}

} // namespace studio::ui
