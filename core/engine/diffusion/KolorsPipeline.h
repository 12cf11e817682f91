#pragma once

#include "engine/diffusion/AutoencoderKL.h"
#include "engine/diffusion/PromptEncoder.h"
#include "engine/diffusion/SamplingSchedule.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/imaging/RgbImage.h"
#include "engine/ipadapter/IpAdapterAttention.h"
#include "engine/lora/LoraSpec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace studio::engine {

class LoraSlot;

enum class VaeTiling
{
    Auto,
    Off,
    On
};

// Load-time choices. Defaults are the CPU ones; KolorsPipeline::defaultOptions(device) gives the CUDA ones.
struct PipelineOptions
{
    c10::Device device = c10::kCPU;
    c10::ScalarType unetDtype = c10::kFloat;
    c10::ScalarType textEncoderDtype = c10::kFloat;
    c10::ScalarType vaeDtype = c10::kFloat; // float32 unless the VAE is the fp16-fix one
    int textEncoderQuantBits = 0;           // 8 / 4: ChatGLM's Linear weights quantized at load; 0: as stored
    std::string quantizedWeightCacheDir;    // where they are kept between runs (ChatGlmQuantCache.h); empty: none
    // Low-VRAM mode: free the text encoder after encoding (reloaded for new prompts); on CUDA the UNet also waits
    // in host memory while the text encoder runs, so the two never share the GPU.
    bool releaseTextEncoder = false;
    // Where the text encoder runs; its embeddings move to `device` for the UNet. None: decided by load() from the
    // GPU's free memory and the model's sizes (DevicePlacement.h); loadComponents() then takes `device`. On the
    // CPU the text encoder computes in float32 whatever textEncoderDtype says (no fast half kernels there).
    std::optional<c10::Device> textEncoderDevice;
    // Stream the UNet's blocks to the GPU one at a time from pinned host memory (BlockOffload.h); on the CPU the
    // same path runs with no-op moves. Changes speed and memory, never the image.
    bool unetBlockOffload = false;
    VaeTiling vaeTiling = VaeTiling::Auto; // Auto: tile when the image has more pixels than autoTilePixels
    int64_t autoTilePixels = 1536 * 1536;
    int64_t vaeTileLatents = 96; // tile size in latent pixels (x8 image pixels)
    int64_t vaeTileOverlap = 24;
    size_t promptCacheSize = 16;     // embeddings kept per prompt text, so a new seed does not re-encode
    bool synchronizeTimings = false; // wait for the device at each timing point (benchmark)
};

// The hires fix (A1111's "Latent" upscaler): a second img2img pass on the bilinearly upscaled latents.
struct HiresOptions
{
    double scale = 2.0;    // the size is int(H·scale)//8·8 × int(W·scale)//8·8
    double strength = 0.5; // denoising strength of the second pass
    int steps = 0;         // schedule length of the second pass (0: the request's steps)
};

// One text-to-image (or img2img) run, as the user asked for it.
struct SampleRequest
{
    std::string prompt;
    std::optional<std::string> negativePrompt; // none: encoded as "" (force_zeros_for_empty_prompt is false)
    uint64_t seed = 0;
    int steps = 25;
    double guidance = 5.0; // classifier-free guidance; off when <= 1
    SamplerKind sampler = SamplerKind::Euler;
    int width = 1024;
    int height = 1024;
    LoraSpec lora; // merged into the UNet for this run (and kept merged until a request asks for another)
    // img2img: start from this image (any size: Lanczos-resized to width × height) instead of pure noise, running
    // min(int(steps × strength), steps) steps of the steps-long schedule.
    std::optional<RgbImage> initImage;
    double strength = 0.75;
    std::optional<HiresOptions> hires; // txt2img only
    // IP-Adapter-Plus: the reference image's tokens join every cross-attention, in every pass (scale 0: none).
    std::optional<IpAdapterInput> ipAdapter;
};

// Observers of a run. All optional; exceptions thrown from them end the run.
struct PipelineCallbacks
{
    std::function<void(int step, int steps)> progress;                    // after each step (1-based step)
    std::function<bool()> cancelled;                                      // polled before each step and between stages
    std::function<void(int step, const at::Tensor &latents)> stepLatents; // after each step, latents on device
    // For the golden tests: every generator draw, and every UNet call with its batch input and raw output.
    std::function<void(const at::Tensor &draw)> noiseDrawn;
    std::function<void(int step, const at::Tensor &timestep, const at::Tensor &input, const at::Tensor &output)>
        unetCalled;
    std::function<void(const at::Tensor &timeIds)> timeIdsBuilt; // the [B, 6] added time ids every UNet call gets
};

// What the UNet is conditioned on, batch first; with CFG row 0 is the negative prompt, row 1 the positive one.
struct Conditioning
{
    at::Tensor encoderHiddenStates; // [B, L, text width]
    at::Tensor textEmbeds;          // [B, pooled width]
};

struct PipelineResult
{
    SampleRequest request; // exactly what ran (the seed included)
    bool guidanceApplied = false;
    bool vaeTiled = false;
    std::string loraFormat;                 // "diffsynth" | "kohya" | "diffusers"; empty without a LoRA
    double loraEffectiveScaleMin = 0.0;     // the scales the LoRA's layers were merged at (equal unless the
    double loraEffectiveScaleMax = 0.0;     // layers carry different alpha/rank)
    at::Tensor finalLatents; // [1, C, h, w] float32 CPU: the latents handed to the VAE, before 1/scaling_factor
    at::Tensor imageFloat;   // [H, W, 3] float32 CPU in [0, 1]
    at::Tensor image;        // [H, W, 3] uint8 CPU, RGB
    double textEncodeMs = 0, samplingMs = 0, vaeDecodeMs = 0;
    int promptsEncoded = 0; // prompts that ran through the text encoder (the others came from the cache)
    int64_t sharedTokenBytes = 0; // consistent stories: the most bytes of identity tokens kept at one step
    std::vector<double> stepMs;
};

// A story with consistent self-attention (ConsistentStory.cpp; contract: golden/consistency-tiny/README.md part A).
struct StorySampleRequest
{
    SampleRequest base;               // everything but the prompt; panel i uses base.seed + i
    std::vector<std::string> prompts; // one per panel
    int identityPanels = 1;           // K, 1..prompts
    double strength = 0.5;            // P
    int start = 5;                    // S
    std::vector<int> panels;          // the panels to run, ascending, 0..K−1 included; empty: all
};

struct StoryCallbacks
{
    std::function<void(int step, int steps)> progress; // after each lockstep step
    std::function<bool()> cancelled;                    // polled before each step and between stages
    std::function<void(int panel, PipelineResult &&result)> panelDone; // each panel, in order, once decoded
    // For the golden tests: the consistency draws ([steps, L] gate, per up block [steps, K, N_b] keep), every
    // generator draw of a panel, every UNet call's raw output (panel −1: the identity batch, rows
    // [neg_0..neg_K−1, pos_0..pos_K−1]), and every consistent layer's input and output.
    std::function<void(const at::Tensor &gate, const std::vector<at::Tensor> &keep)> drawsMade;
    std::function<void(int panel, const at::Tensor &draw)> noiseDrawn;
    std::function<void(int step, int panel, const at::Tensor &output)> unetCalled;
    std::function<void(int step, int panel, const std::string &layer, const at::Tensor &in, const at::Tensor &out)>
        consistentLayer;
};

// The Kolors text-to-image pipeline (diffusers KolorsPipeline semantics): prompt + negative prompt → ChatGLM3
// embeddings, CFG batch [negative, positive], one CPU generator seeded with the seed (draw 0 is the initial
// noise, then whatever the sampler draws), sampling, VAE decode, uint8 RGB rounded half to even.
// Not thread-safe: one run at a time (the worker owns it).
class KolorsPipeline
{
public:
    struct Components
    {
        std::shared_ptr<UNet2DConditionModel> unet;
        std::shared_ptr<AutoencoderKL> vae;
        std::shared_ptr<PromptEncoder> promptEncoder; // may be null when only generate(request, conditioning) is used
        nlohmann::json schedulerConfig;               // the folder's scheduler_config.json
        std::string schedulerConfigFile;              // for messages
        nlohmann::json unetConfig;                    // the UNet's config.json: LoRA block numbering (null: no LoRA)
        std::string unetConfigFile;                   // for messages
    };

    // Loads a Kolors model folder (every layout locateKolorsModel accepts). Throws EngineError.
    // `cancelled` is polled between the modules and between their tensors (EngineError::Cancelled); nothing stays
    // half-loaded.
    static std::unique_ptr<KolorsPipeline> load(const std::string &modelDir, const PipelineOptions &options,
                                                const std::function<bool()> &cancelled = {});
    // The same components without a pipeline around them (the trainer uses them directly). The text encoder is
    // loaded lazily, on the prompt encoder's first use.
    static Components loadComponents(const std::string &modelDir, const PipelineOptions &options,
                                     const std::function<bool()> &cancelled = {});
    KolorsPipeline(Components components, const PipelineOptions &options);
    ~KolorsPipeline();

    static PipelineOptions defaultOptions(c10::Device device);
    // `options` with the text encoder's device decided (when it was left open) and its dtype fitting that device.
    static PipelineOptions withTextEncoderPlaced(const PipelineOptions &options, const std::string &textEncoderConfig,
                                                 const UNet2DConditionModel &unet, const AutoencoderKL &vae);
    // Where the text encoder runs (the CPU or a GPU) after load().
    c10::Device textEncoderDevice() const { return m_options.textEncoderDevice.value_or(m_options.device); }

    // Throws EngineError::BadArgument naming the problem (size, steps, guidance, ...).
    void validate(const SampleRequest &request) const;
    // The same checks without a loaded model; `sizeMultiple` is the VAE's downsampling factor (8 for Kolors).
    static void validateRequest(const SampleRequest &request, int sizeMultiple);

    PipelineResult generate(const SampleRequest &request, const PipelineCallbacks &callbacks = {});
    // The same run with the text side replaced by given embeddings (tests, embeddings computed elsewhere).
    PipelineResult generate(const SampleRequest &request, const Conditioning &conditioning,
                            const PipelineCallbacks &callbacks = {});

    // The identity panels as one batch and every later panel one at a time, all in lockstep, sharing
    // self-attention tokens in the up blocks. Throws EngineError (BadArgument for a bad story, Cancelled, ...).
    std::vector<PipelineResult> generateStory(const StorySampleRequest &request, const StoryCallbacks &callbacks);

    // The conditioning generate() would use (prompt cache included).
    Conditioning encodePrompts(const SampleRequest &request);

    // Decodes UNet-space latents [1, C, h, w] to an image (tiled per the options). Returns [1, 3, H, W] float32.
    // `betweenStages` runs between the VAE's blocks and tiles (a cancel check throws from there).
    at::Tensor decodeLatents(const at::Tensor &latents, bool *tiled = nullptr,
                             const AutoencoderKL::StageCheck &betweenStages = {}) const;
    // uint8 HWC RGB of a decoded image, as diffusers' postprocess + numpy rounding produce it.
    static at::Tensor toImageFloat(const at::Tensor &decoded);
    static at::Tensor toImageU8(const at::Tensor &imageFloat);

    // A cheap RGB preview of latents without the VAE: a per-model linear map latent → colour (fitted once to the
    // VAE on first use). Returns [h, w, 3] uint8.
    at::Tensor previewImage(const at::Tensor &latents);

    const PipelineOptions &options() const { return m_options; }
    // The memory switches change no weights: they take effect at the next run of the loaded model.
    void setMemoryOptions(bool releaseTextEncoder, VaeTiling vaeTiling);
    // After a run whose VAE decoding failed (out of memory): decodes the latents that run sampled again, with the
    // options of now (tiling turned on meanwhile), and returns the completed result. Nothing is sampled again.
    bool hasUndecodedLatents() const { return m_undecoded.has_value(); }
    PipelineResult decodeAgain(const PipelineCallbacks &callbacks = {});
    const UNet2DConditionModel &unet() const { return *m_unet; }
    const AutoencoderKL &vae() const { return *m_vae; }
    // Frees the text encoder now (it is reloaded when a new prompt needs encoding).
    void releaseTextEncoder();

private:
    PromptEmbeddings embeddingsFor(const std::string &prompt);
    // Each prompt's conditioning rows ([negative, positive] with CFG), the text encoder loaded at most once.
    std::vector<Conditioning> encodeStoryPrompts(const std::vector<std::string> &prompts,
                                                 const std::string &negative, bool cfg);
    bool isCached(const std::string &prompt) const;
    // Low-VRAM CUDA mode keeps the UNet in host memory while the text encoder runs.
    static bool parksUNet(const PipelineOptions &options);
    // Before the text encoder runs in low-memory mode (releaseTextEncoder): on CUDA the UNet is parked in host
    // memory (parksUNet); on the CPU the resident pages of the UNet's and VAE's mapped weights are given back, so
    // the text encoder (5.7 GB of private memory once quantized to int8) never sits beside the whole 5 GB UNet.
    void makeRoomForTextEncoder();
    // After the prompts of a run are encoded: frees the text encoder when releaseTextEncoder is on, and hands the
    // freed memory back (CUDA cache; the C heap keeps blocks otherwise, see keepLargeBlocksInHeap).
    void releaseTextEncoderIfLowMemory();
    void placeUNet(c10::Device device);
    void checkCancelled(const PipelineCallbacks &callbacks, const std::string &where) const;
    void synchronize() const;
    // Makes the UNet carry exactly the request's LoRA (none when its path is empty); fills the result's LoRA facts.
    void applyLora(const LoraSpec &spec, PipelineResult *result);
    // Samples and decodes into `result` (whose text-encoding time and LoRA facts the caller filled in).
    void run(const SampleRequest &request, const Conditioning &conditioning, const PipelineCallbacks &callbacks,
             PipelineResult &result);
    // Where a run stands across its passes, for progress and step numbers.
    struct PassProgress
    {
        int done = 0, total = 0;
    };
    // Runs `schedule` from `latents` at height × width pixels (the time ids), drawing the sampler's noise with
    // `draw`. Returns the final latents on the device.
    at::Tensor denoise(const SamplingSchedule &schedule, at::Tensor latents, int height, int width,
                       const Conditioning &conditioning, double guidance,
                       const std::function<at::Tensor(at::IntArrayRef)> &draw, const PipelineCallbacks &callbacks,
                       PassProgress &progress, PipelineResult &result);
    // Decodes result.finalLatents into result's image; keeps the result in m_undecoded until that succeeded.
    void decodeInto(PipelineResult &result, const PipelineCallbacks &callbacks);

    PipelineOptions m_options;
    std::shared_ptr<UNet2DConditionModel> m_unet;
    std::shared_ptr<AutoencoderKL> m_vae;
    std::shared_ptr<PromptEncoder> m_promptEncoder;
    nlohmann::json m_schedulerConfig;
    std::string m_schedulerConfigFile;
    nlohmann::json m_unetConfig;
    std::string m_unetConfigFile;
    std::unique_ptr<LoraSlot> m_lora; // created at the first LoRA request
    std::list<std::pair<std::string, PromptEmbeddings>> m_promptCache; // most recent first
    int m_promptsEncoded = 0;                                          // running count, for results
    at::Tensor m_previewMatrix;                                        // [C + 1, 3]
    std::optional<PipelineResult> m_undecoded; // the last run, sampled but not decoded (decoding failed)
};

// Runs `body`, turning allocation failures into EngineError::OutOfMemory that names `stage` and the settings
// that lower memory use; every other error passes through unchanged.
void translateOutOfMemory(const std::string &stage, const std::function<void()> &body);

} // namespace studio::engine
