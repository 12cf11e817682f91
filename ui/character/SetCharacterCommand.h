#pragma once

#include "ui/StoryDocument.h"

#include "story/CharacterSettings.h"

#include <QUndoCommand>

namespace studio::ui {

// Replaces the story's character settings (consistent characters, identity panels, strength, start, reference
// image, IP scale). Consecutive edits in one edit session merge (dragging a spin box is one undo step), like typing.
class SetCharacterCommand : public QUndoCommand
{
public:
    SetCharacterCommand(StoryDocument *document, story::CharacterSettings oldValue, story::CharacterSettings newValue);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    StoryDocument *m_document;
    story::CharacterSettings m_old;
    story::CharacterSettings m_new;
    int m_mergeSerial;
};

} // namespace studio::ui
