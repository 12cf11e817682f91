#include "StorySettingsWidget.h"

#include "AppSettings.h"
#include "FileDialog.h"

#include "story/ProjectPaths.h"

#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QKeyEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace studio::ui {

namespace {
void setTextIfDifferent(QLineEdit *edit, const QString &text)
{
    if (edit->text() != text) {
        const QSignalBlocker blocker(edit);
        edit->setText(text);
    }
}

QLabel *heading(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}
} // namespace

StorySettingsWidget::StorySettingsWidget(StoryDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("storySettings"));

    auto lineEdit = [this](const char *name) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(QLatin1String(name));
        edit->setClearButtonEnabled(true);
        edit->installEventFilter(this);
        return edit;
    };
    m_titleLabel = new QLabel(this);
    m_title = lineEdit("titleEdit");
    m_teamLabel = new QLabel(this);
    m_team = lineEdit("teamEdit");
    m_styleHeading = heading(this);
    m_prefixLabel = new QLabel(this);
    m_prefix = lineEdit("stylePrefixEdit");
    m_suffixLabel = new QLabel(this);
    m_suffix = lineEdit("styleSuffixEdit");
    m_negativeLabel = new QLabel(this);
    m_negative = new QPlainTextEdit(this);
    m_negative->setObjectName(QStringLiteral("sharedNegativeEdit"));
    m_negative->setTabChangesFocus(true);
    m_negative->setUndoRedoEnabled(false); // the story's undo stack covers typing
    m_negative->setMaximumHeight(90);
    m_negative->installEventFilter(this);
    m_modelHeading = heading(this);
    m_loraLabel = new QLabel(this);
    m_loraPath = lineEdit("loraPathEdit");
    m_loraBrowse = new QToolButton(this);
    m_loraBrowse->setObjectName(QStringLiteral("loraBrowseButton"));
    m_loraScaleLabel = new QLabel(this);
    m_loraScale = new QDoubleSpinBox(this);
    m_loraScale->setObjectName(QStringLiteral("loraScaleSpin"));
    m_loraScale->setRange(-4.0, 4.0);
    m_loraScale->setDecimals(2);
    m_loraScale->setSingleStep(0.05);
    m_loraScale->installEventFilter(this);
    // The model folder belongs to the computer (Settings ▸ Model), not to the story: only a note here.
    m_modelNote = new QLabel(this);
    m_modelNote->setObjectName(QStringLiteral("modelFolderNote"));
    m_modelNote->setWordWrap(true);

    // Labels with a mnemonic (&T) need a buddy, or they show the ampersand.
    m_titleLabel->setBuddy(m_title);
    m_teamLabel->setBuddy(m_team);
    m_prefixLabel->setBuddy(m_prefix);
    m_suffixLabel->setBuddy(m_suffix);
    m_negativeLabel->setBuddy(m_negative);
    m_loraLabel->setBuddy(m_loraPath);
    m_loraScaleLabel->setBuddy(m_loraScale);

    auto withButton = [](QWidget *field, QWidget *button) {
        auto *row = new QHBoxLayout;
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(field, 1);
        row->addWidget(button);
        return row;
    };

    auto *storyForm = new QFormLayout;
    storyForm->addRow(m_titleLabel, m_title);
    storyForm->addRow(m_teamLabel, m_team);
    auto *styleForm = new QFormLayout;
    styleForm->addRow(m_prefixLabel, m_prefix);
    styleForm->addRow(m_suffixLabel, m_suffix);
    styleForm->addRow(m_negativeLabel, m_negative);
    auto *modelForm = new QFormLayout;
    modelForm->addRow(m_loraLabel, withButton(m_loraPath, m_loraBrowse));
    modelForm->addRow(m_loraScaleLabel, m_loraScale);
    modelForm->addRow(m_modelNote);
    for (QFormLayout *form : {storyForm, styleForm, modelForm})
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(storyForm);
    layout->addSpacing(8);
    layout->addWidget(m_styleHeading);
    layout->addLayout(styleForm);
    layout->addSpacing(8);
    layout->addWidget(m_modelHeading);
    layout->addLayout(modelForm);
    layout->addStretch(1);

    connect(m_title, &QLineEdit::textEdited, this, [this](const QString &t) { edit(StoryField::Title, t); });
    connect(m_team, &QLineEdit::textEdited, this, [this](const QString &t) { edit(StoryField::TeamName, t); });
    connect(m_prefix, &QLineEdit::textEdited, this, [this](const QString &t) { edit(StoryField::StylePrefix, t); });
    connect(m_suffix, &QLineEdit::textEdited, this, [this](const QString &t) { edit(StoryField::StyleSuffix, t); });
    connect(m_negative, &QPlainTextEdit::textChanged, this,
            [this] { edit(StoryField::SharedNegative, m_negative->toPlainText()); });
    connect(m_loraPath, &QLineEdit::textEdited, this, [this](const QString &t) { edit(StoryField::LoraPath, t); });
    connect(m_loraScale, &QDoubleSpinBox::valueChanged, this, [this](double v) { edit(StoryField::LoraScale, v); });
    connect(m_loraBrowse, &QToolButton::clicked, this, &StorySettingsWidget::browseLora);

    connect(m_document, &StoryDocument::storyChanged, this, &StorySettingsWidget::refresh);
    connect(m_document, &StoryDocument::documentReset, this, &StorySettingsWidget::refresh);

    retranslateUi();
    refresh();
}

void StorySettingsWidget::edit(StoryField field, const QVariant &value)
{
    if (!m_updating)
        m_document->setStoryField(field, value);
}

void StorySettingsWidget::refresh()
{
    m_updating = true;
    const story::Project &p = m_document->project();
    setTextIfDifferent(m_title, p.title);
    setTextIfDifferent(m_team, p.teamName);
    setTextIfDifferent(m_prefix, p.style.prefix);
    setTextIfDifferent(m_suffix, p.style.suffix);
    if (m_negative->toPlainText() != p.style.negativePrompt) {
        const QSignalBlocker blocker(m_negative);
        m_negative->setPlainText(p.style.negativePrompt);
        m_negative->moveCursor(QTextCursor::End);
    }
    setTextIfDifferent(m_loraPath, p.lora.path);
    {
        const QSignalBlocker blocker(m_loraScale);
        m_loraScale->setValue(p.lora.scale);
    }
    m_updating = false;
}

void StorySettingsWidget::browseLora()
{
    const QString projectDir = m_document->projectDir();
    const QString start =
        projectDir.isEmpty() ? AppSettings::instance()->get(Setting::LastProjectDir).toString() : projectDir;
    const QString file = FileDialog::getOpenFileName(
        this, tr("Choose a LoRA file"), start, tr("LoRA weights (*.safetensors *.ckpt *.pt *.bin);;All files (*)"));
    if (file.isEmpty())
        return;
    // Inside the project folder the LoRA is stored relative, so the folder can move as a whole.
    QString stored = story::ProjectPaths::relativeInside(projectDir, file);
    if (stored.isEmpty())
        stored = QDir::cleanPath(QFileInfo(file).absoluteFilePath());
    m_document->breakMerge();
    m_document->setStoryField(StoryField::LoraPath, stored);
    m_document->breakMerge();
}

void StorySettingsWidget::retranslateUi()
{
    m_titleLabel->setText(tr("&Title", "title of the story"));
    m_title->setPlaceholderText(tr("Name of the story"));
    m_teamLabel->setText(tr("T&eam", "challenge team name"));
    m_team->setPlaceholderText(tr("Team name used in the model name of the export"));
    m_styleHeading->setText(tr("Style", "visual style shared by all panels"));
    m_prefixLabel->setText(tr("Words &before", "style words put before every prompt"));
    m_prefix->setPlaceholderText(tr("Put before every panel prompt, e.g. the style or trigger words"));
    m_suffixLabel->setText(tr("Words &after", "style words put after every prompt"));
    m_suffix->setPlaceholderText(tr("Put after every panel prompt, e.g. quality words"));
    m_negativeLabel->setText(tr("Shared &negative", "negative prompt shared by all panels"));
    m_negative->setPlaceholderText(tr("Negative prompt added to every panel"));
    m_modelHeading->setText(tr("LoRA", "the story's LoRA"));
    m_loraLabel->setText(tr("&LoRA file"));
    m_loraPath->setPlaceholderText(tr("Optional .safetensors or .ckpt LoRA"));
    m_loraBrowse->setText(tr("Browse…"));
    m_loraScaleLabel->setText(tr("LoRA &scale", "strength multiplier of the LoRA"));
    m_modelNote->setText(tr("The LoRA and its scale belong to the story and are saved with it. The Kolors model "
                            "folder belongs to this computer: choose it in Settings ▸ Model…."));
}

void StorySettingsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool StorySettingsWidget::eventFilter(QObject *watched, QEvent *event)
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
