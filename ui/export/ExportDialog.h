#pragma once

#include "story/Project.h"
#include "story/comic/ComicOptions.h"

#include <QDialog>
#include <QImage>
#include <QString>

#include <array>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;

namespace studio::ui {

// What the Export dialog decides: the folder, the comic outputs next to the submission, the visible labels.
struct ExportChoices
{
    QString dir;
    story::ComicOptions comic;    // formats, PDF layout, comic.visibleLabel (on by default in the dialog)
    bool labelSubmission = false; // the visible label on grid.png and the panels (off: the judges see the art)
    QString labelText;            // the visible label's text in the UI language ("AI生成" / "AI-generated")
};

// File > Export: the output folder, which comic outputs to add (strip, PDF with its layout, CBZ), the visible
// "AI生成" label for the comic and for the submission images, and a live preview of the phone strip.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(const story::Project &project, const QString &projectDir, const QString &initialDir,
                 QWidget *parent = nullptr);

    ExportChoices choices() const;
    void setChoices(const ExportChoices &choices);

    // Shows the dialog and returns the choices, or nothing when cancelled. setNextChoices() answers the next
    // call instead (tests); on the offscreen platform an unscripted call is cancelled, as FileDialog does.
    static std::optional<ExportChoices> ask(const story::Project &project, const QString &projectDir,
                                            const QString &initialDir, QWidget *parent);
    static void setNextChoices(const ExportChoices &choices);

    // The label text of the current UI language.
    static QString labelText();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updatePreview();
    void updateButtons();
    void browse();

    story::Project m_project;
    std::array<QImage, story::kPanelCount> m_pictures; // the chosen images, scaled down for the preview

    QLabel *m_folderLabel;
    QLineEdit *m_folder;
    QPushButton *m_browse;
    QGroupBox *m_comicGroup;
    QCheckBox *m_strip;
    QCheckBox *m_pdf;
    QComboBox *m_pdfLayout;
    QCheckBox *m_cbz;
    QGroupBox *m_labelGroup;
    QCheckBox *m_labelComic;
    QCheckBox *m_labelSubmission;
    QLabel *m_implicitNote;
    QLabel *m_previewTitle;
    QScrollArea *m_previewArea;
    QLabel *m_preview;
    QDialogButtonBox *m_buttons;
};

} // namespace studio::ui
