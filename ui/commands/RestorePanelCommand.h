#pragma once

#include "ui/StoryDocument.h"

#include <QUndoCommand>

namespace studio::ui {

// Puts a whole set of generation settings into a panel at once (prompt, negative prompt, seed, seed mode,
// steps, CFG, sampler, size), e.g. read from a dropped PNG: one undo step gives all of them back. The panel's
// images (variants and the chosen one) are not touched.
class RestorePanelCommand : public QUndoCommand
{
public:
    RestorePanelCommand(StoryDocument *document, int panel, const story::Panel &before, const story::Panel &after,
                        const QString &text);

    void undo() override;
    void redo() override;

private:
    StoryDocument *m_document;
    int m_panel;
    story::Panel m_before;
    story::Panel m_after;
    bool m_firstRedo = true;
};

} // namespace studio::ui
