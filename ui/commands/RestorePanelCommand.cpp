#include "RestorePanelCommand.h"

namespace studio::ui {

RestorePanelCommand::RestorePanelCommand(StoryDocument *document, int panel, const story::Panel &before,
                                         const story::Panel &after, const QString &text)
    : m_document(document), m_panel(panel), m_before(before), m_after(after)
{
    setText(text);
}

void RestorePanelCommand::undo()
{
    m_document->applyPanelSettings(m_panel, m_before);
    m_document->requestPanelFocus(m_panel);
}

void RestorePanelCommand::redo()
{
    m_document->applyPanelSettings(m_panel, m_after);
    if (!m_firstRedo)
        m_document->requestPanelFocus(m_panel);
    m_firstRedo = false;
}

} // namespace studio::ui
