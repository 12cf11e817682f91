#pragma once

#include "ImageProbe.h"

#include <vector>

namespace studio::dataset {

bool looksLikeJpeg(const std::vector<unsigned char> &bytes);
// Decodes every scanline with libjpeg; data that ends before the last scanline is unreadable (Pillow waits for
// more data and fails with "image file is truncated"), while libjpeg's recoverable warnings are ignored as
// Pillow ignores them.
void checkJpeg(const std::vector<unsigned char> &bytes, ImageProbe *probe);

} // namespace studio::dataset
