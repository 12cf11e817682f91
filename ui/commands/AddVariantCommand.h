#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>

namespace studio::ui {

// Records a newly rendered image of a panel (appended to its variants) and optionally shows it. Undo takes the
// entry off the list and restores the previous choice; the image file stays on disk, so redo brings it back.
class AddVariantCommand : public QUndoCommand
{
public:
    AddVariantCommand(StoryDocument *document, int panel, story::PanelVariant variant, bool choose);

    void undo() override;
    void redo() override;

private:
    StoryDocument *m_document;
    int m_panel;
    story::PanelVariant m_variant;
    bool m_choose;
    int m_index = -1;
    int m_previousChoice = -1;
    bool m_firstRedo = true;
};

} // namespace studio::ui
