#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>
#include <QVariant>

namespace studio::ui {

// Changes one field of one panel. Consecutive changes of the same text or number field of the same panel
// within one edit session (StoryDocument::mergeSerial) merge, so typing a prompt is one undo step.
class SetPanelFieldCommand : public QUndoCommand
{
public:
    SetPanelFieldCommand(StoryDocument *document, int panel, PanelField field, QVariant oldValue, QVariant newValue);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

    static QString fieldLabel(PanelField field); // translated field name for the undo text

private:
    StoryDocument *m_document;
    int m_panel;
    PanelField m_field;
    QVariant m_old;
    QVariant m_new;
    int m_mergeSerial;
    bool m_firstRedo = true;
};

} // namespace studio::ui
