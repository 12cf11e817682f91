// The training-facts sidecar (`<lora>.training.json`) the LoRA card reads: written by the trainer, read by anyone.

#include "engine/training/TrainingTypes.h"

#include "engine/common/EngineError.h"
#include "engine/common/Json.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace studio::engine {

std::string trainingFactsPath(const std::string &loraPath) { return loraPath + ".training.json"; }

std::string trainingFactsToJson(const TrainingFacts &facts)
{
    nlohmann::ordered_json json;
    json["tool"] = facts.tool;
    json["format"] = facts.format;
    json["imageCount"] = facts.imageCount;
    json["dataPreparation"] = facts.dataPreparation;
    json["rank"] = facts.rank;
    json["alpha"] = facts.alpha;
    json["learningRate"] = facts.learningRate;
    json["steps"] = facts.steps;
    json["stepsPlanned"] = facts.stepsPlanned;
    json["resolution"] = facts.resolution;
    json["centerCrop"] = facts.centerCrop;
    json["seed"] = facts.seed;
    json["precision"] = facts.precision;
    json["device"] = facts.device;
    json["baseModel"] = facts.baseModel;
    json["baseModelHash"] = facts.baseModelHash;
    json["initLora"] = facts.initLora;
    json["finalSmoothedLoss"] = facts.finalSmoothedLoss;
    json["finishedAtUtc"] = facts.finishedAtUtc;
    return json.dump(2);
}

std::optional<TrainingFacts> readTrainingFacts(const std::string &loraPath)
{
    const std::string path = trainingFactsPath(loraPath);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::nullopt;
    const nlohmann::json json = readJsonFile(path);
    if (!json.is_object())
        throw EngineError(EngineError::Code::BadFile, path + ": not a JSON object");
    TrainingFacts f;
    f.tool = fieldOr<std::string>(json, "tool", {}, path);
    f.format = fieldOr<std::string>(json, "format", {}, path);
    f.imageCount = fieldOr<int>(json, "imageCount", 0, path);
    f.dataPreparation = fieldOr<std::string>(json, "dataPreparation", {}, path);
    f.rank = fieldOr<int>(json, "rank", 0, path);
    f.alpha = fieldOr<double>(json, "alpha", 0.0, path);
    f.learningRate = fieldOr<double>(json, "learningRate", 0.0, path);
    f.steps = fieldOr<int>(json, "steps", 0, path);
    f.stepsPlanned = fieldOr<int>(json, "stepsPlanned", 0, path);
    f.resolution = fieldOr<int>(json, "resolution", 0, path);
    f.centerCrop = fieldOr<bool>(json, "centerCrop", true, path);
    f.seed = static_cast<uint64_t>(fieldOr<int64_t>(json, "seed", 0, path));
    f.precision = fieldOr<std::string>(json, "precision", {}, path);
    f.device = fieldOr<std::string>(json, "device", {}, path);
    f.baseModel = fieldOr<std::string>(json, "baseModel", {}, path);
    f.baseModelHash = fieldOr<std::string>(json, "baseModelHash", {}, path);
    f.initLora = fieldOr<std::string>(json, "initLora", {}, path);
    f.finalSmoothedLoss = fieldOr<double>(json, "finalSmoothedLoss", 0.0, path);
    f.finishedAtUtc = fieldOr<std::string>(json, "finishedAtUtc", {}, path);
    return f;
}

} // namespace studio::engine
