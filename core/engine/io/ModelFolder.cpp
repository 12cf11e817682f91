#include "engine/io/ModelFolder.h"

#include "engine/common/EngineError.h"

#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

fs::path toPath(const std::string &utf8)
{
    return fs::u8path(utf8);
}
std::string toUtf8(const fs::path &path)
{
    return path.u8string();
}

bool isFile(const fs::path &path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool isDir(const fs::path &path)
{
    std::error_code ec;
    return fs::is_directory(path, ec);
}

std::vector<std::string> weightCandidates(const std::string &baseName)
{
    // transformers writes model*.safetensors and pytorch_model*.bin; diffusers uses one stem for both.
    const std::string st = baseName;
    const std::string bin = baseName == "model" ? "pytorch_model" : baseName;
    return {
        st + ".safetensors.index.json", st + ".safetensors",     st + ".safetensors.index.fp16.json",
        st + ".fp16.safetensors",       bin + ".bin.index.json", bin + ".bin",
        bin + ".bin.index.fp16.json",   bin + ".fp16.bin",
    };
}

// A folder holding the Kolors components directly: model_index.json, or at least text_encoder/ and unet/.
bool looksLikeKolorsRoot(const fs::path &dir)
{
    return isFile(dir / "model_index.json") || (isDir(dir / "text_encoder") && isDir(dir / "unet"));
}

[[noreturn]] void missing(const fs::path &file, const std::string &alternatives = {})
{
    std::string message = "missing file: " + toUtf8(file);
    if (!alternatives.empty())
        message += " (" + alternatives + ")";
    throw EngineError(EngineError::Code::MissingFile, message);
}

std::string requiredWeights(const fs::path &componentDir, const std::string &baseName)
{
    const std::string found = findWeightFile(toUtf8(componentDir), baseName);
    if (!found.empty())
        return found;
    const std::vector<std::string> names = weightCandidates(baseName);
    std::string alternatives = "or any of:";
    for (size_t i = 0; i < names.size(); ++i)
        if (i != 1)
            alternatives += (i == 0 ? " " : ", ") + names[i];
    missing(componentDir / names[1], alternatives);
}

std::string requiredFile(const fs::path &file)
{
    if (!isFile(file))
        missing(file);
    return toUtf8(file);
}

std::string optionalFile(const fs::path &file)
{
    return isFile(file) ? toUtf8(file) : std::string();
}

std::string locateTokenizer(const fs::path &root)
{
    std::vector<fs::path> candidates = {root / "tokenizer" / "tokenizer.model",
                                        root / "text_encoder" / "tokenizer.model"};
    // DiffSynth-Studio keeps the tokenizer in its Python package, next to models/: <repo>/models/kolors/Kolors
    // -> <repo>/diffsynth/tokenizer_configs/kolors/tokenizer/tokenizer.model.
    const fs::path repo = root.parent_path().parent_path().parent_path();
    if (!repo.empty())
        candidates.push_back(repo / "diffsynth" / "tokenizer_configs" / "kolors" / "tokenizer" / "tokenizer.model");
    for (const fs::path &candidate : candidates)
        if (isFile(candidate))
            return toUtf8(candidate);
    std::string alternatives = "also looked for";
    for (size_t i = 1; i < candidates.size(); ++i)
        alternatives += (i == 1 ? " " : ", ") + toUtf8(candidates[i]);
    missing(candidates[0], alternatives);
}

} // namespace

std::string findWeightFile(const std::string &componentDir, const std::string &baseName)
{
    const fs::path dir = toPath(componentDir);
    for (const std::string &name : weightCandidates(baseName))
        if (isFile(dir / name))
            return toUtf8(dir / name);
    return {};
}

namespace {

// The folder itself, DiffSynth's models/kolors/ (-> Kolors/) or models/ (-> kolors/Kolors/).
fs::path locateRoot(const std::string &dir)
{
    const fs::path given = toPath(dir);
    if (dir.empty() || !isDir(given))
        throw EngineError(EngineError::Code::MissingFile, "model folder does not exist: " + dir);
    for (const fs::path &candidate : {given, given / "Kolors", given / "kolors" / "Kolors"})
        if (looksLikeKolorsRoot(candidate))
            return candidate;
    missing(given / "model_index.json",
            "not a Kolors model folder: expected a Kolors-diffusers folder with model_index.json, or DiffSynth's "
            "models/kolors/Kolors with text_encoder/ and unet/");
}

} // namespace

std::string locateKolorsTokenizer(const std::string &dir)
{
    return locateTokenizer(locateRoot(dir));
}

KolorsModelPaths locateKolorsModel(const std::string &dir)
{
    const fs::path root = locateRoot(dir);
    KolorsModelPaths paths;
    paths.root = toUtf8(root);
    paths.layout = isFile(root / "model_index.json") ? "kolors-diffusers" : "diffsynth";
    const bool diffusers = paths.layout == "kolors-diffusers";

    paths.textEncoderConfig = requiredFile(root / "text_encoder" / "config.json");
    paths.textEncoderWeights = requiredWeights(root / "text_encoder", "model");
    paths.tokenizerModel = locateTokenizer(root);

    // DiffSynth's download carries only the weights of unet/ and vae/; Kolors-diffusers has everything.
    const auto config = [&](const fs::path &file) { return diffusers ? requiredFile(file) : optionalFile(file); };
    paths.unetConfig = config(root / "unet" / "config.json");
    paths.unetWeights = requiredWeights(root / "unet", "diffusion_pytorch_model");
    paths.vaeConfig = config(root / "vae" / "config.json");
    paths.vaeWeights = requiredWeights(root / "vae", "diffusion_pytorch_model");
    paths.schedulerConfig = config(root / "scheduler" / "scheduler_config.json");
    return paths;
}

} // namespace studio::engine
