#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QToolButton;

namespace studio::ui {

// The IP-Adapter part of Settings ▸ Model (machine-level, like the Kolors folder): the Kolors-IP-Adapter-Plus
// weights and their CLIP image encoder folder, with where to download them. A story's reference image needs both.
class IpAdapterSettingsGroup : public QGroupBox
{
    Q_OBJECT
public:
    explicit IpAdapterSettingsGroup(QWidget *parent = nullptr);

    // Writes the fields into the application settings (what the dialog's OK does).
    void apply();
    void retranslateUi();

    // Whether `file` and `encoderDir` look usable (cheap file checks); on false *why names what is missing.
    static bool looksUsable(const QString &file, const QString &encoderDir, QString *why);

private:
    void check();
    void browseFile();
    void browseFolder();

    QLabel *m_intro;
    QLabel *m_fileLabel;
    QLineEdit *m_file;
    QToolButton *m_fileBrowse;
    QLabel *m_encoderLabel;
    QLineEdit *m_encoder;
    QToolButton *m_encoderBrowse;
    QLabel *m_status;
};

} // namespace studio::ui
