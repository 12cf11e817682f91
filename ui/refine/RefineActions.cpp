#include "RefineActions.h"

#include "RefineDialog.h"

#include "ui/StoryDocument.h"
#include "ui/render/RenderQueue.h"

#include <QAction>
#include <QEvent>
#include <QInputDialog>
#include <QPointer>

namespace studio::ui {

RefineActions::RefineActions(StoryDocument *document, RenderQueue *queue, QWidget *window,
                             std::function<int()> currentPanel, std::function<bool()> prepare)
    : QObject(window), m_document(document), m_queue(queue), m_window(window), m_currentPanel(std::move(currentPanel)),
      m_prepare(std::move(prepare))
{
    m_refine = new QAction(this);
    m_refine->setObjectName(QStringLiteral("actionRefinePanel"));
    m_refine->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_variants = new QAction(this);
    m_variants->setObjectName(QStringLiteral("actionRenderVariants"));
    m_variants->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(m_refine, &QAction::triggered, this, [this] { showRefineDialog(); });
    connect(m_variants, &QAction::triggered, this, &RefineActions::askAndRenderVariants);
    window->installEventFilter(this); // language changes
    retranslate();
}

void RefineActions::retranslate()
{
    m_refine->setText(tr("Re&fine Panel…", "img2img"));
    m_refine->setStatusTip(tr("Render the panel again starting from one of its images, a file or a pasted image "
                              "(img2img)"));
    m_variants->setText(tr("Render &Variants…"));
    m_variants->setStatusTip(tr("Render several images of the panel at once with seeds seed, seed+1, … to pick "
                                "from"));
}

bool RefineActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::LanguageChange)
        retranslate();
    return QObject::eventFilter(watched, event);
}

QWidget *RefineActions::showRefineDialog()
{
    if (m_prepare && !m_prepare())
        return nullptr;
    if (m_dialog)
        m_dialog->close();
    auto *dialog = new RefineDialog(m_document, m_queue, m_currentPanel(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QObject::destroyed, this, [this, dialog] {
        if (m_dialog == dialog)
            m_dialog = nullptr;
    });
    dialog->show();
    return dialog;
}

bool RefineActions::renderVariants(int count, QString *why)
{
    return m_queue->renderVariants(m_currentPanel(), count, why);
}

void RefineActions::askAndRenderVariants()
{
    if (m_prepare && !m_prepare())
        return;
    bool ok = false;
    const int panel = m_currentPanel();
    const int count = QInputDialog::getInt(m_window, tr("Render Variants"),
                                           //: %1 is the panel number, %2 its seed
                                           tr("How many images of panel %1 (seeds %2, %2+1, …)?", "storyboard panel")
                                               .arg(panel + 1)
                                               .arg(m_document->project().panels[size_t(panel)].seed),
                                           4, 1, RenderQueue::kMaxVariants, 1, &ok);
    if (!ok)
        return;
    QString why;
    if (!renderVariants(count, &why))
        Q_EMIT message(why);
}

} // namespace studio::ui
