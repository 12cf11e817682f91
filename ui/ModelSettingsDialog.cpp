#include "ModelSettingsDialog.h"

#include "AppSettings.h"
#include "FileDialog.h"
#include "StoryDocument.h"
#include "bridge/WeightCacheFolder.h"
#include "character/IpAdapterSettingsGroup.h"
#include "render/EngineChoices.h"
#include "render/EngineSupport.h"
#include "render/MemoryEstimateLabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QToolButton>
#include <QScopeGuard>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace studio::ui {

namespace {

QHBoxLayout *withButton(QWidget *field, QWidget *button)
{
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(field, 1);
    row->addWidget(button);
    return row;
}

QLabel *noteLabel(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void selectData(QComboBox *combo, const QString &value)
{
    const int index = combo->findData(value);
    combo->setCurrentIndex(index < 0 ? 0 : index);
}

void disableItem(QComboBox *combo, const QString &value, const QString &why)
{
    auto *model = qobject_cast<QStandardItemModel *>(combo->model());
    const int index = combo->findData(value);
    if (!model || index < 0)
        return;
    QStandardItem *item = model->item(index);
    item->setEnabled(false);
    item->setToolTip(why);
    if (combo->currentIndex() == index)
        combo->setCurrentIndex(0);
}

} // namespace

ModelSettingsDialog::ModelSettingsDialog(StoryDocument *document, QWidget *parent)
    : QDialog(parent), m_document(document)
{
    setObjectName(QStringLiteral("modelSettingsDialog"));
    m_intro = noteLabel(this, "modelIntroLabel");
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_intro->setOpenExternalLinks(true);

    m_modelGroup = new QGroupBox(this);
    m_folderLabel = new QLabel(this);
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("modelFolderEdit"));
    m_folder->setClearButtonEnabled(true);
    m_folderBrowse = new QToolButton(this);
    m_folderBrowse->setObjectName(QStringLiteral("modelFolderBrowseButton"));
    m_folderStatus = noteLabel(this, "modelFolderStatus");
    m_folderLabel->setBuddy(m_folder);
    // The LoRA is the story's (the Story tab edits it): only a note here.
    m_loraNote = noteLabel(this, "loraNoteLabel");
    auto *modelForm = new QFormLayout(m_modelGroup);
    modelForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    modelForm->addRow(m_folderLabel, withButton(m_folder, m_folderBrowse));
    modelForm->addRow(QString(), m_folderStatus);
    modelForm->addRow(m_loraNote);

    m_deviceGroup = new QGroupBox(this);
    m_deviceLabel = new QLabel(this);
    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_deviceLabel->setBuddy(m_device);
    m_cudaNote = noteLabel(this, "cudaNoteLabel");
    m_precisionLabel = new QLabel(this);
    m_precision = new QComboBox(this);
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precisionLabel->setBuddy(m_precision);
    m_releaseLabel = new QLabel(this);
    m_release = new QComboBox(this);
    m_release->setObjectName(QStringLiteral("releaseTextEncoderCombo"));
    m_releaseLabel->setBuddy(m_release);
    m_tilingLabel = new QLabel(this);
    m_tiling = new QComboBox(this);
    m_tiling->setObjectName(QStringLiteral("vaeTilingCombo"));
    m_tilingLabel->setBuddy(m_tiling);
    m_textEncoderLabel = new QLabel(this);
    m_textEncoder = new QComboBox(this);
    m_textEncoder->setObjectName(QStringLiteral("textEncoderDeviceCombo"));
    m_textEncoderLabel->setBuddy(m_textEncoder);
    m_offloadLabel = new QLabel(this);
    m_offload = new QComboBox(this);
    m_offload->setObjectName(QStringLiteral("unetOffloadCombo"));
    m_offloadLabel->setBuddy(m_offload);
    m_quantLabel = new QLabel(this);
    m_quant = new QComboBox(this);
    m_quant->setObjectName(QStringLiteral("textEncoderQuantCombo"));
    m_quantLabel->setBuddy(m_quant);
    m_estimate = new MemoryEstimateLabel(this);
    auto *deviceForm = new QFormLayout(m_deviceGroup);
    deviceForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    deviceForm->addRow(m_deviceLabel, m_device);
    deviceForm->addRow(QString(), m_cudaNote);
    deviceForm->addRow(m_precisionLabel, m_precision);
    deviceForm->addRow(m_releaseLabel, m_release);
    deviceForm->addRow(m_tilingLabel, m_tiling);
    deviceForm->addRow(m_textEncoderLabel, m_textEncoder);
    deviceForm->addRow(m_offloadLabel, m_offload);
    deviceForm->addRow(m_quantLabel, m_quant);
    m_quantNote = noteLabel(this, "quantCacheNoteLabel");
    deviceForm->addRow(QString(), m_quantNote);
    deviceForm->addRow(QString(), m_estimate);

    m_aestheticGroup = new QGroupBox(this);
    m_aestheticLabel = new QLabel(this);
    m_aestheticFolder = new QLineEdit(this);
    m_aestheticFolder->setObjectName(QStringLiteral("aestheticFolderEdit"));
    m_aestheticFolder->setClearButtonEnabled(true);
    m_aestheticBrowse = new QToolButton(this);
    m_aestheticBrowse->setObjectName(QStringLiteral("aestheticBrowseButton"));
    m_aestheticLabel->setBuddy(m_aestheticFolder);
    m_aestheticStatus = noteLabel(this, "aestheticStatusLabel");
    m_thresholdLabel = new QLabel(this);
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setObjectName(QStringLiteral("aestheticThresholdSpin"));
    m_threshold->setRange(0.0, 10.0);
    m_threshold->setDecimals(2);
    m_threshold->setSingleStep(0.1);
    m_thresholdLabel->setBuddy(m_threshold);
    auto *aestheticForm = new QFormLayout(m_aestheticGroup);
    aestheticForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    aestheticForm->addRow(m_aestheticLabel, withButton(m_aestheticFolder, m_aestheticBrowse));
    aestheticForm->addRow(QString(), m_aestheticStatus);
    aestheticForm->addRow(m_thresholdLabel, m_threshold);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ModelSettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ModelSettingsDialog::reject);

    // Everything but the buttons scrolls, so the dialog fits a 1366x768 screen whatever the language.
    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_intro);
    contentLayout->addWidget(m_modelGroup);
    contentLayout->addWidget(m_deviceGroup);
    contentLayout->addWidget(m_aestheticGroup);
    m_ipAdapterGroup = new IpAdapterSettingsGroup(content);
    contentLayout->addWidget(m_ipAdapterGroup);
    contentLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("modelSettingsScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_buttons);

    retranslateUi();

    // Current values: the story's folder (else the default one) and LoRA; the application's device settings.
    AppSettings *app = AppSettings::instance();
    const story::Project &project = m_document->project();
    // The folder the studio renders with (RenderQueue::engineSettings): this computer's, else the story's hint.
    const QString machineFolder = app->get(Setting::DefaultModelFolder).toString();
    m_folder->setText(machineFolder.trimmed().isEmpty() ? project.modelFolder : machineFolder);
    selectData(m_device, app->get(Setting::RenderDevice).toString());
    selectData(m_precision, app->get(Setting::RenderPrecision).toString());
    selectData(m_release, app->get(Setting::ReleaseTextEncoder).toString());
    selectData(m_tiling, app->get(Setting::VaeTiling).toString());
    selectData(m_textEncoder, app->get(Setting::TextEncoderDevice).toString());
    selectData(m_offload, app->get(Setting::UNetOffload).toString());
    selectData(m_quant, app->get(Setting::TextEncoderQuant).toString());
    m_aestheticFolder->setText(app->get(Setting::AestheticModelFolder).toString());
    m_threshold->setValue(app->get(Setting::AestheticThreshold).toDouble());
    if (!EngineSupport::cudaAvailable()) {
        disableItem(m_device, QStringLiteral("cuda"), m_cudaNote->text());
        disableItem(m_precision, QStringLiteral("fp16"), m_cudaNote->text());
        disableItem(m_textEncoder, QStringLiteral("cuda"), m_cudaNote->text());
    }

    connect(m_folder, &QLineEdit::editingFinished, this, &ModelSettingsDialog::checkModelFolder);
    for (QComboBox *choice : memoryChoices().values())
        connect(choice, &QComboBox::currentIndexChanged, this, &ModelSettingsDialog::estimateMemory);
    const auto showQuantNote = [this] {
        m_quantNote->setVisible(m_quant->currentData().toString() != QLatin1String("none"));
    };
    showQuantNote();
    connect(m_quant, &QComboBox::currentIndexChanged, this, showQuantNote);
    connect(&m_folderWatcher, &QFutureWatcher<ModelFolderCheck>::finished, this,
            &ModelSettingsDialog::showModelFolderCheck);
    connect(m_aestheticFolder, &QLineEdit::editingFinished, this, &ModelSettingsDialog::checkAestheticFolder);
    connect(m_folderBrowse, &QToolButton::clicked, this, &ModelSettingsDialog::browseModelFolder);
    connect(m_aestheticBrowse, &QToolButton::clicked, this, &ModelSettingsDialog::browseAestheticFolder);
    checkModelFolder();
    checkAestheticFolder();
    estimateMemory(); // for the folder as it is; again when the look above has found the folder to use
    // As tall as the content wants, but never taller than a 768-pixel screen leaves (title bar, taskbar).
    content->setMinimumWidth(640);
    resize(700, qMin(kMaxHeight, content->sizeHint().height() + m_buttons->sizeHint().height() + 40));
}

QString ModelSettingsDialog::modelFilesExplanation()
{
    return tr("<p>Rendering needs the <b>Kolors</b> weights (about 16 GB), downloaded once from "
              "<a href=\"https://huggingface.co/Kwai-Kolors/Kolors-diffusers\">Hugging Face "
              "Kwai-Kolors/Kolors-diffusers</a> or <a href=\"https://modelscope.cn/models/Kwai-Kolors/Kolors\">"
              "ModelScope Kwai-Kolors/Kolors</a>. The folder must hold:</p>"
              "<ul><li><tt>model_index.json</tt> and <tt>scheduler/scheduler_config.json</tt></li>"
              "<li><tt>text_encoder/</tt>: <tt>config.json</tt>, <tt>tokenizer.model</tt> and the ChatGLM3 weights "
              "(<tt>*.safetensors</tt> or <tt>pytorch_model-0000N-of-00007.bin</tt> with their index)</li>"
              "<li><tt>unet/</tt> and <tt>vae/</tt>: <tt>config.json</tt> and "
              "<tt>diffusion_pytorch_model[.fp16].safetensors</tt></li></ul>"
              "<p>DiffSynth-Studio's download (<tt>models/kolors/Kolors</tt>) works too, and so does a Kolors "
              "folder inside ComfyUI (<tt>models/diffusers/Kolors</tt>) or A1111/Forge: choose the installation and "
              "the studio finds it. The files are used where they are; nothing is copied. Without a model, "
              "everything but rendering works.</p>");
}

void ModelSettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Model Settings"));
    m_intro->setText(modelFilesExplanation());
    m_modelGroup->setTitle(tr("Kolors model", "the base model"));
    m_folderLabel->setText(tr("&Model folder"));
    m_folder->setPlaceholderText(tr("Kolors folder, or a ComfyUI / A1111 / DiffSynth installation"));
    m_folderBrowse->setText(tr("Browse…"));
    m_loraNote->setText(tr("The model folder belongs to this computer and serves every story. The LoRA and its "
                           "scale belong to the story: set them in the Story tab, they are saved with it."));
    m_deviceGroup->setTitle(tr("Device and memory"));
    m_deviceLabel->setText(tr("&Device"));
    m_cudaNote->setText(EngineSupport::cudaAvailable()
                            ? QString()
                            : tr("CUDA is not available: no NVIDIA GPU is visible, or this copy of Storyboard Studio "
                                 "was made without GPU support. Rendering runs on the CPU (slow at full size)."));
    m_cudaNote->setVisible(!EngineSupport::cudaAvailable());
    m_precisionLabel->setText(tr("&Precision"));
    m_releaseLabel->setText(tr("&Release the text encoder before sampling"));
    m_release->setToolTip(tr("Frees the ChatGLM3 text encoder (about 12 GB in fp16) after the prompts are encoded. "
                             "Saves GPU memory; each render then loads it again."));
    m_tilingLabel->setText(tr("&Tiled VAE decoding"));
    m_tiling->setToolTip(tr("Decodes the image in tiles: much less memory for large images, slightly slower."));
    m_textEncoderLabel->setText(tr("Te&xt encoder runs on"));
    m_textEncoder->setToolTip(tr("ChatGLM3 needs about 12 GB in fp16. On the CPU it leaves the GPU to the UNet "
                                 "(8-12 GB cards) and encodes a prompt in seconds; the image can differ very "
                                 "slightly. Automatic chooses the CPU when the GPU's free memory is too small."));
    m_offloadLabel->setText(tr("&UNet on the GPU"));
    m_quantLabel->setText(tr("Text encoder &weights"));
    m_quant->setToolTip(tr("ChatGLM3's own int8/int4 quantization, done while loading: about half (int8) or a "
                           "quarter (int4) of the text encoder's memory. The prompt is understood very slightly "
                           "differently, so images change a little; the image parameters record the choice."));
    // Several gigabytes written to the user's disk: say where, and that it may go.
    m_quantNote->setText(tr("Quantized once and kept in %1 (for Kolors about 5.4 GB with int8, 2.7 GB with int4); "
                            "later loads read it from there. Deleting that folder is safe: it is made again.")
                             .arg(QDir::toNativeSeparators(bridge::weightCacheFolder())));
    m_offload->setToolTip(tr("Block by block keeps the UNet in main memory and moves each block to the GPU only "
                             "while it runs: for 4-6 GB cards, slower, the same image."));
    m_aestheticGroup->setTitle(tr("Aesthetic score (challenge gate)"));
    m_aestheticLabel->setText(tr("P&redictor folder"));
    m_aestheticFolder->setPlaceholderText(tr("Optional: the aesthetic predictor (CLIP ViT-L/14 + linear head)"));
    m_aestheticBrowse->setText(tr("Browse…"));
    m_thresholdLabel->setText(tr("T&hreshold", "minimum mean aesthetic score"));
    m_threshold->setToolTip(tr("The challenge rejected stories whose mean aesthetic score was below 6."));
    fillCombos();
}

void ModelSettingsDialog::fillCombos()
{
    auto fill = [](QComboBox *combo, const QList<QPair<QString, QString>> &items) {
        const QString current = combo->currentData().toString();
        combo->clear();
        for (const auto &[text, value] : items)
            combo->addItem(text, value);
        selectData(combo, current);
    };
    fill(m_device, {{tr("Automatic (CUDA when available)"), QStringLiteral("auto")},
                    {tr("CUDA (NVIDIA GPU)"), QStringLiteral("cuda")},
                    {tr("CPU"), QStringLiteral("cpu")}});
    fill(m_precision, {{tr("Automatic (fp16 on CUDA, fp32 on the CPU)"), QStringLiteral("auto")},
                       {tr("fp32 (full precision)"), QStringLiteral("fp32")},
                       {tr("fp16 (half precision, CUDA only)"), QStringLiteral("fp16")}});
    const QList<QPair<QString, QString>> switches = {{tr("Automatic"), QStringLiteral("auto")},
                                                     {tr("On"), QStringLiteral("on")},
                                                     {tr("Off"), QStringLiteral("off")}};
    fill(m_release, switches);
    fill(m_tiling, switches);
    fill(m_textEncoder, {{tr("Automatic (the CPU when GPU memory is short)"), QStringLiteral("auto")},
                         {tr("GPU (with the UNet)"), QStringLiteral("cuda")},
                         {tr("CPU (saves GPU memory)"), QStringLiteral("cpu")}});
    fill(m_quant, {{tr("As stored (16-bit)"), QStringLiteral("none")},
                   {tr("int8 (half the memory)"), QStringLiteral("int8")},
                   {tr("int4 (a quarter, 8 GB cards and 16 GB PCs)"), QStringLiteral("int4")}});
    fill(m_offload, {{tr("Whole UNet"), QStringLiteral("none")},
                     {tr("Block by block (4-6 GB cards, slower)"), QStringLiteral("blocks")}});
}

QString ModelSettingsDialog::modelFolder() const
{
    return m_folder->text().trimmed();
}

void ModelSettingsDialog::checkModelFolder()
{
    const QString dir = modelFolder();
    if (dir.isEmpty()) {
        m_folderStatus->setText(tr("No model folder yet: everything but rendering works."));
        estimateMemory();
        return;
    }
    if (m_folderWatcher.isRunning() && m_folderAsked == dir)
        return;
    m_folderAsked = dir;
    //: %1 is the folder being looked at
    m_folderStatus->setText(tr("Looking for a Kolors model in “%1”…").arg(dir));
    // A ComfyUI or A1111 tree may be large, or on a slow disk: the walk never blocks the window.
    m_folderPending = true;
    m_folderWatcher.setFuture(QtConcurrent::run([dir] { return EngineSupport::findKolorsFolder(dir); }));
}

void ModelSettingsDialog::showModelFolderCheck()
{
    m_folderPending = false;
    const QString dir = modelFolder();
    if (dir != m_folderAsked)
        return; // typed over meanwhile: the look for the new text tells
    const ModelFolderCheck check = m_folderWatcher.result();
    // Whatever the answer, the estimate follows the folder now in the field (a found sub-folder included).
    const auto estimateAfterwards = qScopeGuard([this] { estimateMemory(); });
    if (!check.ok) {
        //: %1 is the engine's message naming the missing file
        m_folderStatus->setText(tr("✗ Not usable: %1").arg(check.message));
        return;
    }
    const QString layout =
        check.layout == QLatin1String("diffsynth") ? tr("DiffSynth layout") : tr("Kolors-diffusers layout");
    if (QDir(check.folder) != QDir(dir)) {
        m_folder->setText(QDir::toNativeSeparators(check.folder));
        //: %1 is the layout name, %2 the folder found inside the chosen one
        m_folderStatus->setText(tr("✓ Found a Kolors model (%1) inside: %2").arg(layout, check.folder));
    } else {
        //: %1 is the layout name
        m_folderStatus->setText(tr("✓ Kolors model found (%1); it is used where it is.").arg(layout));
    }
}

void ModelSettingsDialog::checkAestheticFolder()
{
    const QString dir = m_aestheticFolder->text().trimmed();
    if (dir.isEmpty()) {
        m_aestheticStatus->setText(
            tr("No predictor: panels get no aesthetic score. To get one: %1").arg(EngineSupport::aestheticModelHint()));
        return;
    }
    QString why;
    if (EngineSupport::looksLikeAestheticFolder(dir, &why))
        m_aestheticStatus->setText(tr("✓ Aesthetic predictor found."));
    else
        m_aestheticStatus->setText(tr("✗ Not usable: %1").arg(why));
}

void ModelSettingsDialog::browseModelFolder()
{
    const QString dir = FileDialog::getExistingDirectory(this, tr("Choose the Kolors model folder"), modelFolder());
    if (dir.isEmpty())
        return;
    m_folder->setText(QDir::toNativeSeparators(dir));
    checkModelFolder();
}

void ModelSettingsDialog::browseAestheticFolder()
{
    const QString dir =
        FileDialog::getExistingDirectory(this, tr("Choose the aesthetic predictor folder"), m_aestheticFolder->text());
    if (dir.isEmpty())
        return;
    m_aestheticFolder->setText(QDir::toNativeSeparators(dir));
    checkAestheticFolder();
}

void ModelSettingsDialog::apply()
{
    const QString folder =
        modelFolder().isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(modelFolder()));
    AppSettings *app = AppSettings::instance();
    // The folder is this computer's setting; the story keeps the last one used as a hint for
    // `storyboard render` without --model (the studio itself renders with the computer's folder).
    m_document->breakMerge();
    m_document->setStoryField(StoryField::ModelFolder, folder);
    m_document->breakMerge();
    app->set(Setting::DefaultModelFolder, folder);
    app->set(Setting::RenderDevice, m_device->currentData().toString());
    app->set(Setting::RenderPrecision, m_precision->currentData().toString());
    app->set(Setting::ReleaseTextEncoder, m_release->currentData().toString());
    app->set(Setting::VaeTiling, m_tiling->currentData().toString());
    app->set(Setting::TextEncoderDevice, m_textEncoder->currentData().toString());
    app->set(Setting::UNetOffload, m_offload->currentData().toString());
    app->set(Setting::TextEncoderQuant, m_quant->currentData().toString());
    const QString aesthetic = m_aestheticFolder->text().trimmed();
    app->set(Setting::AestheticModelFolder, aesthetic.isEmpty() ? QString() : QDir::cleanPath(aesthetic));
    app->set(Setting::AestheticThreshold, m_threshold->value());
    m_ipAdapterGroup->apply();
}

void ModelSettingsDialog::accept()
{
    apply();
    QDialog::accept();
}

QHash<Setting, QComboBox *> ModelSettingsDialog::memoryChoices() const
{
    return {{Setting::RenderDevice, m_device},           {Setting::RenderPrecision, m_precision},
            {Setting::ReleaseTextEncoder, m_release},    {Setting::VaeTiling, m_tiling},
            {Setting::TextEncoderDevice, m_textEncoder}, {Setting::UNetOffload, m_offload},
            {Setting::TextEncoderQuant, m_quant}};
}

void ModelSettingsDialog::estimateMemory()
{
    // The choices shown, read the way the render queue reads the saved ones, for the story's largest panel.
    EngineSettings settings;
    settings.modelDir = modelFolder();
    const QHash<Setting, QComboBox *> choices = memoryChoices();
    readEngineChoices([&choices](Setting key) { return choices.value(key)->currentData().toString(); }, &settings);
    int width = 0, height = 0;
    for (const story::Panel &panel : m_document->project().panels) {
        width = qMax(width, panel.width);
        height = qMax(height, panel.height);
    }
    m_estimate->estimate(settings, width, height);
}

void ModelSettingsDialog::showMemoryChoices()
{
    if (auto *scroll = findChild<QScrollArea *>(QStringLiteral("modelSettingsScroll")))
        scroll->verticalScrollBar()->setValue(m_deviceGroup->y());
}

} // namespace studio::ui
