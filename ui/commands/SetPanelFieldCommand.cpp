#include "SetPanelFieldCommand.h"

#include "CommandIds.h"

#include <QCoreApplication>

namespace studio::ui {

namespace {
// Choices from a combo box are single clicks: each one is its own undo step.
bool isMergeable(PanelField field)
{
    return field != PanelField::SeedMode && field != PanelField::Sampler && field != PanelField::HiresEnabled;
}
} // namespace

SetPanelFieldCommand::SetPanelFieldCommand(StoryDocument *document, int panel, PanelField field, QVariant oldValue,
                                           QVariant newValue)
    : m_document(document), m_panel(panel), m_field(field), m_old(std::move(oldValue)), m_new(std::move(newValue)),
      m_mergeSerial(document->mergeSerial())
{
    //: %1 is a field name such as "prompt", %2 the panel number 1..8
    setText(QCoreApplication::translate("UndoCommand", "Edit %1 of panel %2").arg(fieldLabel(field)).arg(panel + 1));
}

void SetPanelFieldCommand::undo()
{
    m_document->applyPanelField(m_panel, m_field, m_old);
    m_document->requestPanelFocus(m_panel);
}

void SetPanelFieldCommand::redo()
{
    m_document->applyPanelField(m_panel, m_field, m_new);
    if (!m_firstRedo)
        m_document->requestPanelFocus(m_panel);
    m_firstRedo = false;
}

int SetPanelFieldCommand::id() const
{
    return SetPanelFieldCommandId;
}

bool SetPanelFieldCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetPanelFieldCommand *>(other);
    if (o->m_panel != m_panel || o->m_field != m_field || o->m_mergeSerial != m_mergeSerial || !isMergeable(m_field))
        return false;
    m_new = o->m_new;
    // Typing and then deleting the same characters leaves nothing to undo.
    setObsolete(m_new == m_old);
    return true;
}

QString SetPanelFieldCommand::fieldLabel(PanelField field)
{
    switch (field) {
    case PanelField::Prompt:
        return QCoreApplication::translate("UndoCommand", "prompt");
    case PanelField::NegativePrompt:
        return QCoreApplication::translate("UndoCommand", "negative prompt");
    case PanelField::Seed:
        return QCoreApplication::translate("UndoCommand", "seed", "random seed of the image");
    case PanelField::SeedMode:
        return QCoreApplication::translate("UndoCommand", "seed mode", "what regenerate does to the seed");
    case PanelField::Steps:
        return QCoreApplication::translate("UndoCommand", "steps", "sampling steps");
    case PanelField::CfgScale:
        return QCoreApplication::translate("UndoCommand", "CFG scale");
    case PanelField::Sampler:
        return QCoreApplication::translate("UndoCommand", "sampler");
    case PanelField::Width:
        return QCoreApplication::translate("UndoCommand", "width");
    case PanelField::Height:
        return QCoreApplication::translate("UndoCommand", "height");
    case PanelField::Caption:
        return QCoreApplication::translate("UndoCommand", "caption", "narration or dialogue under a comic panel");
    case PanelField::HiresEnabled:
        return QCoreApplication::translate("UndoCommand", "hires fix");
    case PanelField::HiresScale:
        return QCoreApplication::translate("UndoCommand", "hires scale");
    case PanelField::HiresStrength:
        return QCoreApplication::translate("UndoCommand", "hires strength");
    case PanelField::HiresSteps:
        return QCoreApplication::translate("UndoCommand", "hires steps");
    }
    return {};
}

} // namespace studio::ui
