#pragma once

// Torch-free facade of story generation: several panels rendered as one story, optionally with consistent
// self-attention (the contract: golden/consistency-tiny/README.md part A).
//
// With consistency on, the first K panels (the identity panels) are denoised together as one batch and share
// a random part of their self-attention tokens in the UNet's up blocks; every later panel attends to the identity
// panels' shared tokens of the same step. All panels advance in lockstep, so only the current step's shared tokens
// are kept (see engine/attention/ConsistentSelfAttention.h for the memory figures). Panel i always uses seed + i
// and draws exactly what `generate --seed seed+i` draws; with consistency off (or strength 0) each panel equals
// that plain image.

#include "engine/api/ConsistencySettings.h"
#include "engine/api/Generation.h"

#include <functional>
#include <string>
#include <vector>

namespace studio::engine {

struct StoryRequest
{
    // Everything but the prompt, for every panel: negative prompt, seed (panel i: seed + i), steps, cfg, sampler,
    // size, LoRA, callbacks (onProgress counts the story's lockstep steps; isCancelled is polled before every
    // step; keepLatents fills each result's latents). img2img and the hires fix are not part of a story.
    GenerationRequest base;
    std::vector<std::string> prompts; // one per panel, verbatim
    ConsistencySettings consistency;
    // 0-based panels to render; empty: all. The identity panels always run (the others need them); results and
    // onPanelDone cover every panel that ran.
    std::vector<int> panelsToRender;
    // Called once per panel that ran, in panel order, as soon as its image is decoded.
    std::function<void(int panel, const GenerationResult &)> onPanelDone;
};

} // namespace studio::engine
