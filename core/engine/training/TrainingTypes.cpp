#include "engine/training/TrainingTypes.h"

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

} // namespace studio::engine
