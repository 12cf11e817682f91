#include "engine/training/TrainingCheckpoint.h"

#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/training/TrainableLora.h"

#include <ATen/ATen.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

void writeTextAtomically(const std::string &path, const std::string &text)
{
    const std::string temporary = path + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !out.write(text.data(), std::streamsize(text.size())) || !out.flush())
            throw EngineError(EngineError::Code::Io, "cannot write " + path);
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec)
        throw EngineError(EngineError::Code::Io, "cannot write " + path + ": " + ec.message());
}

std::string exact(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

double number(const std::map<std::string, std::string> &meta, const std::string &key, const std::string &path)
{
    const auto it = meta.find(key);
    if (it == meta.end())
        throw EngineError(EngineError::Code::BadFile, path + ": not a training resume state (no \"" + key + "\")");
    char *end = nullptr;
    const double value = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0')
        throw EngineError(EngineError::Code::BadFile, path + ": \"" + key + "\" is not a number");
    return value;
}

// torch.save names the archive's folder after the file; plain ASCII keeps every zip reader happy.
std::string archiveName(const std::string &path)
{
    const std::string stem = fs::path(path).stem().string();
    bool plain = !stem.empty() && stem.size() < 100;
    for (const char c : stem)
        plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    return plain ? stem : "archive";
}

} // namespace

void writeTrainedLora(const std::string &path, LoraFileFormat format, const TrainableLora &lora,
                      const TrainingFacts &facts)
{
    const std::string json = trainingFactsToJson(facts);
    if (format == LoraFileFormat::Kohya)
        writeSafetensors(path, lora.kohyaTensors(),
                         {{"format", "pt"},
                          {"ss_network_dim", std::to_string(lora.rank())},
                          {"ss_network_alpha", exact(lora.alpha())},
                          {"storyboard_training", json}});
    else
        writeTorchSave(path, lora.diffsynthTensors(), archiveName(path));
    writeTextAtomically(trainingFactsPath(path), json + "\n");
}

void ResumeState::write(const std::string &path) const
{
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto &[key, t] : lora)
        tensors.emplace_back("lora/" + key, t);
    for (const auto &[key, t] : expAvg)
        tensors.emplace_back("adam_m/" + key, t);
    for (const auto &[key, t] : expAvgSq)
        tensors.emplace_back("adam_v/" + key, t);
    tensors.emplace_back("trace/loss", at::tensor(traceLoss, at::kFloat));
    tensors.emplace_back("trace/timesteps", at::tensor(traceTimesteps, at::kLong));
    tensors.emplace_back("trace/indices", at::tensor(traceIndices, at::kLong));
    std::map<std::string, std::string> meta = settings;
    meta["format"] = "pt";
    meta["storyboard_resume_state"] = "1";
    meta["step"] = std::to_string(step);
    meta["adam_step"] = std::to_string(adamStep);
    meta["loss_ema"] = exact(lossEma);
    meta["loss_ema_steps"] = std::to_string(lossEmaSteps);
    meta["loss_scale"] = exact(lossScale);
    meta["loss_scale_clean_steps"] = std::to_string(lossScaleCleanSteps);
    writeSafetensors(path, tensors, meta);
}

ResumeState ResumeState::read(const std::string &path)
{
    const auto file = SafetensorsFile::open(path);
    const auto &meta = file->metadata();
    if (!meta.count("storyboard_resume_state"))
        throw EngineError(EngineError::Code::BadFile,
                          path + ": not a training resume state (expected the .resume.safetensors that "
                                 "--save-every or a cancelled run writes)");
    ResumeState state;
    state.step = int(number(meta, "step", path));
    state.adamStep = int64_t(number(meta, "adam_step", path));
    state.lossEma = number(meta, "loss_ema", path);
    state.lossEmaSteps = int64_t(number(meta, "loss_ema_steps", path));
    state.lossScale = number(meta, "loss_scale", path);
    state.lossScaleCleanSteps = int64_t(number(meta, "loss_scale_clean_steps", path));
    if (state.step < 0 || state.adamStep < 0 || state.adamStep > state.step)
        throw EngineError(EngineError::Code::BadFile, path + ": inconsistent step counts");
    for (const auto &[key, value] : meta)
        if (key.rfind("setting.", 0) == 0)
            state.settings[key] = value;
    for (const SafetensorsEntry &entry : file->entries()) {
        const at::Tensor t = file->tensor(entry.name).clone();
        auto take = [&](const char *prefix, std::vector<std::pair<std::string, at::Tensor>> &into) {
            const std::string p(prefix);
            if (entry.name.rfind(p, 0) != 0)
                return false;
            into.emplace_back(entry.name.substr(p.size()), t);
            return true;
        };
        if (take("lora/", state.lora) || take("adam_m/", state.expAvg) || take("adam_v/", state.expAvgSq))
            continue;
        if (entry.name == "trace/loss" && t.scalar_type() == at::kFloat)
            state.traceLoss.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        else if (entry.name == "trace/timesteps" && t.scalar_type() == at::kLong)
            state.traceTimesteps.assign(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
        else if (entry.name == "trace/indices" && t.scalar_type() == at::kLong)
            state.traceIndices.assign(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
        else
            throw EngineError(EngineError::Code::BadFile, path + ": unexpected tensor " + entry.name);
    }
    if (state.traceLoss.size() != size_t(state.step) || state.traceTimesteps.size() != size_t(state.step) ||
        state.traceIndices.size() != size_t(state.step) || state.lora.size() != state.expAvg.size() ||
        state.lora.size() != state.expAvgSq.size())
        throw EngineError(EngineError::Code::BadFile, path + ": incomplete resume state");
    return state;
}

std::string checkpointLoraPath(const std::string &outputPath, int step)
{
    const fs::path out(outputPath);
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-step%06d", step);
    return (out.parent_path() / (out.stem().string() + suffix + out.extension().string())).string();
}

std::string resumeStatePath(const std::string &outputPath)
{
    const fs::path out(outputPath);
    return (out.parent_path() / (out.stem().string() + ".resume.safetensors")).string();
}

} // namespace studio::engine
