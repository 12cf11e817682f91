#include "PanelEditor.h"

#include "AppSettings.h"
#include "ImagePreview.h"
#include "PanelThumbnail.h"
#include "VariantStrip.h"
#include "prompt/PromptEditorSupport.h"
#include "refine/HiresFixRow.h"
#include "render/PromptTokenCounter.h"

#include "story/SeedPolicy.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QKeyEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace studio::ui {

namespace {

QString samplerDisplayName(const QString &id)
{
    // Names as A1111/ComfyUI users know them; the ids are what the project file stores.
    static const QHash<QString, QString> names = {
        {QStringLiteral("euler"), QStringLiteral("Euler")},
        {QStringLiteral("euler_a"), QStringLiteral("Euler a")},
        {QStringLiteral("dpmpp_2m"), QStringLiteral("DPM++ 2M")},
        {QStringLiteral("dpmpp_2m_karras"), QStringLiteral("DPM++ 2M Karras")},
        {QStringLiteral("ddim"), QStringLiteral("DDIM")},
    };
    return names.value(id, id);
}

void setTextIfDifferent(QPlainTextEdit *edit, const QString &text)
{
    if (edit->toPlainText() == text)
        return;
    const QSignalBlocker blocker(edit);
    edit->setPlainText(text);
    edit->moveCursor(QTextCursor::End);
}

} // namespace

PanelEditor::PanelEditor(StoryDocument *document, QWidget *parent) : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("panelEditor"));

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("panelTitleLabel"));
    QFont headerFont = m_header->font();
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.3);
    headerFont.setBold(true);
    m_header->setFont(headerFont);

    m_preview = new ImagePreview(this);
    m_preview->setFixedSize(256, 256);

    m_promptLabel = new QLabel(this);
    m_tokenLabel = new QLabel(this);
    m_tokenLabel->setObjectName(QStringLiteral("promptTokenLabel"));
    m_tokenLabel->setVisible(false);
    m_tokenCounter = new PromptTokenCounter(this);
    m_tokenTimer.setSingleShot(true);
    m_tokenTimer.setInterval(120); // count once typing pauses, not on every key
    m_prompt = new QPlainTextEdit(this);
    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setUndoRedoEnabled(false); // the story's undo stack covers typing
    m_prompt->setMinimumHeight(90);
    m_promptLabel->setBuddy(m_prompt);

    m_negativeLabel = new QLabel(this);
    m_negative = new QPlainTextEdit(this);
    m_negative->setObjectName(QStringLiteral("negativeEdit"));
    m_negative->setTabChangesFocus(true);
    m_negative->setUndoRedoEnabled(false);
    m_negative->setMinimumHeight(50);
    m_negativeLabel->setBuddy(m_negative);
    PromptEditorSupport::install(m_prompt); // weighting syntax highlighted, Ctrl+Up/Down weights
    PromptEditorSupport::install(m_negative);

    m_captionLabel = new QLabel(this);
    m_caption = new QPlainTextEdit(this);
    m_caption->setObjectName(QStringLiteral("captionEdit"));
    m_caption->setTabChangesFocus(true);
    m_caption->setUndoRedoEnabled(false);
    m_caption->setMinimumHeight(40);
    m_captionLabel->setBuddy(m_caption);

    m_seedLabel = new QLabel(this);
    m_seed = new QDoubleSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setDecimals(0);
    m_seed->setRange(0, double(story::kMaxSeed));
    m_seed->setGroupSeparatorShown(false);
    m_seedLabel->setBuddy(m_seed);
    m_randomSeed = new QToolButton(this);
    m_randomSeed->setObjectName(QStringLiteral("randomSeedButton"));

    m_seedModeLabel = new QLabel(this);
    m_seedMode = new QComboBox(this);
    m_seedMode->setObjectName(QStringLiteral("seedModeCombo"));
    m_seedModeLabel->setBuddy(m_seedMode);

    m_stepsLabel = new QLabel(this);
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("stepsSpin"));
    m_steps->setRange(story::kMinSteps, story::kMaxSteps);
    m_stepsLabel->setBuddy(m_steps);

    m_cfgLabel = new QLabel(this);
    m_cfg = new QDoubleSpinBox(this);
    m_cfg->setObjectName(QStringLiteral("cfgSpin"));
    m_cfg->setRange(story::kMinCfgScale, story::kMaxCfgScale);
    m_cfg->setDecimals(1);
    m_cfg->setSingleStep(0.5);
    m_cfgLabel->setBuddy(m_cfg);

    m_samplerLabel = new QLabel(this);
    m_sampler = new QComboBox(this);
    m_sampler->setObjectName(QStringLiteral("samplerCombo"));
    m_samplerLabel->setBuddy(m_sampler);

    m_sizeLabel = new QLabel(this);
    m_width = new QSpinBox(this);
    m_width->setObjectName(QStringLiteral("widthSpin"));
    m_height = new QSpinBox(this);
    m_height->setObjectName(QStringLiteral("heightSpin"));
    for (QSpinBox *spin : {m_width, m_height}) {
        // The arrows step by 64, which keeps every UNet level's feature map whole; typed values only need
        // to be multiples of 8 (the document rounds down).
        spin->setRange(story::kMinImageSize, story::kMaxImageSize);
        spin->setSingleStep(64);
    }
    m_times = new QLabel(QStringLiteral("×"), this);
    m_sizeLabel->setBuddy(m_width);
    m_hires = new HiresFixRow(m_document, this);

    m_effectiveLabel = new QLabel(this);
    // Read-only text rather than a wrapping label: a long prompt scrolls instead of stretching the editor.
    m_effective = new QPlainTextEdit(this);
    m_effective->setObjectName(QStringLiteral("effectivePromptView"));
    m_effective->setReadOnly(true);
    m_effective->setFrameShape(QFrame::NoFrame);
    m_effective->setFocusPolicy(Qt::NoFocus);
    {
        QPalette pal = m_effective->palette();
        pal.setColor(QPalette::Base, pal.color(QPalette::Window));
        pal.setColor(QPalette::Text, pal.color(QPalette::PlaceholderText));
        m_effective->setPalette(pal);
        m_effective->setFixedHeight(m_effective->fontMetrics().lineSpacing() * 4 + 8);
    }

    m_variantsLabel = new QLabel(this);
    m_variants = new VariantStrip(m_document, this);

    auto *seedRow = new QHBoxLayout;
    seedRow->setContentsMargins(0, 0, 0, 0);
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_randomSeed);
    auto *sizeRow = new QHBoxLayout;
    sizeRow->setContentsMargins(0, 0, 0, 0);
    sizeRow->addWidget(m_width, 1);
    sizeRow->addWidget(m_times);
    sizeRow->addWidget(m_height, 1);

    auto *grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->addWidget(m_seedLabel, 0, 0);
    grid->addLayout(seedRow, 0, 1);
    grid->addWidget(m_seedModeLabel, 0, 2);
    grid->addWidget(m_seedMode, 0, 3);
    grid->addWidget(m_stepsLabel, 1, 0);
    grid->addWidget(m_steps, 1, 1);
    grid->addWidget(m_cfgLabel, 1, 2);
    grid->addWidget(m_cfg, 1, 3);
    grid->addWidget(m_samplerLabel, 2, 0);
    grid->addWidget(m_sampler, 2, 1);
    grid->addWidget(m_sizeLabel, 2, 2);
    grid->addLayout(sizeRow, 2, 3);
    grid->addWidget(m_hires, 3, 0, 1, 4);

    // The text boxes share the preview's height instead of asking for their own (tall) size hints.
    for (QPlainTextEdit *edit : {m_prompt, m_negative, m_caption})
        edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    auto *texts = new QVBoxLayout;
    texts->setContentsMargins(0, 0, 0, 0);
    auto *promptHeader = new QHBoxLayout;
    promptHeader->setContentsMargins(0, 0, 0, 0);
    promptHeader->addWidget(m_promptLabel, 1);
    promptHeader->addWidget(m_tokenLabel);
    texts->addLayout(promptHeader);
    texts->addWidget(m_prompt, 3);
    texts->addWidget(m_negativeLabel);
    texts->addWidget(m_negative, 2);
    texts->addWidget(m_captionLabel);
    texts->addWidget(m_caption, 2);
    auto *top = new QHBoxLayout;
    top->addWidget(m_preview, 0, Qt::AlignTop);
    top->addLayout(texts, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addLayout(top);
    layout->addSpacing(4);
    layout->addLayout(grid);
    layout->addSpacing(4);
    layout->addWidget(m_effectiveLabel);
    layout->addWidget(m_effective);
    layout->addSpacing(4);
    layout->addWidget(m_variantsLabel);
    layout->addWidget(m_variants, 1);

    // Edits from the widgets. Signals are blocked while refresh() writes the document's values back.
    connect(m_prompt, &QPlainTextEdit::textChanged, this,
            [this] { edit(PanelField::Prompt, m_prompt->toPlainText()); });
    connect(m_negative, &QPlainTextEdit::textChanged, this,
            [this] { edit(PanelField::NegativePrompt, m_negative->toPlainText()); });
    connect(m_caption, &QPlainTextEdit::textChanged, this,
            [this] { edit(PanelField::Caption, m_caption->toPlainText()); });
    connect(m_seed, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(PanelField::Seed, QVariant::fromValue<qint64>(qint64(v))); });
    connect(m_randomSeed, &QToolButton::clicked, this, [this] {
        m_document->breakMerge();
        edit(PanelField::Seed, QVariant::fromValue<qint64>(story::randomSeed()));
        m_document->breakMerge();
    });
    connect(m_seedMode, &QComboBox::currentIndexChanged, this,
            [this] { edit(PanelField::SeedMode, m_seedMode->currentData()); });
    connect(m_steps, &QSpinBox::valueChanged, this, [this](int v) { edit(PanelField::Steps, v); });
    connect(m_cfg, &QDoubleSpinBox::valueChanged, this, [this](double v) { edit(PanelField::CfgScale, v); });
    connect(m_sampler, &QComboBox::currentIndexChanged, this,
            [this] { edit(PanelField::Sampler, m_sampler->currentData()); });
    connect(m_width, &QSpinBox::valueChanged, this, [this](int v) { edit(PanelField::Width, v); });
    connect(m_height, &QSpinBox::valueChanged, this, [this](int v) { edit(PanelField::Height, v); });

    // A field losing focus ends its typing session: the next edit is a new undo step.
    for (QWidget *w : std::initializer_list<QWidget *>{m_prompt, m_negative, m_caption, m_seed, m_steps, m_cfg, m_width, m_height})
        w->installEventFilter(this);

    connect(m_document, &StoryDocument::panelChanged, this, [this](int panel) {
        if (panel == m_panel)
            refresh();
    });
    connect(m_document, &StoryDocument::storyChanged, this, &PanelEditor::refreshEffectivePrompt);
    connect(m_document, &StoryDocument::documentReset, this, &PanelEditor::refresh);

    // The "n/256" counter follows the story's model folder (else the default one).
    connect(&m_tokenTimer, &QTimer::timeout, this, &PanelEditor::updateTokenCount);
    connect(m_tokenCounter, &PromptTokenCounter::readyChanged, this, &PanelEditor::updateTokenCount);
    connect(m_document, &StoryDocument::storyChanged, this, [this](StoryField field) {
        if (field == StoryField::ModelFolder)
            updateTokenModel();
    });
    connect(m_document, &StoryDocument::documentReset, this, &PanelEditor::updateTokenModel);
    connect(AppSettings::instance(), &AppSettings::changed, this, [this](Setting key) {
        if (key == Setting::DefaultModelFolder)
            updateTokenModel();
    });
    setAcceptDrops(true); // a PNG dropped here restores the current panel's settings

    retranslateUi();
    refresh();
    updateTokenModel();
}

void PanelEditor::updateTokenModel()
{
    const QString folder = m_document->project().modelFolder.trimmed();
    m_tokenCounter->setModelFolder(
        folder.isEmpty() ? AppSettings::instance()->get(Setting::DefaultModelFolder).toString().trimmed() : folder);
    updateTokenCount();
}

void PanelEditor::updateTokenCount()
{
    if (!m_tokenCounter->isReady()) {
        m_tokenLabel->setVisible(false);
        return;
    }
    // What the text encoder receives: the prompt with the story's style words.
    const PromptTokenCounter::Count c = m_tokenCounter->count(m_document->project().effectivePrompt(m_panel));
    m_tokenLabel->setText(QStringLiteral("%1/%2").arg(c.tokens).arg(c.maxTokens));
    QPalette pal = m_tokenLabel->palette();
    pal.setColor(QPalette::WindowText,
                 c.truncated ? QColor(0xd6, 0x3a, 0x3a) : palette().color(QPalette::PlaceholderText));
    m_tokenLabel->setPalette(pal);
    m_tokenLabel->setToolTip(c.truncated
                                 ? tr("The prompt with the story's style words is longer than Kolors reads (%1 "
                                      "tokens): its end is cut off.")
                                       .arg(c.maxTokens)
                                 : tr("Tokens of the prompt with the story's style words, out of the %1 Kolors reads "
                                      "(2 of them start every prompt).")
                                       .arg(c.maxTokens));
    m_tokenLabel->setVisible(true);
}

void PanelEditor::showRenderPreview(int panel, const QImage &image)
{
    if (panel != m_panel)
        return;
    if (image.isNull())
        m_preview->setImage(m_cache.thumbnail(m_document->chosenImagePath(m_panel), 512));
    else
        m_preview->setImage(image);
}

void PanelEditor::dragEnterEvent(QDragEnterEvent *event)
{
    if (!PanelThumbnail::droppedImagePath(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void PanelEditor::dropEvent(QDropEvent *event)
{
    const QString path = PanelThumbnail::droppedImagePath(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT imageDropped(m_panel, path);
}

void PanelEditor::setPanel(int panel)
{
    if (!StoryDocument::isValidPanel(panel))
        return;
    m_document->breakMerge();
    m_panel = panel;
    m_variants->setPanel(panel);
    m_hires->setPanel(panel);
    refresh();
}

void PanelEditor::edit(PanelField field, const QVariant &value)
{
    if (m_updating)
        return;
    m_document->setPanelField(m_panel, field, value);
}

void PanelEditor::refresh()
{
    m_updating = true;
    const story::Panel &p = m_document->project().panels[m_panel];
    //: header of the panel editor; %1 is the panel number, %2 the number of panels (8)
    m_header->setText(tr("Panel %1 of %2", "storyboard panel").arg(m_panel + 1).arg(story::kPanelCount));
    setTextIfDifferent(m_prompt, p.prompt);
    setTextIfDifferent(m_negative, p.negativePrompt);
    setTextIfDifferent(m_caption, p.caption);
    {
        const QSignalBlocker b1(m_seed), b2(m_steps), b3(m_cfg), b4(m_width), b5(m_height), b6(m_seedMode),
            b7(m_sampler);
        m_seed->setValue(double(p.seed));
        m_steps->setValue(p.steps);
        m_cfg->setValue(p.cfgScale);
        m_width->setValue(p.width);
        m_height->setValue(p.height);
        m_seedMode->setCurrentIndex(m_seedMode->findData(int(p.seedMode)));
        int samplerIndex = m_sampler->findData(p.sampler);
        if (samplerIndex < 0) {
            // A sampler this build does not know: show it rather than silently replacing it.
            m_sampler->addItem(p.sampler, p.sampler);
            samplerIndex = m_sampler->count() - 1;
        }
        m_sampler->setCurrentIndex(samplerIndex);
    }
    m_preview->setImage(m_cache.thumbnail(m_document->chosenImagePath(m_panel), 512));
    refreshEffectivePrompt();
    m_updating = false;
}

void PanelEditor::refreshEffectivePrompt()
{
    const story::Project &project = m_document->project();
    const QString prompt = project.effectivePrompt(m_panel);
    const QString negative = project.effectiveNegativePrompt(m_panel);
    m_tokenTimer.start();
    QString text = prompt.isEmpty() ? tr("(empty)") : prompt;
    if (!negative.isEmpty())
        //: shown under the effective prompt; %1 is the negative prompt
        text += QLatin1Char('\n') + tr("Negative: %1").arg(negative);
    if (m_effective->toPlainText() != text)
        m_effective->setPlainText(text);
}

void PanelEditor::fillCombos()
{
    const QSignalBlocker b1(m_seedMode), b2(m_sampler);
    m_seedMode->clear();
    m_seedMode->addItem(tr("Fixed", "seed mode: keep the seed"), int(story::SeedMode::Fixed));
    m_seedMode->addItem(tr("Increment", "seed mode: seed + 1 on regenerate"), int(story::SeedMode::Increment));
    m_seedMode->addItem(tr("Decrement", "seed mode: seed - 1 on regenerate"), int(story::SeedMode::Decrement));
    m_seedMode->addItem(tr("Randomize", "seed mode: new random seed on regenerate"), int(story::SeedMode::Randomize));
    m_seedMode->setToolTip(tr("What “Regenerate” does to the seed"));
    m_sampler->clear();
    for (const QString &id : story::samplerNames())
        m_sampler->addItem(samplerDisplayName(id), id);
}

void PanelEditor::retranslateUi()
{
    fillCombos();
    m_promptLabel->setText(tr("&Prompt"));
    m_prompt->setPlaceholderText(tr("Describe what this panel shows. Chinese and English both work."));
    m_negativeLabel->setText(tr("&Negative prompt"));
    m_negative->setPlaceholderText(tr("What this panel should avoid (added to the story's shared negative prompt)"));
    m_captionLabel->setText(tr("Capt&ion", "narration or dialogue printed under the panel in the comic"));
    m_caption->setPlaceholderText(tr("Narration or dialogue shown under the panel in the comic (not sent to the "
                                     "model)"));
    m_seedLabel->setText(tr("S&eed", "random seed of the image"));
    m_randomSeed->setText(tr("Random", "button: pick a random seed"));
    m_randomSeed->setToolTip(tr("Pick a random seed"));
    m_seedModeLabel->setText(tr("Seed &mode", "what regenerate does to the seed"));
    m_stepsLabel->setText(tr("S&teps", "sampling steps"));
    m_cfgLabel->setText(tr("&CFG scale"));
    m_cfg->setToolTip(tr("How strictly the image follows the prompt (classifier-free guidance)"));
    m_samplerLabel->setText(tr("S&ampler"));
    m_sizeLabel->setText(tr("Si&ze", "image width x height"));
    m_width->setSuffix(tr(" px", "pixels"));
    m_height->setSuffix(tr(" px", "pixels"));
    m_width->setToolTip(tr("Width in pixels"));
    m_height->setToolTip(tr("Height in pixels"));
    m_effectiveLabel->setText(tr("Prompt sent to the model (with the story's style words):"));
    m_variantsLabel->setText(tr("Images of this panel", "rendered variants"));
    m_preview->setPlaceholderText(tr("No image yet", "panel preview"));
    refresh();
}

void PanelEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool PanelEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusOut)
        m_document->breakMerge();
    // Ctrl+Z in a text field means the story's undo, not the field's own: leave the shortcut to the window.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace studio::ui
