#include "engine/api/Training.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/training/LoraTrainer.h"
#include "engine/training/TrainingDataSet.h"

#include <set>

namespace studio::engine {

const char *loraFileFormatName(LoraFileFormat format)
{
    return format == LoraFileFormat::Kohya ? "kohya" : "diffsynth";
}

bool parseLoraFileFormat(const std::string &text, LoraFileFormat *format)
{
    if (text == "diffsynth")
        *format = LoraFileFormat::DiffSynth;
    else if (text == "kohya")
        *format = LoraFileFormat::Kohya;
    else
        return false;
    return true;
}

const char *trainingPrecisionName(TrainingPrecision precision)
{
    switch (precision) {
    case TrainingPrecision::Auto: return "auto";
    case TrainingPrecision::Float32: return "fp32";
    case TrainingPrecision::Float16: return "fp16";
    case TrainingPrecision::BFloat16: return "bf16";
    }
    return "auto";
}

bool parseTrainingPrecision(const std::string &text, TrainingPrecision *precision)
{
    for (TrainingPrecision p : {TrainingPrecision::Auto, TrainingPrecision::Float32, TrainingPrecision::Float16,
                                TrainingPrecision::BFloat16})
        if (text == trainingPrecisionName(p)) {
            *precision = p;
            return true;
        }
    return false;
}

TrainingDataSummary inspectTrainingData(const std::string &dataDir)
{
    try {
        const TrainingDataSet data = TrainingDataSet::open(dataDir);
        TrainingDataSummary summary;
        summary.root = data.root;
        std::set<std::string> captions;
        for (const TrainingRow &row : data.rows) {
            const RgbImage image = ImageDecoder::decodeFile(row.path);
            summary.rows.push_back({row.fileName, row.text, image.width, image.height});
            captions.insert(row.text);
        }
        summary.distinctCaptions = captions.size();
        return summary;
    } catch (...) {
        rethrowAsEngineError("reading the training data");
    }
}

void validateTraining(const TrainingOptions &options)
{
    try {
        checkTrainingOptions(options);
    } catch (...) {
        rethrowAsEngineError("checking the training settings");
    }
}

TrainingResult trainLora(const TrainingOptions &options, const TrainingCallbacks &callbacks)
{
    try {
        return runLoraTraining(options, callbacks);
    } catch (...) {
        rethrowAsEngineError("training");
    }
}

} // namespace studio::engine
