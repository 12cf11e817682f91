#include "engine/common/EngineError.h"
