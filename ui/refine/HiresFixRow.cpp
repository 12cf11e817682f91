#include "HiresFixRow.h"

#include "ui/StoryDocument.h"

#include "refine/RefineMath.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace studio::ui {

HiresFixRow::HiresFixRow(StoryDocument *document, QWidget *parent) : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("hiresFixRow"));
    m_enabled = new QCheckBox(this);
    m_enabled->setObjectName(QStringLiteral("hiresEnabledCheck"));
    m_scaleLabel = new QLabel(this);
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("hiresScaleSpin"));
    m_scale->setRange(story::kMinHiresScale, story::kMaxHiresScale);
    m_scale->setSingleStep(0.25);
    m_scale->setDecimals(2);
    m_scale->setPrefix(QStringLiteral("×"));
    m_strengthLabel = new QLabel(this);
    m_strength = new QDoubleSpinBox(this);
    m_strength->setObjectName(QStringLiteral("hiresStrengthSpin"));
    m_strength->setRange(0.0, 1.0);
    m_strength->setSingleStep(0.05);
    m_strength->setDecimals(2);
    m_stepsLabel = new QLabel(this);
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("hiresStepsSpin"));
    m_steps->setRange(0, story::kMaxSteps);
    m_size = new QLabel(this);
    m_size->setObjectName(QStringLiteral("hiresSizeLabel"));
    for (QLabel *label : {m_scaleLabel, m_strengthLabel, m_stepsLabel})
        label->setBuddy(label == m_scaleLabel      ? static_cast<QWidget *>(m_scale)
                        : label == m_strengthLabel ? static_cast<QWidget *>(m_strength)
                                                   : static_cast<QWidget *>(m_steps));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_enabled);
    layout->addWidget(m_scaleLabel);
    layout->addWidget(m_scale);
    layout->addWidget(m_strengthLabel);
    layout->addWidget(m_strength);
    layout->addWidget(m_stepsLabel);
    layout->addWidget(m_steps);
    layout->addWidget(m_size, 1);

    auto edit = [this](PanelField field, const QVariant &value) {
        if (!m_updating)
            m_document->setPanelField(m_panel, field, value);
    };
    connect(m_enabled, &QCheckBox::toggled, this, [edit](bool on) { edit(PanelField::HiresEnabled, on); });
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, [edit](double v) { edit(PanelField::HiresScale, v); });
    connect(m_strength, &QDoubleSpinBox::valueChanged, this, [edit](double v) { edit(PanelField::HiresStrength, v); });
    connect(m_steps, &QSpinBox::valueChanged, this, [edit](int v) { edit(PanelField::HiresSteps, v); });
    connect(m_document, &StoryDocument::panelChanged, this, [this](int panel) {
        if (panel == m_panel)
            refresh();
    });
    connect(m_document, &StoryDocument::documentReset, this, &HiresFixRow::refresh);
    retranslate();
}

void HiresFixRow::setPanel(int panel)
{
    m_panel = panel;
    refresh();
}

QString HiresFixRow::sizeText() const
{
    return m_size->text();
}

void HiresFixRow::refresh()
{
    if (!StoryDocument::isValidPanel(m_panel))
        return;
    m_updating = true;
    const story::Panel &p = m_document->project().panels[size_t(m_panel)];
    {
        const QSignalBlocker b1(m_enabled), b2(m_scale), b3(m_strength), b4(m_steps);
        m_enabled->setChecked(p.hires.enabled);
        m_scale->setValue(p.hires.scale);
        m_strength->setValue(p.hires.strength);
        m_steps->setValue(p.hires.steps);
    }
    for (QWidget *w : std::initializer_list<QWidget *>{m_scaleLabel, m_scale, m_strengthLabel, m_strength, m_stepsLabel,
                                                       m_steps, m_size})
        w->setEnabled(p.hires.enabled);
    // The engine's own arithmetic, so the label shows what will run.
    const int steps = p.hires.steps > 0 ? p.hires.steps : p.steps;
    const int run = engine::denoisingSteps(steps, p.hires.strength);
    const engine::HiresSize size = engine::hiresSize(p.width, p.height, p.hires.scale);
    //: hires fix result: %1 x %2 pixels, %3 of %4 steps run in the second pass
    m_size->setText(tr("→ %1×%2 px, %3 of %4 steps").arg(size.width).arg(size.height).arg(run).arg(steps));
    m_updating = false;
}

void HiresFixRow::retranslate()
{
    m_enabled->setText(tr("&Hires fix", "A1111's hires fix"));
    m_enabled->setToolTip(tr("Render at the panel's size, upscale the latents and refine them (A1111's hires fix "
                             "with the “Latent” upscaler). The panel keeps its size; the image comes out larger."));
    m_scaleLabel->setText(tr("Scale", "hires fix upscale factor"));
    m_strengthLabel->setText(tr("Strength", "hires fix denoising strength"));
    m_stepsLabel->setText(tr("Steps", "hires fix steps"));
    m_steps->setSpecialValueText(tr("same", "hires steps: as many as the panel's"));
    refresh();
}

void HiresFixRow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace studio::ui
