#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>
#include <QVector>

namespace studio::ui {

// Records a newly rendered image of a panel (appended to its variants) and optionally shows it. Undo takes the
// entry off the list and restores the previous choice; the image file stays on disk, so redo brings it back.
// Images of one "Render N variants" share a merge group (> 0): consecutive ones merge into one undo step.
class AddVariantCommand : public QUndoCommand
{
public:
    AddVariantCommand(StoryDocument *document, int panel, story::PanelVariant variant, bool choose, int group = 0);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    struct Added
    {
        story::PanelVariant variant;
        int index = -1;
        int previousChoice = -1;
    };
    StoryDocument *m_document;
    int m_panel;
    QVector<Added> m_added; // in the order they were added
    bool m_choose;
    int m_group;
    bool m_firstRedo = true;
};

} // namespace studio::ui
