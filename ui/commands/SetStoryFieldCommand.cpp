#include "SetStoryFieldCommand.h"

#include "CommandIds.h"

#include <QCoreApplication>

namespace studio::ui {

SetStoryFieldCommand::SetStoryFieldCommand(StoryDocument *document, StoryField field, QVariant oldValue,
                                           QVariant newValue)
    : m_document(document), m_field(field), m_old(std::move(oldValue)), m_new(std::move(newValue)),
      m_mergeSerial(document->mergeSerial())
{
    //: %1 is a story setting such as "title"
    setText(QCoreApplication::translate("UndoCommand", "Edit story %1").arg(fieldLabel(field)));
}

void SetStoryFieldCommand::undo()
{
    m_document->applyStoryField(m_field, m_old);
}

void SetStoryFieldCommand::redo()
{
    m_document->applyStoryField(m_field, m_new);
}

int SetStoryFieldCommand::id() const
{
    return SetStoryFieldCommandId;
}

bool SetStoryFieldCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetStoryFieldCommand *>(other);
    if (o->m_field != m_field || o->m_mergeSerial != m_mergeSerial)
        return false;
    m_new = o->m_new;
    setObsolete(m_new == m_old);
    return true;
}

QString SetStoryFieldCommand::fieldLabel(StoryField field)
{
    switch (field) {
    case StoryField::Title:
        return QCoreApplication::translate("UndoCommand", "title");
    case StoryField::TeamName:
        return QCoreApplication::translate("UndoCommand", "team name");
    case StoryField::StylePrefix:
        return QCoreApplication::translate("UndoCommand", "style prefix");
    case StoryField::StyleSuffix:
        return QCoreApplication::translate("UndoCommand", "style suffix");
    case StoryField::SharedNegative:
        return QCoreApplication::translate("UndoCommand", "shared negative prompt");
    case StoryField::LoraPath:
        return QCoreApplication::translate("UndoCommand", "LoRA file");
    case StoryField::LoraScale:
        return QCoreApplication::translate("UndoCommand", "LoRA scale");
    case StoryField::ModelFolder:
        return QCoreApplication::translate("UndoCommand", "model folder");
    }
    return {};
}

} // namespace studio::ui
