#include "engine/training/TrainingDataSet.h"

#include "engine/common/EngineError.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/imaging/PilResample.h"
#include "engine/training/MetadataCsv.h"

#include <ATen/ATen.h>

#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace studio::engine {
namespace {

// Python's round() of d / 2 for an integer d: half to even.
int halfToEvenHalf(int d)
{
    if (d % 2 == 0)
        return d / 2;
    const int down = (d - 1) / 2; // d >= 0 here
    return down % 2 == 0 ? down : down + 1;
}

} // namespace

TrainingDataSet TrainingDataSet::open(const std::string &dataDir)
{
    std::error_code ec;
    if (!fs::is_directory(dataDir, ec))
        throw EngineError(EngineError::Code::MissingFile, "no such data folder: " + dataDir);
    TrainingDataSet set;
    const fs::path nested = fs::path(dataDir) / "train" / "metadata.csv";
    const fs::path flat = fs::path(dataDir) / "metadata.csv";
    if (fs::is_regular_file(nested, ec))
        set.root = (fs::path(dataDir) / "train").string();
    else if (fs::is_regular_file(flat, ec))
        set.root = dataDir;
    else
        throw EngineError(EngineError::Code::MissingFile,
                          "the data folder has no metadata.csv (looked for " + nested.string() + " and " +
                              flat.string() + ")");
    set.csvPath = (fs::path(set.root) / "metadata.csv").string();
    const CsvTable table = readCsvFile(set.csvPath);
    const int fileColumn = table.column("file_name"), textColumn = table.column("text");
    if (fileColumn < 0 || textColumn < 0)
        throw EngineError(EngineError::Code::BadFile,
                          set.csvPath + ": the header needs the columns file_name and text");
    std::string problems;
    for (size_t i = 0; i < table.rows.size(); ++i) {
        TrainingRow row;
        row.fileName = table.rows[i][size_t(fileColumn)];
        row.text = table.rows[i][size_t(textColumn)];
        row.line = table.rowLines[i];
        const std::string where = set.csvPath + " line " + std::to_string(row.line) + ": ";
        if (row.fileName.empty())
            throw EngineError(EngineError::Code::BadFile, where + "empty file_name");
        if (row.text.empty())
            throw EngineError(EngineError::Code::BadFile, where + "empty text (every image needs a caption)");
        const fs::path relative(row.fileName);
        bool escapes = relative.is_absolute() || relative.has_root_name();
        for (const fs::path &part : relative)
            escapes = escapes || part == "..";
        if (escapes)
            throw EngineError(EngineError::Code::BadFile,
                              where + "file_name \"" + row.fileName + "\" points outside the data folder");
        row.path = (fs::path(set.root) / relative).string();
        if (!fs::is_regular_file(row.path, ec))
            problems += "\n  line " + std::to_string(row.line) + ": missing image " + row.path;
        set.rows.push_back(std::move(row));
    }
    if (!problems.empty())
        throw EngineError(EngineError::Code::MissingFile, set.csvPath + " names images that do not exist:" + problems);
    if (set.rows.empty())
        throw EngineError(EngineError::Code::BadFile, set.csvPath + ": no rows (the data set is empty)");
    return set;
}

SquareCrop planSquareCrop(int width, int height, int size)
{
    SquareCrop plan;
    const int64_t shorter = std::min(width, height), longer = std::max(width, height);
    // torchvision: int(size * long / short), a true division then truncation.
    const int64_t newLong = int64_t(double(int64_t(size) * longer) / double(shorter));
    if (newLong > (int64_t(1) << 20))
        throw EngineError(EngineError::Code::BadArgument, "image of " + std::to_string(width) + "x" +
                                                              std::to_string(height) + " is too elongated to train on");
    plan.resizedWidth = width <= height ? size : int(newLong);
    plan.resizedHeight = width <= height ? int(newLong) : size;
    plan.top = halfToEvenHalf(plan.resizedHeight - size);
    plan.left = halfToEvenHalf(plan.resizedWidth - size);
    return plan;
}

RgbImage loadTrainingImage(const std::string &path, int size, SquareCrop *planOut)
{
    const RgbImage decoded = ImageDecoder::decodeFile(path);
    const SquareCrop plan = planSquareCrop(decoded.width, decoded.height, size);
    const RgbImage resized =
        (plan.resizedWidth == decoded.width && plan.resizedHeight == decoded.height)
            ? decoded
            : resizeLikePil(decoded, plan.resizedWidth, plan.resizedHeight, PilFilter::Bilinear);
    RgbImage out(size, size);
    for (int y = 0; y < size; ++y)
        std::memcpy(out.row(y), resized.row(plan.top + y) + size_t(plan.left) * 3, size_t(size) * 3);
    if (planOut)
        *planOut = plan;
    return out;
}

at::Tensor imageToPixels(const RgbImage &image)
{
    const at::Tensor hwc = at::from_blob(const_cast<uint8_t *>(image.pixels.data()), {image.height, image.width, 3},
                                         at::kByte);
    const at::Tensor unit = hwc.permute({2, 0, 1}).to(at::kFloat).div(255); // ToTensor
    return unit.sub(0.5).div(0.5).unsqueeze(0).contiguous();                 // Normalize([0.5], [0.5])
}

} // namespace studio::engine
