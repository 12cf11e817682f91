#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace studio::ui {

class IpAdapterSettingsGroup;
class StoryDocument;

// Settings ▸ Model: the Kolors folder (checked by the engine as it is typed; Kolors-diffusers, DiffSynth and
// Kolors folders inside ComfyUI or A1111/Forge trees are used where they are, nothing is copied), the story's
// LoRA and scale, the device, precision and low-VRAM switches, and the aesthetic predictor with its threshold.
// The first-run text says which files are needed and where they come from. OK applies: the folder and LoRA go
// into the story as undoable edits (and the folder becomes the default for new stories); the rest are
// application settings.
class ModelSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ModelSettingsDialog(StoryDocument *document, QWidget *parent = nullptr);

    // Applies the fields (what OK does).
    void apply();
    // The folder the dialog would use, after looking inside ComfyUI/A1111-style trees.
    QString modelFolder() const;

    // The text that explains the model files (also used by the main window's first-run banner).
    static QString modelFilesExplanation();

public Q_SLOTS:
    void accept() override;

private:
    void retranslateUi();
    void checkModelFolder();
    void checkAestheticFolder();
    void browseModelFolder();
    void browseLora();
    void browseAestheticFolder();
    void fillCombos();

    StoryDocument *m_document;
    QLabel *m_intro;
    QGroupBox *m_modelGroup;
    QLabel *m_folderLabel;
    QLineEdit *m_folder;
    QToolButton *m_folderBrowse;
    QLabel *m_folderStatus;
    QLabel *m_loraLabel;
    QLineEdit *m_lora;
    QToolButton *m_loraBrowse;
    QLabel *m_loraScaleLabel;
    QDoubleSpinBox *m_loraScale;
    QGroupBox *m_deviceGroup;
    QLabel *m_deviceLabel;
    QComboBox *m_device;
    QLabel *m_cudaNote;
    QLabel *m_precisionLabel;
    QComboBox *m_precision;
    QLabel *m_releaseLabel;
    QComboBox *m_release;
    QLabel *m_tilingLabel;
    QComboBox *m_tiling;
    QGroupBox *m_aestheticGroup;
    QLabel *m_aestheticLabel;
    QLineEdit *m_aestheticFolder;
    QToolButton *m_aestheticBrowse;
    QLabel *m_aestheticStatus;
    QLabel *m_thresholdLabel;
    QDoubleSpinBox *m_threshold;
    IpAdapterSettingsGroup *m_ipAdapterGroup;
    QDialogButtonBox *m_buttons;
};

} // namespace studio::ui
