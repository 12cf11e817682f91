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

QString VariantStrip::refineSummary(const QJsonObject &parameters, QString *details)
{
    QStringList shortParts, longParts;
    const QJsonObject init = parameters.value(QStringLiteral("initImage")).toObject();
    if (parameters.value(QStringLiteral("strength")).isDouble()) {
        const double strength = parameters.value(QStringLiteral("strength")).toDouble();
        //: short label of an img2img image; %1 is the denoising strength
        shortParts << tr("img2img %1").arg(strength, 0, 'f', 2);
        //: %1 the start image's file, %2 the start of its SHA-256, %3 the strength, %4 the steps that ran
        longParts << tr("Refined from %1 (SHA-256 %2…) at strength %3, %4 steps")
                         .arg(init.value(QStringLiteral("file")).toString(), init.value(QStringLiteral("sha256")).toString().left(12))
                         .arg(strength, 0, 'f', 2)
                         .arg(parameters.value(QStringLiteral("denoisingSteps")).toInt());
    }
    const QJsonObject hires = parameters.value(QStringLiteral("hires")).toObject();
    if (!hires.isEmpty()) {
        //: short label of a hires-fix image; %1 is the scale
        shortParts << tr("hires ×%1").arg(hires.value(QStringLiteral("scale")).toDouble());
        //: %1 scale, %2 x %3 the image size, %4 strength, %5 steps of the second pass
        longParts << tr("Hires fix ×%1 to %2×%3 px, strength %4, %5 steps (upscaler: Latent)")
                         .arg(hires.value(QStringLiteral("scale")).toDouble())
                         .arg(hires.value(QStringLiteral("width")).toInt())
                         .arg(hires.value(QStringLiteral("height")).toInt())
                         .arg(hires.value(QStringLiteral("strength")).toDouble(), 0, 'f', 2)
                         .arg(hires.value(QStringLiteral("steps")).toInt());
    }
    if (parameters.value(QStringLiteral("batchIndex")).isDouble()) {
        const int index = parameters.value(QStringLiteral("batchIndex")).toInt();
        //: %1 is the place of the image in one "Render variants" batch, counted from 1
        longParts << tr("Variant %1 of a batch").arg(index + 1);
    }
    if (details)
        *details = longParts.join(QLatin1Char('\n'));
    return shortParts.join(QStringLiteral(", "));
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
        QString details;
        const QString refine = refineSummary(variant.parameters, &details);
        if (!refine.isEmpty())
            label += QLatin1Char('\n') + refine;
        auto *item = new QListWidgetItem(QIcon(pixmap), label);
        item->setToolTip(details.isEmpty() ? variant.path : variant.path + QLatin1Char('\n') + details);
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
