#pragma once

#include <QObject>

#include <functional>

class QAction;
class QWidget;

namespace studio::ui {

class RenderQueue;
class StoryDocument;

// The render menu's refine entries, kept out of MainWindow: "Refine…" (img2img, the Refine dialog) and
// "Render N Variants…" (Ctrl+Shift+R, A1111's batch count with N from 1 to 16). `currentPanel` names the panel
// they act on; `prepare` makes sure rendering can start (model, saved story) and says why not.
class RefineActions : public QObject
{
    Q_OBJECT
public:
    RefineActions(StoryDocument *document, RenderQueue *queue, QWidget *window, std::function<int()> currentPanel,
                  std::function<bool()> prepare);

    QAction *refineAction() const { return m_refine; }
    QAction *variantsAction() const { return m_variants; }

    // Opens the Refine dialog for the current panel (non-modal; one at a time). Returns it for the tests.
    QWidget *showRefineDialog();
    // Queues `count` variants of the current panel without asking; false with *why when nothing started.
    bool renderVariants(int count, QString *why = nullptr);

Q_SIGNALS:
    void message(const QString &text); // for the status bar

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void askAndRenderVariants();

    StoryDocument *m_document;
    RenderQueue *m_queue;
    QWidget *m_window;
    std::function<int()> m_currentPanel;
    std::function<bool()> m_prepare;
    QAction *m_refine;
    QAction *m_variants;
    QWidget *m_dialog = nullptr;
};

} // namespace studio::ui
