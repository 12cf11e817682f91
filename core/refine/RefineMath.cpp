#include "refine/RefineMath.h"

namespace studio::engine {

int denoisingSteps(int steps, double strength)
{
    const double product = double(steps) * strength;
    if (!(product >= 0.0)) // negative or NaN: nothing runs (and the request is refused)
        return 0;
    if (product >= double(steps))
        return steps;
    return int(product);
}

HiresSize hiresSize(int width, int height, double scale, int factor)
{
    HiresSize size;
    const double w = double(width) * scale, h = double(height) * scale;
    if (!(w >= 0.0) || !(h >= 0.0) || w > 1e6 || h > 1e6 || factor <= 0)
        return size;
    size.width = int(w) / factor * factor;
    size.height = int(h) / factor * factor;
    return size;
}

} // namespace studio::engine
