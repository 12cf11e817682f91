#include "engine/aesthetic/AestheticModelFolder.h"

#include "engine/common/EngineError.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

bool startsWith(const std::string &s, const std::string &p)
{
    return s.compare(0, p.size(), p) == 0;
}

bool isHeadCandidate(const fs::path &path)
{
    const std::string name = path.filename().string();
    const std::string ext = path.extension().string();
    const bool weightType = ext == ".pth" || ext == ".pt" || ext == ".ckpt" || ext == ".bin" || ext == ".safetensors";
    return weightType && !startsWith(name, "model") && !startsWith(name, "pytorch_model");
}

} // namespace

std::string aestheticModelHint()
{
    return "download shunk031/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE (Hugging Face; ModelScope "
           "AI-ModelScope/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE): config.json, "
           "preprocessor_config.json and pytorch_model.bin into one folder";
}

AestheticModelFiles locateAestheticModel(const std::string &folder, const std::string &headFile)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw EngineError(EngineError::Code::MissingFile,
                          "aesthetic model folder not found: " + folder + " (" + aestheticModelHint() + ")");
    const fs::path root(folder);
    AestheticModelFiles files;
    files.folder = folder;
    for (const auto &[member, name] : {std::pair<std::string *, const char *>{&files.config, "config.json"},
                                       {&files.preprocessorConfig, "preprocessor_config.json"}}) {
        const fs::path path = root / name;
        if (!fs::is_regular_file(path, ec))
            throw EngineError(EngineError::Code::MissingFile,
                              "missing file: " + path.string() + " (" + aestheticModelHint() + ")");
        *member = path.string();
    }
    for (const char *name :
         {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"}) {
        if (fs::is_regular_file(root / name, ec)) {
            files.weights = (root / name).string();
            break;
        }
    }
    if (files.weights.empty())
        throw EngineError(EngineError::Code::MissingFile, "missing weights in " + folder +
                                                              ": expected model.safetensors or pytorch_model.bin (" +
                                                              aestheticModelHint() + ")");
    if (!headFile.empty()) {
        if (!fs::is_regular_file(headFile, ec))
            throw EngineError(EngineError::Code::MissingFile, "missing predictor head file: " + headFile);
        files.headFile = headFile;
    } else {
        for (const fs::directory_entry &entry : fs::directory_iterator(root, ec))
            if (entry.is_regular_file(ec) && isHeadCandidate(entry.path()))
                files.headCandidates.push_back(entry.path().string());
        std::sort(files.headCandidates.begin(), files.headCandidates.end());
    }
    return files;
}

} // namespace studio::engine
