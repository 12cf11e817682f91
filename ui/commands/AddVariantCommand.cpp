#include "AddVariantCommand.h"

#include <QCoreApplication>

namespace studio::ui {

AddVariantCommand::AddVariantCommand(StoryDocument *document, int panel, story::PanelVariant variant, bool choose)
    : m_document(document), m_panel(panel), m_variant(std::move(variant)), m_choose(choose)
{
    //: %1 is the panel number 1..8
    setText(QCoreApplication::translate("UndoCommand", "Render panel %1").arg(panel + 1));
}

void AddVariantCommand::undo()
{
    m_document->applyChosenVariant(m_panel, m_previousChoice);
    m_document->applyRemoveVariant(m_panel, m_index);
    m_document->requestPanelFocus(m_panel);
}

void AddVariantCommand::redo()
{
    const story::Panel &panel = m_document->project().panels[m_panel];
    m_index = int(panel.variants.size());
    m_previousChoice = panel.chosenVariant;
    m_document->applyInsertVariant(m_panel, m_index, m_variant);
    if (m_choose)
        m_document->applyChosenVariant(m_panel, m_index);
    if (!m_firstRedo)
        m_document->requestPanelFocus(m_panel);
    m_firstRedo = false;
}

} // namespace studio::ui
