#include "AddVariantCommand.h"

#include "CommandIds.h"

#include <QCoreApplication>

namespace studio::ui {

AddVariantCommand::AddVariantCommand(StoryDocument *document, int panel, story::PanelVariant variant, bool choose,
                                     int group)
    : m_document(document), m_panel(panel), m_added{Added{std::move(variant)}}, m_choose(choose), m_group(group)
{
    //: %1 is the panel number 1..8
    setText(QCoreApplication::translate("UndoCommand", "Render panel %1").arg(panel + 1));
}

void AddVariantCommand::undo()
{
    for (auto it = m_added.rbegin(); it != m_added.rend(); ++it) {
        m_document->applyChosenVariant(m_panel, it->previousChoice);
        m_document->applyRemoveVariant(m_panel, it->index);
    }
    m_document->requestPanelFocus(m_panel);
}

void AddVariantCommand::redo()
{
    for (Added &added : m_added) {
        const story::Panel &panel = m_document->project().panels[m_panel];
        added.index = int(panel.variants.size());
        added.previousChoice = panel.chosenVariant;
        m_document->applyInsertVariant(m_panel, added.index, added.variant);
        if (m_choose)
            m_document->applyChosenVariant(m_panel, added.index);
    }
    if (!m_firstRedo)
        m_document->requestPanelFocus(m_panel);
    m_firstRedo = false;
}

int AddVariantCommand::id() const
{
    return m_group > 0 ? AddVariantGroupCommandId : -1;
}

bool AddVariantCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const AddVariantCommand *>(other);
    if (o->m_panel != m_panel || o->m_group != m_group || o->m_choose != m_choose)
        return false;
    m_added += o->m_added; // already applied by its own redo
    //: %1 is the number of images, %2 the panel number 1..8
    setText(QCoreApplication::translate("UndoCommand", "Render %1 variants of panel %2")
                .arg(m_added.size())
                .arg(m_panel + 1));
    return true;
}

} // namespace studio::ui
