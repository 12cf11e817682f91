#include "RefineDialog.h"

#include "ui/FileDialog.h"
#include "ui/ImagePreview.h"
#include "ui/StoryDocument.h"
#include "ui/render/RenderQueue.h"

#include "refine/RefineMath.h"
#include "story/ProjectPaths.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace studio::ui {
namespace {

constexpr int kPreviewEdge = 256;
const QString kInitFolder = QStringLiteral("images/init");

QString sha256Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// A name in the story's images/init/ folder that is not taken yet (or that already holds these bytes).
QString freeName(const QString &dir, const QString &wanted, const QByteArray &bytes)
{
    const QFileInfo info(wanted);
    QString name = wanted;
    for (int n = 2;; ++n) {
        QFile existing(dir + QLatin1Char('/') + name);
        if (!existing.exists())
            return name;
        if (existing.open(QIODevice::ReadOnly) && existing.readAll() == bytes)
            return name;
        name = QStringLiteral("%1-%2.%3").arg(info.completeBaseName()).arg(n).arg(info.suffix());
    }
}

} // namespace

RefineDialog::RefineDialog(StoryDocument *document, RenderQueue *queue, int panel, QWidget *parent)
    : QDialog(parent), m_document(document), m_queue(queue), m_panel(panel)
{
    setObjectName(QStringLiteral("refineDialog"));
    //: window title; %1 is the panel number 1..8
    setWindowTitle(tr("Refine panel %1", "storyboard panel").arg(panel + 1));
    setAcceptDrops(true);

    m_initView = new ImagePreview(this);
    m_initView->setObjectName(QStringLiteral("refineInitView"));
    m_initView->setFixedSize(kPreviewEdge, kPreviewEdge);
    m_initView->setPlaceholderText(tr("Choose, drop or paste an image"));
    m_resultView = new ImagePreview(this);
    m_resultView->setObjectName(QStringLiteral("refineResultView"));
    m_resultView->setFixedSize(kPreviewEdge, kPreviewEdge);
    m_resultView->setPlaceholderText(tr("The result appears here"));
    auto *initLabel = new QLabel(tr("Start from", "img2img init image"), this);
    auto *resultLabel = new QLabel(tr("Result"), this);

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("refineSourceCombo"));
    m_openFile = new QPushButton(tr("&File…"), this);
    m_pasteButton = new QPushButton(tr("&Paste"), this);
    m_pasteButton->setToolTip(tr("Use the image on the clipboard (Ctrl+V)"));

    m_strength = new QSlider(Qt::Horizontal, this);
    m_strength->setObjectName(QStringLiteral("refineStrengthSlider"));
    m_strength->setRange(0, 100);
    m_strength->setValue(60);
    m_strengthValue = new QLabel(this);
    m_strengthValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.00")) + 4);
    m_steps = new QLabel(this);
    m_steps->setObjectName(QStringLiteral("refineStepsLabel"));
    m_steps->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    auto *views = new QGridLayout;
    views->addWidget(initLabel, 0, 0);
    views->addWidget(resultLabel, 0, 1);
    views->addWidget(m_initView, 1, 0);
    views->addWidget(m_resultView, 1, 1);

    auto *sourceRow = new QHBoxLayout;
    sourceRow->addWidget(new QLabel(tr("&Image:", "img2img source"), this));
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(m_openFile);
    sourceRow->addWidget(m_pasteButton);
    static_cast<QLabel *>(sourceRow->itemAt(0)->widget())->setBuddy(m_source);

    auto *strengthRow = new QHBoxLayout;
    auto *strengthLabel = new QLabel(tr("&Denoising strength:"), this);
    strengthLabel->setBuddy(m_strength);
    strengthLabel->setToolTip(tr("How much the image may change: 0 keeps it, 1 paints it anew from noise."));
    strengthRow->addWidget(strengthLabel);
    strengthRow->addWidget(m_strength, 1);
    strengthRow->addWidget(m_strengthValue);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_refine = buttons->addButton(tr("&Refine"), QDialogButtonBox::AcceptRole);
    m_refine->setObjectName(QStringLiteral("refineStartButton"));
    m_refine->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(views);
    layout->addLayout(sourceRow);
    layout->addLayout(strengthRow);
    layout->addWidget(m_steps);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_source, &QComboBox::activated, this, [this](int index) {
        const int variant = m_source->itemData(index).toInt();
        if (variant >= 0)
            useVariant(variant);
    });
    connect(m_openFile, &QPushButton::clicked, this, [this] {
        const QString path = FileDialog::getOpenFileName(this, tr("Image to start from"), m_document->projectDir(),
                                                         tr("Images (*.png *.jpg *.jpeg)"));
        if (!path.isEmpty() && !useFile(path))
            m_status->setText(tr("“%1” is not a PNG or JPEG image that can be read.").arg(QFileInfo(path).fileName()));
    });
    connect(m_pasteButton, &QPushButton::clicked, this, &RefineDialog::paste);
    connect(m_strength, &QSlider::valueChanged, this, &RefineDialog::updateSteps);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_refine, &QPushButton::clicked, this, [this] {
        QString why;
        if (startRefine(&why))
            m_status->setText(tr("Queued. The result is added to the panel's images."));
        else
            m_status->setText(why);
    });
    // The result of this panel's render shows up beside its init image.
    connect(m_queue, &RenderQueue::panelPreview, this, [this](int panel, const QImage &image) {
        if (panel == m_panel)
            m_resultView->setImage(image);
    });
    connect(m_queue, &RenderQueue::panelFinished, this, [this](int panel, const GenerationOutcome &outcome) {
        if (panel == m_panel) {
            m_resultView->setImage(outcome.image);
            m_status->setText(tr("Done: the result is now the panel's chosen image."));
        }
    });
    connect(m_queue, &RenderQueue::panelFailed, this, [this](int panel, const QString &message) {
        if (panel == m_panel)
            m_status->setText(message);
    });

    fillSources();
    const story::Panel &p = m_document->project().panels[size_t(m_panel)];
    if (p.chosenVariant >= 0)
        useVariant(p.chosenVariant);
    updateSteps();
}

void RefineDialog::fillSources()
{
    m_source->clear();
    const story::Panel &p = m_document->project().panels[size_t(m_panel)];
    for (int i = 0; i < p.variants.size(); ++i) {
        //: an image of the panel to refine; %1 its number, %2 its seed
        QString text = tr("Image %1 (seed %2)").arg(i + 1).arg(p.variants[i].seed);
        if (i == p.chosenVariant)
            //: marks the panel's chosen image in a list
            text += tr(" — chosen");
        m_source->addItem(text, i);
    }
    m_source->addItem(tr("Other image (file, drop or paste)"), -1);
}

void RefineDialog::useVariant(int variant)
{
    const QString path = m_document->variantImagePath(m_panel, variant);
    if (path.isEmpty() || !useFile(path)) {
        m_status->setText(tr("Image %1 of this panel cannot be read.").arg(variant + 1));
        return;
    }
    m_source->setCurrentIndex(m_source->findData(variant));
}

bool RefineDialog::useFile(const QString &path)
{
    QImageReader reader(path);
    const QByteArray format = reader.format();
    if (format != "png" && format != "jpeg")
        return false;
    const QImage image = reader.read();
    if (image.isNull())
        return false;
    m_init = image;
    m_sourcePath = QFileInfo(path).absoluteFilePath();
    m_pasted = QImage();
    m_initView->setImage(image);
    m_status->clear();
    const int variant = [&] {
        const story::Panel &p = m_document->project().panels[size_t(m_panel)];
        for (int i = 0; i < p.variants.size(); ++i)
            if (QFileInfo(m_document->variantImagePath(m_panel, i)) == QFileInfo(path))
                return i;
        return -1;
    }();
    m_source->setCurrentIndex(m_source->findData(variant));
    return true;
}

void RefineDialog::useImage(const QImage &image)
{
    if (image.isNull())
        return;
    m_pasted = image.convertToFormat(QImage::Format_RGB888); // PIL's convert("RGB") drops alpha the same way
    m_init = m_pasted;
    m_sourcePath.clear();
    m_initView->setImage(m_init);
    m_source->setCurrentIndex(m_source->findData(-1));
    m_status->clear();
}

void RefineDialog::paste()
{
    const QImage image = QApplication::clipboard()->image();
    if (image.isNull())
        m_status->setText(tr("The clipboard holds no image."));
    else
        useImage(image);
}

void RefineDialog::setStrength(double strength)
{
    m_strength->setValue(int(std::lround(qBound(0.0, strength, 1.0) * 100.0)));
}

double RefineDialog::strength() const
{
    return m_strength->value() / 100.0;
}

int RefineDialog::stepsThatRun() const
{
    return engine::denoisingSteps(m_document->project().panels[size_t(m_panel)].steps, strength());
}

QImage RefineDialog::resultImage() const
{
    return m_resultView->image();
}

void RefineDialog::updateSteps()
{
    const int steps = m_document->project().panels[size_t(m_panel)].steps;
    m_strengthValue->setText(QString::number(strength(), 'f', 2));
    const int run = stepsThatRun();
    //: %1 steps of the panel's %2 steps run in img2img
    m_steps->setText(run < 1 ? tr("No step would run: raise the strength (or the panel's steps).")
                             : tr("%1 of the panel's %2 steps will run.").arg(run).arg(steps));
    m_refine->setEnabled(run >= 1);
}

bool RefineDialog::storeSource(RefineParams *params, QString *why)
{
    const QString projectDir = m_document->projectDir();
    if (projectDir.isEmpty()) {
        *why = tr("Save the story first: rendered images are stored in the story's folder.");
        return false;
    }
    QByteArray bytes;
    QString wanted;
    if (!m_pasted.isNull()) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        m_pasted.save(&buffer, "PNG");
        wanted = QStringLiteral("pasted-%1.png")
                     .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss")));
    } else {
        QFile file(m_sourcePath);
        if (!file.open(QIODevice::ReadOnly)) {
            *why = tr("“%1” cannot be read: %2").arg(QFileInfo(m_sourcePath).fileName(), file.errorString());
            return false;
        }
        bytes = file.readAll();
        wanted = QFileInfo(m_sourcePath).fileName();
    }
    params->initImageSha256 = sha256Of(bytes);
    const QString relative = QDir(projectDir).relativeFilePath(m_sourcePath);
    QString unused;
    if (!m_sourcePath.isEmpty() && story::ProjectPaths::isSafeRelativePath(relative, &unused)) {
        params->initImagePath = m_sourcePath; // inside the story already (one of its images)
        params->initImageFile = relative;
        return true;
    }
    const QString dir = projectDir + QLatin1Char('/') + kInitFolder;
    if (!QDir().mkpath(dir)) {
        *why = tr("The folder “%1” cannot be created.").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    const QString name = freeName(dir, wanted, bytes);
    QFile out(dir + QLatin1Char('/') + name);
    if (!out.exists() && (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())) {
        *why = tr("“%1” cannot be written: %2").arg(QDir::toNativeSeparators(out.fileName()), out.errorString());
        return false;
    }
    params->initImagePath = out.fileName();
    params->initImageFile = kInitFolder + QLatin1Char('/') + name;
    return true;
}

bool RefineDialog::startRefine(QString *why)
{
    QString problem;
    if (m_init.isNull())
        problem = tr("Choose the image to start from first.");
    else if (stepsThatRun() < 1)
        problem = tr("No step would run: raise the strength (or the panel's steps).");
    RefineParams params;
    params.strength = strength();
    if (problem.isEmpty() && storeSource(&params, &problem) && m_queue->refinePanel(m_panel, params, &problem)) {
        m_resultView->setImage(QImage());
        return true;
    }
    if (why)
        *why = problem;
    return false;
}

void RefineDialog::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasImage() || (mime->hasUrls() && mime->urls().size() == 1 && mime->urls().first().isLocalFile()))
        event->acceptProposedAction();
}

void RefineDialog::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls() && mime->urls().size() == 1 && mime->urls().first().isLocalFile()) {
        const QString path = mime->urls().first().toLocalFile();
        if (!useFile(path))
            m_status->setText(tr("“%1” is not a PNG or JPEG image that can be read.").arg(QFileInfo(path).fileName()));
    } else if (mime->hasImage()) {
        useImage(qvariant_cast<QImage>(mime->imageData()));
    }
    event->acceptProposedAction();
}

void RefineDialog::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Paste)) {
        paste();
        return;
    }
    QDialog::keyPressEvent(event);
}

} // namespace studio::ui
