#include "SeedPolicy.h"

#include <algorithm>

namespace studio::story {

qint64 randomSeed(QRandomGenerator &rng)
{
    return qint64(rng.generate()); // generate() is uniform over all 2^32 values of quint32
}

qint64 randomSeed()
{
    return randomSeed(*QRandomGenerator::global());
}

qint64 nextSeed(qint64 current, SeedMode mode, QRandomGenerator &rng)
{
    const qint64 seed = std::clamp<qint64>(current, 0, kMaxSeed);
    switch (mode) {
    case SeedMode::Fixed:
        return seed;
    case SeedMode::Increment:
        return seed == kMaxSeed ? 0 : seed + 1;
    case SeedMode::Decrement:
        return seed == 0 ? kMaxSeed : seed - 1;
    case SeedMode::Randomize:
        return randomSeed(rng);
    }
    return seed;
}

} // namespace studio::story
