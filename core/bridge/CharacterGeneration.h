#pragma once

// The story's reference image (IP-Adapter) turned into engine requests, and the engine's results turned back into
// what an image records: the one path `storyboard render STORY` and the studio's renders share.

#include "engine/api/Generation.h"
#include "story/CharacterReference.h"
#include "story/CharacterUse.h"

namespace studio::bridge {

// Sets the request's IP-Adapter from the story's files, decoding the reference image (PIL's convert("RGB")).
// Nothing when `files` is disabled. Throws EngineError naming the image when it cannot be decoded.
void applyIpAdapter(const story::IpAdapterFiles &files, engine::GenerationRequest *request);

// The IP-Adapter part of what an image records, from the engine's result as used (nothing when it used none):
// the files' names, the reference image's SHA-256 and the scale.
story::CharacterUse ipAdapterUse(const engine::GenerationResult &result, const story::IpAdapterFiles &files);

} // namespace studio::bridge
