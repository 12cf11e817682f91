#include "PromptEditorSupport.h"

#include "PromptHighlighter.h"
#include "PromptWeightEdit.h"

#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QTextCursor>

namespace studio::ui {

PromptEditorSupport::PromptEditorSupport(QPlainTextEdit *edit) : QObject(edit), m_edit(edit) {}

void PromptEditorSupport::install(QPlainTextEdit *edit)
{
    new PromptHighlighter(edit->document());
    edit->installEventFilter(new PromptEditorSupport(edit));
}

bool PromptEditorSupport::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_edit || (event->type() != QEvent::KeyPress && event->type() != QEvent::ShortcutOverride))
        return QObject::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const bool up = key->key() == Qt::Key_Up, down = key->key() == Qt::Key_Down;
    if (!(up || down) || (key->modifiers() & ~Qt::KeypadModifier) != Qt::ControlModifier || m_edit->isReadOnly())
        return QObject::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept(); // the editor, not a window shortcut, handles Ctrl+Up/Down
        return true;
    }
    const QTextCursor cursor = m_edit->textCursor();
    const auto edit = adjustPromptWeight(m_edit->toPlainText(), cursor.selectionStart(), cursor.selectionEnd(),
                                         up ? kWeightStep : -kWeightStep);
    if (edit) {
        QTextCursor all(m_edit->document());
        all.select(QTextCursor::Document);
        all.insertText(edit->text); // one change: one textChanged, one undo step of the story
        QTextCursor selection(m_edit->document());
        selection.setPosition(edit->selectionStart);
        selection.setPosition(edit->selectionEnd, QTextCursor::KeepAnchor);
        m_edit->setTextCursor(selection);
    }
    return true;
}

} // namespace studio::ui
