#pragma once

// The error every call of the facade throws: studio::engine::EngineError (a code and a message naming the file or
// the setting; std types only). The CLI and the studio include this header, never engine/common directly.
#include "engine/common/EngineError.h"
