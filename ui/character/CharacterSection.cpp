#include "CharacterSection.h"

#include "IpAdapterSettingsGroup.h"

#include "ui/AppSettings.h"
#include "ui/FileDialog.h"

#include "story/CharacterReference.h"
#include "story/ProjectPaths.h"

#include <QCheckBox>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace studio::ui {

using story::CharacterSettings;
using story::ReferenceSource;

namespace {

constexpr int kPreviewSize = 96;

QLabel *note(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    return label;
}

template <typename Spin, typename Value> void setQuietly(Spin *spin, Value value)
{
    const QSignalBlocker blocker(spin);
    spin->setValue(value);
}

} // namespace

CharacterSection::CharacterSection(StoryDocument *document, QWidget *parent) : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("characterSection"));

    m_consistencyGroup = new QGroupBox(this);
    m_consistent = new QCheckBox(this);
    m_consistent->setObjectName(QStringLiteral("consistentCharactersCheck"));
    m_identityLabel = new QLabel(this);
    m_identityPanels = new QSpinBox(this);
    m_identityPanels->setObjectName(QStringLiteral("identityPanelsSpin"));
    m_identityPanels->setRange(1, story::kPanelCount);
    m_identityLabel->setBuddy(m_identityPanels);
    m_strengthLabel = new QLabel(this);
    m_strength = new QDoubleSpinBox(this);
    m_strength->setObjectName(QStringLiteral("consistencyStrengthSpin"));
    m_strength->setRange(0.0, 1.0);
    m_strength->setDecimals(2);
    m_strength->setSingleStep(0.05);
    m_strengthLabel->setBuddy(m_strength);
    m_startLabel = new QLabel(this);
    m_start = new QSpinBox(this);
    m_start->setObjectName(QStringLiteral("consistencyStartSpin"));
    m_start->setRange(0, story::kMaxSteps);
    m_startLabel->setBuddy(m_start);
    m_consistencyNote = note(this, "consistencyNoteLabel");
    auto *consistencyForm = new QFormLayout(m_consistencyGroup);
    consistencyForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    consistencyForm->addRow(m_consistent);
    consistencyForm->addRow(m_identityLabel, m_identityPanels);
    consistencyForm->addRow(m_strengthLabel, m_strength);
    consistencyForm->addRow(m_startLabel, m_start);
    consistencyForm->addRow(m_consistencyNote);

    m_referenceGroup = new QGroupBox(this);
    m_sourceLabel = new QLabel(this);
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("referenceSourceCombo"));
    m_sourceLabel->setBuddy(m_source);
    m_fileLabel = new QLabel(this);
    m_fileName = new QLabel(this);
    m_fileName->setObjectName(QStringLiteral("referenceFileLabel"));
    m_fileName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pickFile = new QPushButton(this);
    m_pickFile->setObjectName(QStringLiteral("referencePickButton"));
    m_panelLabel = new QLabel(this);
    m_referencePanel = new QSpinBox(this);
    m_referencePanel->setObjectName(QStringLiteral("referencePanelSpin"));
    m_referencePanel->setRange(1, story::kPanelCount);
    m_panelLabel->setBuddy(m_referencePanel);
    m_useCurrentPanel = new QPushButton(this);
    m_useCurrentPanel->setObjectName(QStringLiteral("referenceUseCurrentPanelButton"));
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("referencePreview"));
    m_preview->setFixedSize(kPreviewSize, kPreviewSize);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_ipScaleLabel = new QLabel(this);
    m_ipScale = new QDoubleSpinBox(this);
    m_ipScale->setObjectName(QStringLiteral("ipScaleSpin"));
    m_ipScale->setRange(0.0, story::kMaxIpScale);
    m_ipScale->setDecimals(2);
    m_ipScale->setSingleStep(0.05);
    m_ipScaleLabel->setBuddy(m_ipScale);

    auto *fileRow = new QHBoxLayout;
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(m_fileName, 1);
    fileRow->addWidget(m_pickFile);
    auto *panelRow = new QHBoxLayout;
    panelRow->setContentsMargins(0, 0, 0, 0);
    panelRow->addWidget(m_referencePanel);
    panelRow->addWidget(m_useCurrentPanel, 1);
    auto *referenceForm = new QFormLayout(m_referenceGroup);
    referenceForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    referenceForm->addRow(m_sourceLabel, m_source);
    referenceForm->addRow(m_fileLabel, fileRow);
    referenceForm->addRow(m_panelLabel, panelRow);
    referenceForm->addRow(QString(), m_preview);
    referenceForm->addRow(m_ipScaleLabel, m_ipScale);

    m_status = note(this, "characterStatusLabel");
    m_status->setTextFormat(Qt::RichText);
    connect(m_status, &QLabel::linkActivated, this, [this] { Q_EMIT modelSettingsRequested(); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_consistencyGroup);
    layout->addWidget(m_referenceGroup);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_consistent, &QCheckBox::toggled, this, [this](bool on) { edit([on](auto &c) { c.consistent = on; }); });
    connect(m_identityPanels, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int k) { edit([k](auto &c) { c.identityPanels = k; }); });
    connect(m_strength, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double p) { edit([p](auto &c) { c.strength = p; }); });
    connect(m_start, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int s) { edit([s](auto &c) { c.start = s; }); });
    connect(m_source, qOverload<int>(&QComboBox::activated), this, [this] {
        const auto source = ReferenceSource(m_source->currentData().toInt());
        if (source == ReferenceSource::File && m_document->project().character.referenceFile.isEmpty())
            return pickReferenceFile(); // nothing to point at yet: choose the file first
        edit([source](auto &c) { c.reference = source; });
    });
    connect(m_referencePanel, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int n) { edit([n](auto &c) { c.referencePanel = n - 1; }); });
    connect(m_ipScale, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double s) { edit([s](auto &c) { c.ipScale = s; }); });
    connect(m_pickFile, &QPushButton::clicked, this, &CharacterSection::pickReferenceFile);
    connect(m_useCurrentPanel, &QPushButton::clicked, this, &CharacterSection::useCurrentPanel);
    // Each spin box drag or typed value is one undo step once focus moves on.
    for (QWidget *w : std::initializer_list<QWidget *>{m_identityPanels, m_strength, m_start, m_ipScale})
        connect(qobject_cast<QAbstractSpinBox *>(w), &QAbstractSpinBox::editingFinished, m_document,
                &StoryDocument::breakMerge);

    connect(m_document, &StoryDocument::characterChanged, this, &CharacterSection::refresh);
    connect(m_document, &StoryDocument::documentReset, this, &CharacterSection::refresh);
    connect(m_document, &StoryDocument::panelChanged, this, [this](int panel) {
        // Typing a prompt only changes the status; a new chosen image of the reference panel changes the preview.
        const CharacterSettings &c = m_document->project().character;
        if (c.reference == ReferenceSource::Panel && c.referencePanel == panel)
            refresh();
        else
            updateStatus();
    });
    connect(AppSettings::instance(), &AppSettings::changed, this, [this](Setting key) {
        if (key == Setting::IpAdapterFile || key == Setting::ImageEncoderFolder)
            updateStatus();
    });
    retranslateUi();
    refresh();
}

void CharacterSection::retranslateUi()
{
    m_consistencyGroup->setTitle(tr("Consistent characters"));
    m_consistent->setText(tr("&Keep the character the same in every panel"));
    m_consistent->setToolTip(tr("The identity panels are rendered together first; every later panel looks at "
                                "their character while it is drawn (consistent self-attention, no extra model)."));
    m_identityLabel->setText(tr("&Identity panels"));
    m_identityPanels->setToolTip(tr("How many of the first panels show the character (default: the first two)."));
    m_strengthLabel->setText(tr("S&trength"));
    m_strength->setToolTip(tr("How much of the identity panels a later panel sees (0: nothing, 1: everything; "
                              "default 0.5)."));
    m_startLabel->setText(tr("Start at st&ep"));
    m_start->setToolTip(tr("Steps before this one draw freely (default 5); lower values hold the character "
                           "more tightly."));
    m_referenceGroup->setTitle(tr("Reference image"));
    m_sourceLabel->setText(tr("&Source"));
    const QSignalBlocker blocker(m_source);
    m_source->clear();
    m_source->addItem(tr("None"), int(ReferenceSource::None));
    m_source->addItem(tr("An image file"), int(ReferenceSource::File));
    m_source->addItem(tr("A panel's chosen image"), int(ReferenceSource::Panel));
    m_fileLabel->setText(tr("File"));
    m_pickFile->setText(tr("&Choose…"));
    m_pickFile->setToolTip(tr("The image is copied into the story's folder."));
    m_panelLabel->setText(tr("&Panel", "storyboard panel"));
    m_ipScaleLabel->setText(tr("IP s&cale"));
    m_ipScale->setToolTip(tr("How strongly the reference image steers every panel (default 0.5)."));
    refresh();
}

void CharacterSection::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CharacterSection::setCurrentPanel(int panel)
{
    m_currentPanel = qBound(0, panel, story::kPanelCount - 1);
    refresh();
}

void CharacterSection::refresh()
{
    m_updating = true;
    const CharacterSettings &c = m_document->project().character;
    {
        const QSignalBlocker blocker(m_consistent);
        m_consistent->setChecked(c.consistent);
    }
    setQuietly(m_identityPanels, c.identityPanels);
    setQuietly(m_strength, c.strength);
    setQuietly(m_start, c.start);
    setQuietly(m_referencePanel, c.referencePanel + 1);
    setQuietly(m_ipScale, c.ipScale);
    {
        const QSignalBlocker blocker(m_source);
        m_source->setCurrentIndex(qMax(0, m_source->findData(int(c.reference))));
    }
    for (QWidget *w : std::initializer_list<QWidget *>{m_identityPanels, m_strength, m_start})
        w->setEnabled(c.consistent);
    const bool file = c.reference == ReferenceSource::File;
    const bool panel = c.reference == ReferenceSource::Panel;
    m_fileLabel->setVisible(file);
    m_fileName->setVisible(file);
    m_pickFile->setVisible(file);
    m_panelLabel->setVisible(panel);
    m_referencePanel->setVisible(panel);
    m_useCurrentPanel->setVisible(panel);
    m_ipScale->setEnabled(c.usesReference());
    m_fileName->setText(c.referenceFile.isEmpty() ? tr("(none)") : QFileInfo(c.referenceFile).fileName());
    //: %1 is the panel number 1..8
    m_useCurrentPanel->setText(tr("Use panel %1", "storyboard panel").arg(m_currentPanel + 1));

    // The first identity panels render first; the note says which and what they share.
    m_consistencyNote->setText(
        c.consistent
            ? tr("Render All draws panels 1–%1 first, then the rest. The story renders as one: every panel uses panel "
                 "1's steps, CFG, sampler and size, and seed + its number.",
                 "storyboard panel")
                  .arg(c.identityPanels)
            : tr("Off: every panel is drawn on its own."));

    QString why;
    const QString path = story::CharacterReference::path(m_document->project(), m_document->projectDir(), &why);
    QPixmap pixmap;
    if (!path.isEmpty()) {
        QImageReader reader(path);
        reader.setAutoTransform(true);
        const QSize size = reader.size();
        if (size.isValid())
            reader.setScaledSize(size.scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio));
        pixmap = QPixmap::fromImage(reader.read());
    }
    m_preview->setVisible(c.usesReference());
    m_preview->setPixmap(pixmap);
    if (pixmap.isNull())
        m_preview->setText(tr("No image"));
    m_updating = false;
    updateStatus();
}

void CharacterSection::updateStatus()
{
    const story::Project &project = m_document->project();
    const CharacterSettings &c = project.character;
    QStringList lines;
    if (c.consistent) {
        for (int i = 0; i < c.identityPanels; ++i) {
            if (project.effectivePrompt(i).isEmpty()) {
                lines << tr("Panel %1 is an identity panel and has no prompt yet.", "storyboard panel").arg(i + 1);
                break;
            }
        }
    }
    if (c.usesReference()) {
        AppSettings *app = AppSettings::instance();
        QString why;
        if (!IpAdapterSettingsGroup::looksUsable(app->get(Setting::IpAdapterFile).toString(),
                                                 app->get(Setting::ImageEncoderFolder).toString(), &why))
            lines << tr("A reference image needs the IP-Adapter files: set them in <a href=\"#model\">Settings ▸ "
                        "Model…</a>.");
        if (m_document->projectDir().isEmpty())
            lines << tr("Save the story first: the reference image is kept in the story's folder.");
        else if (c.reference == ReferenceSource::Panel && !project.panels[size_t(c.referencePanel)].chosen())
            lines << tr("Panel %1 has no chosen image yet: render it first.", "storyboard panel")
                         .arg(c.referencePanel + 1);
        else if (story::CharacterReference::path(project, m_document->projectDir(), &why).isEmpty())
            lines << tr("The reference image is missing from the story's folder: choose it again.");
    }
    m_status->setText(lines.join(QStringLiteral("<br>")));
    m_status->setVisible(!lines.isEmpty());
}

void CharacterSection::edit(const std::function<void(CharacterSettings &)> &change)
{
    if (m_updating)
        return;
    CharacterSettings next = m_document->project().character;
    change(next);
    if (!m_document->setCharacter(next))
        refresh(); // refused (out of range): show the stored values again
}

bool CharacterSection::useReferenceFile(const QString &path, QString *error)
{
    const QString relative = story::CharacterReference::import(m_document->projectDir(), path, error);
    if (relative.isEmpty())
        return false;
    m_document->breakMerge();
    edit([&relative](CharacterSettings &c) {
        c.reference = ReferenceSource::File;
        c.referenceFile = relative;
    });
    m_document->breakMerge();
    return true;
}

void CharacterSection::pickReferenceFile()
{
    if (m_document->projectDir().isEmpty()) {
        m_status->setText(tr("Save the story first: the reference image is kept in the story's folder."));
        m_status->setVisible(true);
        refresh();
        return;
    }
    const QString file =
        FileDialog::getOpenFileName(this, tr("Choose the character's reference image"), m_document->projectDir(),
                                    tr("Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)"));
    if (file.isEmpty()) {
        refresh();
        return;
    }
    QString error;
    if (!useReferenceFile(file, &error)) {
        m_status->setText(tr("The image cannot be used: %1").arg(error.toHtmlEscaped()));
        m_status->setVisible(true);
    }
}

void CharacterSection::useCurrentPanel()
{
    m_document->breakMerge();
    edit([this](CharacterSettings &c) {
        c.reference = ReferenceSource::Panel;
        c.referencePanel = m_currentPanel;
    });
    m_document->breakMerge();
}

} // namespace studio::ui
