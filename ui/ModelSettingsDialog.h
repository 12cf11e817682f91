#pragma once

#include "AppSettings.h"
#include "render/EngineSupport.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace studio::ui {

class IpAdapterSettingsGroup;
class MemoryEstimateLabel;
class StoryDocument;

// Settings ▸ Model: this computer's settings. The Kolors folder (checked by the engine as it is typed;
// Kolors-diffusers, DiffSynth and Kolors folders inside ComfyUI or A1111/Forge trees are used where they are,
// nothing is copied), the device, precision and low-VRAM choices with the peak memory they need (estimated on a
// pool thread as they change), and the aesthetic predictor with its threshold.
// The story's LoRA is edited in the Story tab; a note here says so. The first-run text says which files are
// needed and where they come from. The content scrolls: the dialog is never taller than kMaxHeight.
// Looking for a Kolors folder inside an installation walks folders: that runs on a pool thread, never on the
// GUI thread; the field takes the folder found when the walk is done.
class ModelSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kMaxHeight = 660; // fits a 1366x768 screen with its title bar and taskbar

    explicit ModelSettingsDialog(StoryDocument *document, QWidget *parent = nullptr);

    // Applies the fields (what OK does).
    void apply();
    // Scrolls the device and memory group (with the estimate) to the top of the view.
    void showMemoryChoices();
    // The folder the dialog would use (after looking inside ComfyUI/A1111-style trees, once that is done).
    QString modelFolder() const;
    // Whether the folder is still being looked at (its status then says so).
    // Until the answer is shown: the pool thread may be done before the window has taken its result.
    bool isCheckingModelFolder() const { return m_folderPending; }

    // The text that explains the model files (also used by the main window's first-run banner).
    static QString modelFilesExplanation();

public Q_SLOTS:
    void accept() override;

private:
    void retranslateUi();
    void checkModelFolder(); // starts the look on a pool thread
    void showModelFolderCheck();
    void checkAestheticFolder();
    void browseModelFolder();
    void browseAestheticFolder();
    void fillCombos();
    QHash<Setting, QComboBox *> memoryChoices() const; // the fields the memory estimate depends on
    void estimateMemory();                             // of the choices shown (not yet applied)

    StoryDocument *m_document;
    QLabel *m_intro;
    QGroupBox *m_modelGroup;
    QLabel *m_folderLabel;
    QLineEdit *m_folder;
    QToolButton *m_folderBrowse;
    QLabel *m_folderStatus;
    QLabel *m_loraNote;
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
    QLabel *m_textEncoderLabel;
    QComboBox *m_textEncoder; // where ChatGLM runs: auto / cuda / cpu
    QLabel *m_offloadLabel;
    QComboBox *m_offload; // UNet block streaming: none / blocks
    QLabel *m_quantLabel;
    QComboBox *m_quant; // ChatGLM3 weights: none / int8 / int4
    QLabel *m_quantNote; // where the quantized weights are kept (shown for int8 / int4)
    MemoryEstimateLabel *m_estimate;
    QGroupBox *m_aestheticGroup;
    QLabel *m_aestheticLabel;
    QLineEdit *m_aestheticFolder;
    QToolButton *m_aestheticBrowse;
    QLabel *m_aestheticStatus;
    QLabel *m_thresholdLabel;
    QDoubleSpinBox *m_threshold;
    IpAdapterSettingsGroup *m_ipAdapterGroup;
    QDialogButtonBox *m_buttons;
    QFutureWatcher<ModelFolderCheck> m_folderWatcher;
    bool m_folderPending = false; // a look started whose answer is not shown yet
    QString m_folderAsked; // the folder the running (or last) look was for
};

} // namespace studio::ui
