#include "PanelState.h"

#include <QCoreApplication>

namespace studio::ui {

QString panelStateLabel(PanelState state)
{
    // Context "PanelState": short words that fit into the badge in the corner of a thumbnail.
    switch (state) {
    case PanelState::Empty:
        return QCoreApplication::translate("PanelState", "Empty", "panel has no image yet");
    case PanelState::HasImage:
        return QCoreApplication::translate("PanelState", "Image", "panel has a chosen image");
    case PanelState::Queued:
        return QCoreApplication::translate("PanelState", "Queued", "panel waits in the render queue");
    case PanelState::Running:
        return QCoreApplication::translate("PanelState", "Rendering", "panel is being rendered now");
    case PanelState::Done:
        return QCoreApplication::translate("PanelState", "Done", "panel finished rendering");
    case PanelState::Failed:
        return QCoreApplication::translate("PanelState", "Failed", "panel render failed");
    case PanelState::Cancelled:
        return QCoreApplication::translate("PanelState", "Cancelled", "panel render was cancelled");
    }
    return {};
}

} // namespace studio::ui
