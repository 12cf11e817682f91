#include "IpAdapterSettingsGroup.h"

#include "ui/AppSettings.h"
#include "ui/FileDialog.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

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

QString cleaned(const QLineEdit *edit)
{
    const QString text = edit->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

} // namespace

IpAdapterSettingsGroup::IpAdapterSettingsGroup(QWidget *parent) : QGroupBox(parent)
{
    setObjectName(QStringLiteral("ipAdapterGroup"));
    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("ipAdapterIntroLabel"));
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_intro->setOpenExternalLinks(true);
    m_fileLabel = new QLabel(this);
    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("ipAdapterFileEdit"));
    m_file->setClearButtonEnabled(true);
    m_fileLabel->setBuddy(m_file);
    m_fileBrowse = new QToolButton(this);
    m_fileBrowse->setObjectName(QStringLiteral("ipAdapterFileBrowseButton"));
    m_encoderLabel = new QLabel(this);
    m_encoder = new QLineEdit(this);
    m_encoder->setObjectName(QStringLiteral("imageEncoderFolderEdit"));
    m_encoder->setClearButtonEnabled(true);
    m_encoderLabel->setBuddy(m_encoder);
    m_encoderBrowse = new QToolButton(this);
    m_encoderBrowse->setObjectName(QStringLiteral("imageEncoderBrowseButton"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("ipAdapterStatusLabel"));
    m_status->setWordWrap(true);

    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_intro);
    form->addRow(m_fileLabel, withButton(m_file, m_fileBrowse));
    form->addRow(m_encoderLabel, withButton(m_encoder, m_encoderBrowse));
    form->addRow(QString(), m_status);

    AppSettings *app = AppSettings::instance();
    m_file->setText(QDir::toNativeSeparators(app->get(Setting::IpAdapterFile).toString()));
    m_encoder->setText(QDir::toNativeSeparators(app->get(Setting::ImageEncoderFolder).toString()));
    connect(m_file, &QLineEdit::editingFinished, this, &IpAdapterSettingsGroup::check);
    connect(m_encoder, &QLineEdit::editingFinished, this, &IpAdapterSettingsGroup::check);
    connect(m_fileBrowse, &QToolButton::clicked, this, &IpAdapterSettingsGroup::browseFile);
    connect(m_encoderBrowse, &QToolButton::clicked, this, &IpAdapterSettingsGroup::browseFolder);
    retranslateUi();
}

void IpAdapterSettingsGroup::retranslateUi()
{
    setTitle(tr("Reference image (IP-Adapter)"));
    m_intro->setText(tr("A story's reference image needs Kolors-IP-Adapter-Plus, downloaded once from <a "
                        "href=\"https://huggingface.co/Kwai-Kolors/Kolors-IP-Adapter-Plus\">Hugging Face "
                        "Kwai-Kolors/Kolors-IP-Adapter-Plus</a>: the file <tt>ip_adapter_plus_general.bin</tt> "
                        "and the folder <tt>image_encoder/</tt>."));
    m_fileLabel->setText(tr("IP-&Adapter file"));
    m_file->setPlaceholderText(tr("ip_adapter_plus_general.bin or .safetensors"));
    m_fileBrowse->setText(tr("Browse…"));
    m_encoderLabel->setText(tr("Image &encoder folder"));
    m_encoder->setPlaceholderText(tr("Kolors-IP-Adapter-Plus/image_encoder"));
    m_encoderBrowse->setText(tr("Browse…"));
    check();
}

bool IpAdapterSettingsGroup::looksUsable(const QString &file, const QString &encoderDir, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (file.isEmpty() || encoderDir.isEmpty())
        return refuse(tr("No IP-Adapter file or image encoder folder is set (Settings ▸ Model)."));
    if (!QFileInfo(file).isFile())
        return refuse(tr("The IP-Adapter file “%1” does not exist.").arg(QDir::toNativeSeparators(file)));
    const QDir dir(encoderDir);
    for (const char *name : {"config.json", "preprocessor_config.json"}) {
        if (!dir.exists(QLatin1String(name)))
            return refuse(tr("The image encoder folder has no %1.").arg(QLatin1String(name)));
    }
    if (!dir.exists(QStringLiteral("model.safetensors")) && !dir.exists(QStringLiteral("pytorch_model.bin")))
        return refuse(tr("The image encoder folder has no model.safetensors or pytorch_model.bin."));
    return true;
}

void IpAdapterSettingsGroup::check()
{
    const QString file = cleaned(m_file);
    const QString encoder = cleaned(m_encoder);
    if (file.isEmpty() && encoder.isEmpty()) {
        m_status->setText(tr("Not set: stories can use consistent characters, but no reference image."));
        return;
    }
    QString why;
    m_status->setText(looksUsable(file, encoder, &why) ? tr("✓ IP-Adapter files found.")
                                                       : tr("✗ Not usable: %1").arg(why));
}

void IpAdapterSettingsGroup::browseFile()
{
    const QString file = FileDialog::getOpenFileName(this, tr("Choose the IP-Adapter file"), cleaned(m_file),
                                                     tr("IP-Adapter weights (*.bin *.safetensors);;All files (*)"));
    if (file.isEmpty())
        return;
    m_file->setText(QDir::toNativeSeparators(file));
    check();
}

void IpAdapterSettingsGroup::browseFolder()
{
    const QString dir =
        FileDialog::getExistingDirectory(this, tr("Choose the image encoder folder"), cleaned(m_encoder));
    if (dir.isEmpty())
        return;
    m_encoder->setText(QDir::toNativeSeparators(dir));
    check();
}

void IpAdapterSettingsGroup::apply()
{
    AppSettings *app = AppSettings::instance();
    app->set(Setting::IpAdapterFile, cleaned(m_file));
    app->set(Setting::ImageEncoderFolder, cleaned(m_encoder));
}

} // namespace studio::ui
