#include "ExportDialog.h"

#include "ui/FileDialog.h"

#include "story/ProjectPaths.h"
#include "story/comic/ComicLayout.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace studio::ui {

namespace {

constexpr int kPreviewWidth = 270; // pixels: a phone screen at a quarter of 1080

std::optional<ExportChoices> &scripted()
{
    static std::optional<ExportChoices> next;
    return next;
}

} // namespace

ExportDialog::ExportDialog(const story::Project &project, const QString &projectDir, const QString &initialDir,
                           QWidget *parent)
    : QDialog(parent), m_project(project)
{
    setObjectName(QStringLiteral("exportDialog"));
    for (int i = 0; i < story::kPanelCount; ++i) {
        const story::PanelVariant *chosen = project.panels[size_t(i)].chosen();
        if (!chosen || projectDir.isEmpty())
            continue;
        QString why;
        const QString path = story::ProjectPaths::resolveInside(projectDir, chosen->path, &why);
        QImageReader reader(path);
        reader.setAutoTransform(true);
        const QImage image = reader.read();
        if (!image.isNull())
            m_pictures[size_t(i)] = image.scaledToWidth(kPreviewWidth, Qt::SmoothTransformation);
    }

    m_folderLabel = new QLabel(this);
    m_folder = new QLineEdit(initialDir, this);
    m_folder->setObjectName(QStringLiteral("exportFolderEdit"));
    m_folderLabel->setBuddy(m_folder);
    m_browse = new QPushButton(this);
    m_browse->setObjectName(QStringLiteral("exportBrowseButton"));

    m_comicGroup = new QGroupBox(this);
    m_strip = new QCheckBox(m_comicGroup);
    m_strip->setObjectName(QStringLiteral("exportStripCheck"));
    m_pdf = new QCheckBox(m_comicGroup);
    m_pdf->setObjectName(QStringLiteral("exportPdfCheck"));
    m_pdfLayout = new QComboBox(m_comicGroup);
    m_pdfLayout->setObjectName(QStringLiteral("exportPdfLayoutCombo"));
    m_cbz = new QCheckBox(m_comicGroup);
    m_cbz->setObjectName(QStringLiteral("exportCbzCheck"));
    m_strip->setChecked(true);
    m_pdf->setChecked(true);
    m_cbz->setChecked(true);

    m_labelGroup = new QGroupBox(this);
    m_labelComic = new QCheckBox(m_labelGroup);
    m_labelComic->setObjectName(QStringLiteral("exportLabelComicCheck"));
    m_labelComic->setChecked(true); // publication: the rules ask for the visible label
    m_labelSubmission = new QCheckBox(m_labelGroup);
    m_labelSubmission->setObjectName(QStringLiteral("exportLabelSubmissionCheck"));
    m_implicitNote = new QLabel(m_labelGroup);
    m_implicitNote->setWordWrap(true);

    m_previewTitle = new QLabel(this);
    m_preview = new QLabel;
    m_preview->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_previewArea = new QScrollArea(this);
    m_previewArea->setObjectName(QStringLiteral("exportPreview"));
    m_previewArea->setWidget(m_preview);
    m_previewArea->setWidgetResizable(true);
    m_previewArea->setFixedWidth(kPreviewWidth + 24);
    m_previewArea->setMinimumHeight(360);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);

    auto *pdfRow = new QHBoxLayout;
    pdfRow->addWidget(m_pdf);
    pdfRow->addWidget(m_pdfLayout, 1);
    auto *comicLayout = new QVBoxLayout(m_comicGroup);
    comicLayout->addWidget(m_strip);
    comicLayout->addLayout(pdfRow);
    comicLayout->addWidget(m_cbz);

    auto *labelLayout = new QVBoxLayout(m_labelGroup);
    labelLayout->addWidget(m_labelComic);
    labelLayout->addWidget(m_labelSubmission);
    labelLayout->addWidget(m_implicitNote);

    auto *settings = new QVBoxLayout;
    settings->addWidget(m_folderLabel);
    settings->addLayout(folderRow);
    settings->addWidget(m_comicGroup);
    settings->addWidget(m_labelGroup);
    settings->addStretch(1);

    auto *previewColumn = new QVBoxLayout;
    previewColumn->addWidget(m_previewTitle);
    previewColumn->addWidget(m_previewArea, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(settings, 1);
    columns->addLayout(previewColumn);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::updateButtons);
    for (QCheckBox *box : {m_strip, m_pdf, m_cbz, m_labelComic, m_labelSubmission})
        connect(box, &QCheckBox::toggled, this, [this] {
            updateButtons();
            updatePreview();
        });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    retranslateUi();
    updatePreview();
    resize(760, 600);
}

QString ExportDialog::labelText()
{
    return tr("AI-generated", "the visible label drawn on exported images (GB 45438-2025)");
}

void ExportDialog::retranslateUi()
{
    setWindowTitle(tr("Export Story"));
    m_folderLabel->setText(tr("Export to &folder:"));
    m_browse->setText(tr("&Browse…"));
    m_comicGroup->setTitle(tr("Comic to read and share (next to the challenge submission)"));
    m_strip->setText(tr("&Vertical strip for phones (comic-strip.png)"));
    m_pdf->setText(tr("&PDF (comic.pdf)"));
    const int layout = m_pdfLayout->currentIndex();
    m_pdfLayout->clear();
    m_pdfLayout->addItem(tr("2×4 panels on one page"), int(story::ComicOptions::PdfLayout::Grid));
    m_pdfLayout->addItem(tr("One panel per page"), int(story::ComicOptions::PdfLayout::PanelPerPage));
    m_pdfLayout->setCurrentIndex(qMax(0, layout));
    m_cbz->setText(tr("CB&Z for comic readers (comic.cbz)"));
    m_labelGroup->setTitle(tr("AI-generated content label"));
    m_labelComic->setText(tr("Show “%1” on the &comic").arg(labelText()));
    m_labelSubmission->setText(tr("Show “%1” on the &submission images too").arg(labelText()));
    m_implicitNote->setText(tr("Every image and the PDF always carry the implicit label in their metadata, as the "
                               "2025 labelling rules require."));
    m_previewTitle->setText(tr("Preview (phone strip)"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    updateButtons();
    updatePreview();
}

void ExportDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ExportDialog::updateButtons()
{
    m_pdfLayout->setEnabled(m_pdf->isChecked());
    m_labelComic->setEnabled(m_strip->isChecked() || m_pdf->isChecked() || m_cbz->isChecked());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_folder->text().trimmed().isEmpty());
}

void ExportDialog::updatePreview()
{
    const story::ComicContent content = story::ComicContent::fromProject(m_project, m_pictures, QString());
    const std::optional<QString> label =
        m_labelComic->isChecked() ? std::optional<QString>(labelText()) : std::nullopt;
    m_preview->setPixmap(QPixmap::fromImage(story::ComicLayout::strip(content, kPreviewWidth, label)));
}

void ExportDialog::browse()
{
    const QString dir = FileDialog::getExistingDirectory(this, tr("Export Story to Folder"), m_folder->text());
    if (!dir.isEmpty())
        m_folder->setText(QDir::toNativeSeparators(dir));
}

ExportChoices ExportDialog::choices() const
{
    ExportChoices c;
    c.dir = QDir::fromNativeSeparators(m_folder->text().trimmed());
    c.comic.strip = m_strip->isChecked();
    c.comic.pdf = m_pdf->isChecked();
    c.comic.cbz = m_cbz->isChecked();
    c.comic.pdfLayout = story::ComicOptions::PdfLayout(m_pdfLayout->currentData().toInt());
    c.comic.visibleLabel = m_labelComic->isChecked();
    c.comic.labelText = labelText();
    c.labelSubmission = m_labelSubmission->isChecked();
    c.labelText = labelText();
    return c;
}

void ExportDialog::setChoices(const ExportChoices &c)
{
    m_folder->setText(QDir::toNativeSeparators(c.dir));
    m_strip->setChecked(c.comic.strip);
    m_pdf->setChecked(c.comic.pdf);
    m_cbz->setChecked(c.comic.cbz);
    m_pdfLayout->setCurrentIndex(qMax(0, m_pdfLayout->findData(int(c.comic.pdfLayout))));
    m_labelComic->setChecked(c.comic.visibleLabel);
    m_labelSubmission->setChecked(c.labelSubmission);
}

std::optional<ExportChoices> ExportDialog::ask(const story::Project &project, const QString &projectDir,
                                               const QString &initialDir, QWidget *parent)
{
    if (scripted()) {
        const ExportChoices c = *scripted();
        scripted().reset();
        return c;
    }
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        return std::nullopt;
    ExportDialog dialog(project, projectDir, initialDir, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choices();
}

void ExportDialog::setNextChoices(const ExportChoices &choices)
{
    scripted() = choices;
}

} // namespace studio::ui
