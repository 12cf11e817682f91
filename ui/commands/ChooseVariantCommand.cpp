#include "ChooseVariantCommand.h"

#include <QCoreApplication>

namespace studio::ui {

ChooseVariantCommand::ChooseVariantCommand(StoryDocument *document, int panel, int oldVariant, int newVariant)
    : m_document(document), m_panel(panel), m_old(oldVariant), m_new(newVariant)
{
    //: %1 is the panel number 1..8
    setText(QCoreApplication::translate("UndoCommand", "Choose image of panel %1").arg(panel + 1));
}

void ChooseVariantCommand::undo()
{
    m_document->applyChosenVariant(m_panel, m_old);
    m_document->requestPanelFocus(m_panel);
}

void ChooseVariantCommand::redo()
{
    m_document->applyChosenVariant(m_panel, m_new);
    if (!m_firstRedo)
        m_document->requestPanelFocus(m_panel);
    m_firstRedo = false;
}

} // namespace studio::ui
