#include "engine/api/Training.h"

#include "engine/common/EngineError.h"
#include "engine/common/TorchErrors.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/training/LoraTrainer.h"
#include "engine/training/TrainingDataSet.h"

#include <set>

namespace studio::engine {

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
