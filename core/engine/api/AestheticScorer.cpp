#include "engine/api/AestheticScorer.h"

#include "engine/aesthetic/AestheticModel.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"

#include <ATen/Context.h>
#include <c10/util/Exception.h>

#include <cstring>

namespace studio::engine {
namespace {

c10::Device parseDevice(const std::string &name)
{
    if (name == "auto")
        return at::hasCUDA() ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
    c10::Device device = c10::kCPU;
    try {
        device = c10::Device(name);
    } catch (const c10::Error &) {
        throw EngineError(EngineError::Code::BadArgument,
                          "unknown device \"" + name + "\" (auto, cpu, cuda or cuda:N)");
    }
    if (device.is_cuda() && !at::hasCUDA())
        throw EngineError(EngineError::Code::Unsupported, "device \"" + name + "\": this build has no CUDA device");
    if (!device.is_cpu() && !device.is_cuda())
        throw EngineError(EngineError::Code::Unsupported, "device \"" + name + "\" is not supported (cpu or cuda)");
    return device;
}

// LibTorch failures (allocation, kernels) leave as EngineError like everything else the facade throws.
template <typename F> auto guarded(const char *what, F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (...) {
        rethrowAsEngineError(what);
    }
}

} // namespace

AestheticScorer::AestheticScorer(std::unique_ptr<AestheticModel> model) : m_model(std::move(model)) {}

AestheticScorer::~AestheticScorer() = default;

std::unique_ptr<AestheticScorer> AestheticScorer::load(const std::string &modelDir,
                                                       const AestheticScorerOptions &options)
{
    return guarded("loading the aesthetic predictor", [&] {
        const c10::Device device = parseDevice(options.device);
        const AestheticModelFiles files = locateAestheticModel(modelDir, options.headFile);
        return std::unique_ptr<AestheticScorer>(new AestheticScorer(AestheticModel::load(files, device, options.cancelled)));
    });
}

double AestheticScorer::scoreFile(const std::string &imagePath)
{
    return scoreFiles({imagePath}).front();
}

std::vector<double> AestheticScorer::scoreFiles(const std::vector<std::string> &imagePaths)
{
    return guarded("aesthetic score", [&] {
        std::vector<RgbImage> images;
        images.reserve(imagePaths.size());
        for (const std::string &path : imagePaths)
            images.push_back(ImageDecoder::decodeFile(path));
        return m_model->score(images);
    });
}

double AestheticScorer::scoreRgb(const uint8_t *rgb, int width, int height, size_t bytesPerLine)
{
    if (!rgb || width <= 0 || height <= 0 || bytesPerLine < size_t(width) * 3 ||
        int64_t(width) * int64_t(height) > ImageDecoder::kMaxPixels)
        throw EngineError(EngineError::Code::BadArgument, "aesthetic score: invalid RGB buffer (" +
                                                              std::to_string(width) + "x" + std::to_string(height) +
                                                              ", " + std::to_string(bytesPerLine) + " bytes per line)");
    return guarded("aesthetic score", [&] {
        RgbImage image(width, height);
        for (int y = 0; y < height; ++y)
            std::memcpy(image.row(y), rgb + size_t(y) * bytesPerLine, size_t(width) * 3);
        return m_model->score({image}).front();
    });
}

std::string AestheticScorer::description() const
{
    return m_model->describe();
}

bool AestheticScorer::looksLikeModelFolder(const std::string &modelDir, std::string *why)
{
    try {
        locateAestheticModel(modelDir);
        return true;
    } catch (const EngineError &e) {
        if (why)
            *why = e.what();
        return false;
    }
}

std::string AestheticScorer::modelHint()
{
    return aestheticModelHint();
}

AestheticSummary AestheticScorer::summarize(const std::vector<double> &scores, double threshold)
{
    AestheticSummary summary;
    summary.threshold = threshold;
    summary.count = int(scores.size());
    if (scores.empty())
        return summary;
    double sum = 0.0;
    for (double s : scores)
        sum += s;
    summary.mean = sum / double(scores.size());
    summary.pass = summary.mean >= threshold;
    return summary;
}

} // namespace studio::engine
