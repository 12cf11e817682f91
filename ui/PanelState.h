#pragma once

#include <QString>

namespace studio::ui {

// What the board shows for a panel. Empty/HasImage follow from the project itself; the others are
// runtime states of the render queue (never saved, never undone).
enum class PanelState
{
    Empty,     // no chosen image yet
    HasImage,  // a chosen image, nothing pending
    Queued,    // waiting in the render queue
    Running,   // being rendered now
    Done,      // rendered in this session
    Failed,    // the last render failed
    Cancelled, // the last render was cancelled (the previous image is kept)
};

// Translated short label for the board's badge ("空", "排队中", ...).
QString panelStateLabel(PanelState state);

} // namespace studio::ui
