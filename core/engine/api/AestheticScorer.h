#pragma once

// Torch-free facade of the aesthetic gate for the CLI and the studio (std types only; errors are
// studio::engine::EngineError from "engine/common/EngineError.h", also torch-free).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace studio::engine {

class AestheticModel;

// The challenge's validity gate (REFERENCE A.2.5, A.7): the mean "v2 linear" aesthetic score over the submitted
// images must not be below 6.
constexpr double kAestheticThreshold = 6.0;

struct AestheticScorerOptions
{
    std::string headFile;       // explicit head file (e.g. sac+logos+ava1-l14-linearMSE.pth); else found in the folder
    std::string device = "cpu"; // "cpu", "cuda" or "cuda:N"
    // Polled between the weights while loading (EngineError::Cancelled): quitting never waits for the CLIP model.
    std::function<bool()> cancelled;
};

struct AestheticSummary
{
    double mean = 0.0; // 0 when there is no score
    int count = 0;
    double threshold = kAestheticThreshold;
    bool pass = false; // count > 0 and mean >= threshold
};

// Scores images like the challenge's scorer (PIL decode, CLIPImageProcessor, AestheticsPredictorV2Linear), in
// float32. Load once (seconds for ViT-L/14) and reuse; one instance must be used by one thread at a time, and
// every call blocks while the network runs (the studio calls it on its worker thread, never on the UI thread).
class AestheticScorer
{
public:
    // `modelDir`: config.json + preprocessor_config.json + model.safetensors | pytorch_model.bin (see
    // engine/aesthetic/AestheticModelFolder.h for the CLIP + separate head layout). Throws EngineError.
    static std::unique_ptr<AestheticScorer> load(const std::string &modelDir,
                                                 const AestheticScorerOptions &options = {});
    ~AestheticScorer();

    // A PNG or JPEG file, decoded as PIL would. Throws EngineError naming the file.
    double scoreFile(const std::string &imagePath);
    // Several files, batched; one score per path, in order. Throws on the first unreadable file.
    std::vector<double> scoreFiles(const std::vector<std::string> &imagePaths);
    // An 8-bit RGB buffer (R, G, B per pixel; rows `bytesPerLine` apart), e.g. a QImage in Format_RGB888.
    double scoreRgb(const uint8_t *rgb, int width, int height, size_t bytesPerLine);

    std::string description() const;

    // Cheap check without loading: the folder has the files load() needs. On false, *why names what is missing.
    static bool looksLikeModelFolder(const std::string &modelDir, std::string *why = nullptr);
    // Where to get the predictor files (for the "no model" hint in the UI and the CLI).
    static std::string modelHint();
    static AestheticSummary summarize(const std::vector<double> &scores, double threshold = kAestheticThreshold);

private:
    explicit AestheticScorer(std::unique_ptr<AestheticModel> model);
    std::unique_ptr<AestheticModel> m_model;
};

} // namespace studio::engine
