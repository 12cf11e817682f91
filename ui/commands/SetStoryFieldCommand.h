#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>
#include <QVariant>

namespace studio::ui {

// Changes one story-level field (title, style words, LoRA, ...). Consecutive changes of the same field in one
// edit session merge, like typing in a panel prompt.
class SetStoryFieldCommand : public QUndoCommand
{
public:
    SetStoryFieldCommand(StoryDocument *document, StoryField field, QVariant oldValue, QVariant newValue);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

    static QString fieldLabel(StoryField field);

private:
    StoryDocument *m_document;
    StoryField m_field;
    QVariant m_old;
    QVariant m_new;
    int m_mergeSerial;
};

} // namespace studio::ui
