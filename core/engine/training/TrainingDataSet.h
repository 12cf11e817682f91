#pragma once

#include "engine/imaging/RgbImage.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace studio::engine {

// A training data set in DiffSynth's layout (training-tiny README, "Data set"): DIR/train/metadata.csv if it exists,
// else DIR/metadata.csv, with the columns file_name and text in any order. The sample index of each row is its
// 0-based position.
struct TrainingRow
{
    std::string fileName; // as written in the CSV (relative to the root)
    std::string path;     // root / fileName
    std::string text;
    int line = 0; // in metadata.csv, for messages
};

struct TrainingDataSet
{
    std::string root;
    std::string csvPath;
    std::vector<TrainingRow> rows;

    // Throws EngineError (MissingFile when neither metadata.csv exists, BadFile for a broken table, an empty
    // file_name or text, a path outside the root, a missing image, no rows at all).
    static TrainingDataSet open(const std::string &dataDir);
};

// How an image becomes a square of `size` (torchvision Resize(size, BILINEAR) + CenterCrop(size) on a PIL image).
struct SquareCrop
{
    int resizedWidth = 0, resizedHeight = 0;
    int top = 0, left = 0;
};
SquareCrop planSquareCrop(int width, int height, int size);

// Decodes (PIL convert("RGB")), resizes with Pillow's bilinear filter and centre-crops one image to size x size.
// Throws EngineError naming the file.
RgbImage loadTrainingImage(const std::string &path, int size, SquareCrop *plan = nullptr);

// [1, 3, H, W] float32: (u8 / 255 - 0.5) / 0.5, RGB, CHW.
at::Tensor imageToPixels(const RgbImage &image);

} // namespace studio::engine
