#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>

namespace studio::ui {

// Makes another of a panel's variants the image the panel shows (and the one export uses).
class ChooseVariantCommand : public QUndoCommand
{
public:
    ChooseVariantCommand(StoryDocument *document, int panel, int oldVariant, int newVariant);

    void undo() override;
    void redo() override;

private:
    StoryDocument *m_document;
    int m_panel;
    int m_old;
    int m_new;
    bool m_firstRedo = true;
};

} // namespace studio::ui
