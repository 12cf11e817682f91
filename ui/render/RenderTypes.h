#pragma once

// Value types that travel between the studio (UI thread) and the GenerationWorker (its own thread). They
// hold Qt values only: no tensors and no engine types, so the widgets never see the engine.

#include "story/CharacterReference.h"
#include "story/PanelRender.h"
#include "story/Project.h"
#include "story/StoryRenderPlan.h"

#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace studio::ui {

enum class RenderDevice
{
    Auto, // CUDA when available, else the CPU
    Cpu,
    Cuda,
};

enum class RenderPrecision
{
    Auto, // float16 on CUDA (VAE in float32), float32 on the CPU
    Float32,
    Float16,
};

enum class RenderSwitch
{
    Auto,
    Off,
    On,
};

// Weight-only quantization of the ChatGLM3 text encoder (ChatGLM3's own int8/int4 scheme): less memory, prompt
// embeddings move slightly, so images record it.
enum class RenderQuant
{
    None,
    Int8,
    Int4,
};

// What the worker must have loaded. Equal settings mean the loaded models are reused as they are.
struct EngineSettings
{
    QString modelDir;       // the Kolors folder (any layout the engine recognises)
    QString loraPath;       // absolute; empty: no LoRA
    double loraScale = 1.0; // the user's multiplier
    RenderDevice device = RenderDevice::Auto;
    RenderPrecision precision = RenderPrecision::Auto;
    RenderSwitch releaseTextEncoder = RenderSwitch::Auto; // low VRAM: free the text encoder before sampling
    RenderSwitch vaeTiling = RenderSwitch::Auto;          // low VRAM: decode the image in tiles
    RenderDevice textEncoderDevice = RenderDevice::Auto;  // low VRAM: Cpu keeps ChatGLM off the GPU
    bool unetOffload = false;                             // 4-6 GB cards: stream the UNet's blocks to the GPU
    RenderQuant textEncoderQuant = RenderQuant::None;     // 16 GB PCs and 8 GB cards: int8 or int4 ChatGLM
    QString aestheticModelDir;                            // empty: no aesthetic score

    bool operator==(const EngineSettings &o) const
    {
        return modelDir == o.modelDir && loraPath == o.loraPath && loraScale == o.loraScale && device == o.device &&
               precision == o.precision && releaseTextEncoder == o.releaseTextEncoder && vaeTiling == o.vaeTiling &&
               textEncoderDevice == o.textEncoderDevice && unetOffload == o.unetOffload &&
               textEncoderQuant == o.textEncoderQuant && aestheticModelDir == o.aestheticModelDir;
    }
    bool operator!=(const EngineSettings &o) const { return !(*this == o); }
    // Whether the same weights serve both: the LoRA, the memory switches and the scorer change no model weights
    // (an out-of-memory retry with tiling must not reload the model).
    bool sameWeights(const EngineSettings &o) const
    {
        // Where the weights live and how they are stored are part of them (as in engine::ModelSettings::sameWeights).
        return modelDir == o.modelDir && device == o.device && precision == o.precision &&
               textEncoderDevice == o.textEncoderDevice && unetOffload == o.unetOffload &&
               textEncoderQuant == o.textEncoderQuant;
    }
};

// img2img and the place in a batch of one job (refine-tiny README). Defaults: a plain render.
struct RefineParams
{
    QString initImagePath;   // absolute path of the init image (PNG/JPEG, decoded as PIL does); empty: no img2img
    QString initImageFile;   // what the parameters record: its path inside the project folder, or its file name
    QString initImageSha256; // of the file's bytes
    double strength = 0.75;  // img2img denoising strength
    int batchIndex = -1; // the place in "Render N variants" (-1: a single render)
};

// One image to make: the panel's settings as story::PanelRender::settingsFor gives them (the request `storyboard
// render` makes too; texts with the style words applied, the hires fix, which img2img turns off), plus what only the
// studio asks for.
struct GenerationParams : story::PanelRenderSettings
{
    RefineParams refine;
    story::IpAdapterFiles ipAdapter; // the story's reference image (disabled: none)
};

// A story job (consistent characters on): the identity panels first, then the later panels, in one engine call
// (plan.requested are the panels whose images are kept). The shared sampling settings are the plan's.
struct StoryParams
{
    story::StoryRenderPlan plan;
    story::IpAdapterFiles ipAdapter;
};

// Where the worker writes a finished image and what goes into its metadata: a snapshot of the story (the
// PNG carries the panel's settings and the A1111 text), the panel and the path inside the project folder.
struct ImageTarget
{
    QString projectDir;   // absolute
    QString relativePath; // images/panel-NN/<seed>-<time>.png, '/' separators
    story::Project project;
    int panel = -1;
    bool aigcLabel = true; // the implicit AI-generated label (XMP) required in China
};

// A request to the worker. Plain value; the id is unique and increasing within one RenderQueue.
struct GenerationJob
{
    quint64 id = 0;
    int panel = -1;
    EngineSettings settings;
    GenerationParams params;
    int previewEvery = 0; // live preview every N steps (0: none)
    std::optional<ImageTarget> target;
    // Set: a story job; `params` is unused and every finished panel is written next to `target` (its panel and
    // path are chosen per panel).
    std::optional<StoryParams> story;
};

// A typed failure, chosen from the engine's error code; the UI words it (RenderQueue::describe).
struct RenderError
{
    enum class Code
    {
        Unavailable, // this build has no engine
        NoModel,     // no model folder is set
        MissingFile, // a file of the model folder is missing (detail names it)
        BadModel,    // a model file is broken (detail names file and tensor)
        BadLora,     // the story's LoRA file cannot be read or does not fit the model (detail names it)
        OutOfMemory,
        BadArgument, // the panel's settings cannot be rendered (size, steps, sampler)
        Cancelled,
        Io,          // the image could not be written
        Unsupported, // e.g. CUDA requested without CUDA
        Internal,
    };

    Code code = Code::Internal;
    QString detail; // technical, untranslated: names files and tensors exactly

    // Failures of the model itself fail every job; the queue stops instead of repeating them.
    bool isModelProblem() const
    {
        return code == Code::Unavailable || code == Code::NoModel || code == Code::MissingFile ||
               code == Code::BadModel || code == Code::BadLora || code == Code::Unsupported;
    }
};

// Something the user should know that is not a failure (e.g. the automatic retry after running out of memory).
struct RenderNotice
{
    enum class Kind
    {
        LoadingModel,      // the models are being (re)loaded
        RetryingWithTiles, // out of memory: retrying once with tiled VAE decoding
        ScoreUnavailable,  // no aesthetic predictor (detail: why)
    };
    Kind kind = Kind::LoadingModel;
    QString detail;
};

// A finished job: the image and every parameter it was made with.
struct GenerationOutcome
{
    quint64 jobId = 0;
    int panel = -1;
    QImage image;           // RGB888, full size
    QJsonObject parameters; // every parameter used; becomes PanelVariant::parameters
    qint64 seed = 0;
    std::optional<double> aestheticScore;
    bool retriedWithTiles = false;
    double seconds = 0;          // the whole job, loading included
    story::PanelVariant variant; // filled when the job had an ImageTarget (the file is written)
};

} // namespace studio::ui

Q_DECLARE_METATYPE(studio::ui::GenerationJob)
Q_DECLARE_METATYPE(studio::ui::RenderError)
Q_DECLARE_METATYPE(studio::ui::RenderNotice)
Q_DECLARE_METATYPE(studio::ui::GenerationOutcome)
