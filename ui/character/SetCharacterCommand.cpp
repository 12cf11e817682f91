#include "SetCharacterCommand.h"

#include "ui/commands/CommandIds.h"

#include <QCoreApplication>

namespace studio::ui {

SetCharacterCommand::SetCharacterCommand(StoryDocument *document, story::CharacterSettings oldValue,
                                         story::CharacterSettings newValue)
    : m_document(document), m_old(std::move(oldValue)), m_new(std::move(newValue)),
      m_mergeSerial(document->mergeSerial())
{
    setText(QCoreApplication::translate("UndoCommand", "Edit character settings"));
}

void SetCharacterCommand::undo()
{
    m_document->applyCharacter(m_old);
}

void SetCharacterCommand::redo()
{
    m_document->applyCharacter(m_new);
}

int SetCharacterCommand::id() const
{
    return SetCharacterCommandId;
}

bool SetCharacterCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetCharacterCommand *>(other);
    if (o->m_mergeSerial != m_mergeSerial)
        return false;
    m_new = o->m_new;
    setObsolete(m_new == m_old);
    return true;
}

} // namespace studio::ui
