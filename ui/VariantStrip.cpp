#include "VariantStrip.h"

#include "StoryDocument.h"

#include <QEvent>
#include <QJsonValue>
#include <QPainter>

namespace studio::ui {

namespace {
constexpr int kIconEdge = 72;
}

VariantStrip::VariantStrip(StoryDocument *document, QWidget *parent) : QListWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("variantStrip"));
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setIconSize(QSize(kIconEdge, kIconEdge));
    setSpacing(4);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setMinimumHeight(kIconEdge + 40);

    connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_refreshing && row >= 0)
            m_document->chooseVariant(m_panel, row);
    });
    connect(m_document, &StoryDocument::panelChanged, this, [this](int panel) {
        if (panel == m_panel)
            refresh();
    });
    connect(m_document, &StoryDocument::documentReset, this, &VariantStrip::refresh);
}

void VariantStrip::setPanel(int panel)
{
    m_panel = panel;
    refresh();
}

void VariantStrip::refresh()
{
    m_refreshing = true;
    clear();
    const story::Panel &panel = m_document->project().panels[m_panel];
    for (int i = 0; i < panel.variants.size(); ++i) {
        const QImage thumb = m_cache.thumbnail(m_document->variantImagePath(m_panel, i), kIconEdge);
        QPixmap pixmap(kIconEdge, kIconEdge);
        if (thumb.isNull()) {
            pixmap.fill(palette().color(QPalette::Mid));
        } else {
            pixmap = QPixmap::fromImage(thumb);
        }
        const story::PanelVariant &variant = panel.variants[i];
        //: label under a thumbnail of one rendered image; %1 is its seed
        QString label = tr("seed %1", "random seed").arg(variant.seed);
        const QJsonValue score = variant.parameters.value(QStringLiteral("aestheticScore"));
        if (score.isDouble())
            //: second line under a rendered image; %1 is its aesthetic score, e.g. 6.12
            label += QLatin1Char('\n') + tr("score %1", "aesthetic score").arg(score.toDouble(), 0, 'f', 2);
        auto *item = new QListWidgetItem(QIcon(pixmap), label);
        item->setToolTip(variant.path);
        item->setData(Qt::UserRole, i);
        addItem(item);
    }
    setCurrentRow(panel.chosenVariant);
    m_refreshing = false;
    viewport()->update();
}

QSize VariantStrip::sizeHint() const
{
    return {300, kIconEdge + 48};
}

void VariantStrip::paintEvent(QPaintEvent *event)
{
    QListWidget::paintEvent(event);
    if (count() > 0)
        return;
    QPainter p(viewport());
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap,
               tr("No images yet. Every render of this panel will be kept here."));
}

void VariantStrip::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QListWidget::changeEvent(event);
}

} // namespace studio::ui
