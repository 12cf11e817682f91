#pragma once

// A story's render plan (consistent characters on) as the engine's story request, and each finished panel's
// record: the path `storyboard render STORY` and the studio's Render All share.

#include "engine/api/StoryGeneration.h"
#include "story/CharacterReference.h"
#include "story/CharacterUse.h"
#include "story/StoryRenderPlan.h"

namespace studio::bridge {

// The engine's story request for `plan`: the plan's shared settings (seed, steps, CFG, sampler, size, negative
// prompt) go into `base`, which brings the LoRA, IP-Adapter and callbacks. The prompts end at the last panel that
// runs; panelsToRender are the panels the plan keeps.
engine::StoryRequest storyRequest(const story::StoryRenderPlan &plan, engine::GenerationRequest base);

// What a story panel records: the consistency it was made with (from the result as used, with the identity
// panels' prompts from `plan`) and the IP-Adapter files and scale.
story::CharacterUse storyPanelUse(const engine::GenerationResult &result, const story::StoryRenderPlan &plan,
                                  const story::IpAdapterFiles &files);

} // namespace studio::bridge
