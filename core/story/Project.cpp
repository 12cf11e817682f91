#include "Project.h"
// Implemented by the story model work.
