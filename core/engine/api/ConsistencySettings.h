#pragma once

// Consistent self-attention settings of a story (golden/consistency-tiny/README.md part A). Torch-free; its own
// header because both the story request (StoryGeneration.h) and every image's result (Generation.h) carry them.

namespace studio::engine {

struct ConsistencySettings
{
    bool enabled = false;   // off: every panel is a plain generate with seed + i
    int identityPanels = 2; // K: the first K panels are denoised together and share their tokens; 1 <= K <= panels
    double strength = 0.5;  // P in [0, 1]: probability that a token of an identity panel is shared
    int start = 5;          // S >= 0: steps with index < S use plain self-attention

    bool operator==(const ConsistencySettings &o) const
    {
        return enabled == o.enabled && identityPanels == o.identityPanels && strength == o.strength &&
               start == o.start;
    }
    bool operator!=(const ConsistencySettings &o) const { return !(*this == o); }
};

// What one image of a story was made with: the story's settings plus where the panel stood in it.
struct PanelConsistency : ConsistencySettings
{
    int panel = -1;        // 0-based index of the panel in the story's prompts (-1: not made by generateStory)
    bool identity = false; // one of the first K panels (the identity batch)
    // The story's memory cost: the most bytes of identity-panel tokens kept for the later panels at one step.
    long long sharedTokenBytes = 0;
};

} // namespace studio::engine
