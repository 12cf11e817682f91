#pragma once

#include "ImageProbe.h"

#include <vector>

namespace studio::dataset {

bool looksLikePng(const std::vector<unsigned char> &bytes);
// Pillow's PNG reading restated: the chunks before the first IDAT are walked with their CRCs checked (Pillow's
// open), then the IDAT stream is inflated until every row of every interlace pass is there, each row's filter
// type checked (Pillow's ZIP decoder, which stops at the last row and never checks later chunks' CRCs).
void checkPng(const std::vector<unsigned char> &bytes, ImageProbe *probe);

} // namespace studio::dataset
