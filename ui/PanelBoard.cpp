#include "PanelBoard.h"

#include "AppSettings.h"
#include "PanelThumbnail.h"
#include "StoryDocument.h"

#include <QKeyEvent>

namespace studio::ui {

namespace {
constexpr int kGap = 8;
constexpr int kThumbnailEdge = 512; // decoded size; cells are drawn smaller or equal on usual screens
} // namespace

PanelBoard::PanelBoard(StoryDocument *document, QWidget *parent) : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("panelBoard"));
    setFocusPolicy(Qt::StrongFocus);
    for (int i = 0; i < story::kPanelCount; ++i) {
        auto *cell = new PanelThumbnail(i, this);
        connect(cell, &PanelThumbnail::clicked, this, [this](int panel) {
            setCurrentPanel(panel);
            setFocus(Qt::MouseFocusReason);
        });
        connect(cell, &PanelThumbnail::contextMenuRequested, this, [this](int panel, const QPoint &pos) {
            setCurrentPanel(panel);
            Q_EMIT contextMenuRequested(panel, pos);
        });
        connect(cell, &PanelThumbnail::imageDropped, this, &PanelBoard::imageDropped);
        m_cells.append(cell);
    }
    connect(AppSettings::instance(), &AppSettings::changed, this, [this](Setting key) {
        if (key == Setting::AestheticThreshold)
            refreshAll();
    });
    connect(m_document, &StoryDocument::documentReset, this, &PanelBoard::refreshAll);
    connect(m_document, &StoryDocument::panelChanged, this, &PanelBoard::refreshPanel);
    connect(m_document, &StoryDocument::panelStateChanged, this, &PanelBoard::refreshPanel);
    connect(m_document, &StoryDocument::panelFocusRequested, this, &PanelBoard::setCurrentPanel);
    m_cells[0]->setSelected(true);
    refreshAll();
}

PanelThumbnail *PanelBoard::thumbnail(int panel) const
{
    return panel >= 0 && panel < m_cells.size() ? m_cells[panel] : nullptr;
}

void PanelBoard::setPanelProgress(int panel, double fraction)
{
    if (PanelThumbnail *cell = thumbnail(panel))
        cell->setProgress(fraction);
}

void PanelBoard::setPanelPreview(int panel, const QImage &preview)
{
    if (PanelThumbnail *cell = thumbnail(panel))
        cell->setPreview(preview);
}

void PanelBoard::setPanelNote(int panel, const QString &note)
{
    if (PanelThumbnail *cell = thumbnail(panel))
        cell->setNote(note);
}

QSize PanelBoard::sizeHint() const
{
    return {kColumns * 200 + (kColumns + 1) * kGap, kRows * 200 + (kRows + 1) * kGap};
}

QSize PanelBoard::minimumSizeHint() const
{
    return {kColumns * 90 + (kColumns + 1) * kGap, kRows * 90 + (kRows + 1) * kGap};
}

void PanelBoard::setCurrentPanel(int panel)
{
    if (!StoryDocument::isValidPanel(panel) || panel == m_current)
        return;
    m_cells[m_current]->setSelected(false);
    m_current = panel;
    m_cells[m_current]->setSelected(true);
    Q_EMIT currentPanelChanged(panel);
}

void PanelBoard::refreshAll()
{
    for (int i = 0; i < m_cells.size(); ++i)
        refreshPanel(i);
}

void PanelBoard::refreshPanel(int panel)
{
    PanelThumbnail *cell = thumbnail(panel);
    if (!cell)
        return;
    cell->setPrompt(m_document->project().panels[panel].prompt);
    cell->setCaption(m_document->project().panels[panel].caption);
    cell->setImage(m_cache.thumbnail(m_document->chosenImagePath(panel), kThumbnailEdge));
    cell->setState(m_document->panelState(panel));
    std::optional<double> score;
    if (const story::PanelVariant *chosen = m_document->project().panels[panel].chosen()) {
        const QJsonValue value = chosen->parameters.value(QStringLiteral("aestheticScore"));
        if (value.isDouble())
            score = value.toDouble();
    }
    cell->setScore(score, AppSettings::instance()->get(Setting::AestheticThreshold).toDouble());
}

void PanelBoard::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutCells();
}

void PanelBoard::layoutCells()
{
    // Square cells as large as fit, the block centred: the board keeps the grid's 1:2 shape.
    const int cellW = (width() - (kColumns + 1) * kGap) / kColumns;
    const int cellH = (height() - (kRows + 1) * kGap) / kRows;
    const int edge = qMax(10, qMin(cellW, cellH));
    const int blockW = kColumns * edge + (kColumns - 1) * kGap;
    const int blockH = kRows * edge + (kRows - 1) * kGap;
    const int x0 = (width() - blockW) / 2;
    const int y0 = (height() - blockH) / 2;
    for (int i = 0; i < m_cells.size(); ++i) {
        const int row = i / kColumns;
        const int col = i % kColumns;
        m_cells[i]->setGeometry(x0 + col * (edge + kGap), y0 + row * (edge + kGap), edge, edge);
    }
}

void PanelBoard::keyPressEvent(QKeyEvent *event)
{
    int next = m_current;
    switch (event->key()) {
    case Qt::Key_Left:
        next = m_current - 1;
        break;
    case Qt::Key_Right:
        next = m_current + 1;
        break;
    case Qt::Key_Up:
        next = m_current - kColumns;
        break;
    case Qt::Key_Down:
        next = m_current + kColumns;
        break;
    case Qt::Key_Home:
        next = 0;
        break;
    case Qt::Key_End:
        next = story::kPanelCount - 1;
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    if (StoryDocument::isValidPanel(next))
        setCurrentPanel(next);
    event->accept();
}

} // namespace studio::ui
