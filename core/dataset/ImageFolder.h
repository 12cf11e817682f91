#pragma once

#include "DataPrep.h"

#include <string>
#include <vector>

// A plain folder of training images (the studio's "choose the image folder"), turned into the same data set the
// Data-Juicer path filters: one sample per image file, in file-name order, with its caption from the folder's
// metadata.csv (file_name,text) when there is one, else from "<image stem>.txt" beside the image, else empty.
namespace studio::dataset {

struct ImageFolderScan
{
    std::vector<std::string> images;   // absolute paths
    std::vector<std::string> captions; // one per image
    std::string captionSource;         // "metadata.csv", ".txt files" or "" (none found)
    std::vector<std::string> problems; // e.g. a metadata.csv row naming a missing file
};

bool isImageFileName(const std::string &name); // .png .jpg .jpeg .webp .bmp (any case)

// Throws DatasetError when the folder cannot be listed or its metadata.csv is malformed (naming the line).
ImageFolderScan scanImageFolder(const std::string &folder);

// The scan as a prepared data set (columns "text", "images") with `ops` as its process list, ready for
// DataPrep::filter. The captions become the texts.
PreparedData preparedFromFolder(const ImageFolderScan &scan, const std::vector<FilterOp> &ops);

} // namespace studio::dataset
