#pragma once

#include "Project.h"

#include <QRandomGenerator>

namespace studio::story {

// The seed a panel gets for its next render, by its seed mode (ComfyUI's control_after_generate):
// fixed keeps it; increment / decrement step by one and wrap around within [0, kMaxSeed];
// randomize draws uniformly from [0, 2^32) — the range every other tool accepts, so a random seed
// can always be typed into A1111, ComfyUI or sd.cpp. A current seed outside [0, kMaxSeed] is first
// brought back into range (clamped) so the result is always a valid seed.
qint64 nextSeed(qint64 current, SeedMode mode, QRandomGenerator &rng);

// A fresh random seed in [0, 2^32) from `rng` (default: the system-seeded global generator).
qint64 randomSeed(QRandomGenerator &rng);
qint64 randomSeed();

} // namespace studio::story
