#pragma once

#include "DjConfig.h"
#include "ImageProbe.h"
#include "JsonlDataset.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

// Runs the filter operators over a data set with Data-Juicer's semantics, plus the studio's two extras (exact
// duplicates, aesthetic score), and keeps why each sample went: the CLI prints it, the studio lists it per image.
namespace studio::dataset {

struct SampleOutcome
{
    enum class Verdict { Kept, NoText, Unreadable, OutOfBounds, Duplicate, LowAesthetic };
    bool kept = true;
    Verdict verdict = Verdict::Kept;
    std::string droppedBy;      // the operator ("image_shape_filter", "text", "duplicate", "aesthetic")
    std::string reason;         // English, names the image (the CLI prints it)
    // The same in parts, for messages in the studio's language:
    std::string unreadablePath; // Unreadable: the image that could not be read …
    ImageProblem problem = ImageProblem::None; // … and why
    std::string image;          // OutOfBounds / LowAesthetic: the file name of the first image that failed …
    std::string value;          // … its value ("1023x1024", "ratio 0.5 (…)", "2047 bytes", "5.812")
    std::string limits;         // … and the operator with its bounds
    int duplicateOf = -1;       // Duplicate: the sample it repeats
};

// Scores an image for the aesthetic filter (the CLI and the studio plug in the engine's predictor; core/dataset
// itself has no engine). Throws std::exception when the image cannot be scored.
class ImageScorer
{
public:
    virtual ~ImageScorer() = default;
    virtual double score(const std::string &imagePath) = 0;
};

struct ExtraFilters
{
    bool dropExactDuplicates = false; // a sample whose images are byte-identical to an earlier kept one's
    ImageScorer *aestheticScorer = nullptr;
    double minAesthetic = 0.0;        // kept when any image scores at least this (Data-Juicer's 'any')
};

class DataFilter
{
public:
    explicit DataFilter(const JsonlDataset &data) : m_data(data) {}
    // One outcome per sample of the data set. `firstText`: the text column (a null text drops the sample first).
    // The extras run after the operators, on the global `imageKey`.
    std::vector<SampleOutcome> run(const std::string &firstText, const std::string &imageKey,
                                   const std::vector<FilterOp> &ops, const ExtraFilters &extras = {});

    // Reads an image once per run (the same file listed by several samples or operators is decoded once).
    const ImageProbe &probe(const std::string &path);

private:
    void applyOp(const FilterOp &op, std::vector<SampleOutcome> *outcomes);
    void dropDuplicates(const std::string &imageKey, std::vector<SampleOutcome> *outcomes);
    void applyAesthetic(const std::string &imageKey, const ExtraFilters &extras,
                        std::vector<SampleOutcome> *outcomes);

    const JsonlDataset &m_data;
    std::map<std::string, ImageProbe> m_probes;
};

} // namespace studio::dataset
