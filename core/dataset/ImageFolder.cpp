#include "ImageFolder.h"

#include "DatasetError.h"
#include "DatasetPaths.h"
#include "DiffSynthFolder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace studio::dataset {

bool isImageFileName(const std::string &name)
{
    const std::string ext = lowerExtension(name);
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".webp" || ext == ".bmp";
}

namespace {

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        text.erase(0, 3);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

ImageFolderScan scanImageFolder(const std::string &folder)
{
    ImageFolderScan scan;
    const fs::path dir = fs::u8path(absolutePath(folder));
    std::error_code error;
    if (!fs::is_directory(dir, error))
        throw DatasetError("'" + folder + "' is not a folder");
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file(error) && isImageFileName(it->path().filename().u8string()))
            names.push_back(it->path().filename().u8string());
    if (error)
        throw DatasetError("cannot list '" + folder + "': " + error.message());
    std::sort(names.begin(), names.end());

    std::map<std::string, std::string> fromCsv;
    const fs::path csv = dir / "metadata.csv";
    if (fs::exists(csv, error)) {
        for (const CaptionRow &row : readCaptionCsv(csv.u8string())) {
            if (!fs::exists(dir / fs::u8path(row.fileName), error))
                scan.problems.push_back("metadata.csv names " + row.fileName + ", which is not in the folder");
            fromCsv[row.fileName] = row.text;
        }
        scan.captionSource = "metadata.csv";
    }
    for (const std::string &name : names) {
        scan.images.push_back((dir / fs::u8path(name)).u8string());
        std::string caption;
        if (!fromCsv.empty() || scan.captionSource == "metadata.csv") {
            auto it = fromCsv.find(name);
            if (it != fromCsv.end())
                caption = it->second;
        } else {
            const fs::path txt = (dir / fs::u8path(name)).replace_extension(".txt");
            if (fs::exists(txt, error)) {
                caption = readText(txt);
                scan.captionSource = ".txt files";
            }
        }
        scan.captions.push_back(caption);
    }
    return scan;
}

PreparedData preparedFromFolder(const ImageFolderScan &scan, const std::vector<FilterOp> &ops)
{
    PreparedData prepared;
    prepared.config.textKeys = {"text"};
    prepared.config.imageKey = "images";
    prepared.config.process = ops;
    for (FilterOp &op : prepared.config.process)
        op.imageKey = "images";
    prepared.data.columns = {"text", "images"};
    for (size_t i = 0; i < scan.images.size(); ++i) {
        Sample sample;
        sample.line = static_cast<int>(i);
        sample.values = {Json(scan.captions[i]), Json::array({scan.images[i]})};
        prepared.data.samples.push_back(std::move(sample));
    }
    return prepared;
}

} // namespace studio::dataset
