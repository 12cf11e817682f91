#pragma once

namespace studio::ui {

// QUndoCommand::id() values; commands with the same id may merge.
enum CommandId
{
    SetPanelFieldCommandId = 1,
    SetStoryFieldCommandId = 2,
    AddVariantGroupCommandId = 3, // the images of one "Render N variants"
    SetCharacterCommandId = 4,
};

} // namespace studio::ui
