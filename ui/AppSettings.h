#pragma once

#include <QObject>
#include <QString>
#include <QVariant>

#include <memory>

class QSettings;
class QTemporaryDir;

namespace studio::ui {

// Every persisted user preference of the studio. Add a key here and a row in the table in AppSettings.cpp;
// never spell a QSettings key string anywhere else.
enum class Setting
{
    Language,             // "zh_CN" / "en"; empty = follow the system locale
    RecentFiles,          // QStringList, newest first
    LastProjectDir,       // folder of the last Open/Save dialog
    LastExportDir,        // folder of the last Export dialog
    AutosaveIntervalSec,  // seconds between two autosaves
    MainWindowGeometry,   // QByteArray from saveGeometry()
    MainWindowState,      // QByteArray from saveState()
    MainSplitterState,    // QByteArray from QSplitter::saveState()
    DefaultModelFolder,   // Kolors folder proposed for new stories (and used by stories that name none)
    RenderDevice,         // "auto" | "cpu" | "cuda"
    RenderPrecision,      // "auto" | "fp32" | "fp16"
    ReleaseTextEncoder,   // "auto" | "on" | "off": free the text encoder before sampling (low VRAM)
    VaeTiling,            // "auto" | "on" | "off": decode the image in tiles (low VRAM)
    TextEncoderDevice,    // "auto" | "cpu" | "cuda": where ChatGLM encodes the prompts (low VRAM: cpu)
    UNetOffload,          // "none" | "blocks": stream the UNet's blocks to the GPU (4-6 GB cards)
    TextEncoderQuant,     // "none" | "int8" | "int4": ChatGLM3 weight-only quantization (less RAM and VRAM)
    AestheticModelFolder, // the aesthetic predictor (CLIP ViT-L/14 + linear head); empty = no scores
    AestheticThreshold,   // double: the challenge's minimum mean aesthetic score (6)
    IpAdapterFile,        // Kolors-IP-Adapter-Plus weights (ip_adapter_plus_general.bin / .safetensors); empty = none
    ImageEncoderFolder,   // its CLIP image encoder folder (Kolors-IP-Adapter-Plus/image_encoder)
};

// The application's settings as an enum-keyed table over QSettings. One process-wide instance;
// tests call createTempFileInstance() so they never read or write the user's configuration.
class AppSettings : public QObject
{
    Q_OBJECT
public:
    static AppSettings *instance();
    // Replaces the instance with one backed by a fresh file in a temporary folder (for tests).
    static void createTempFileInstance();

    ~AppSettings() override;

    QVariant get(Setting key) const;
    void set(Setting key, const QVariant &value);
    void remove(Setting key);
    // Forgets every stored value, so get() returns the defaults again.
    void resetToDefaults();

    QString fileName() const;

    static QString keyName(Setting key);
    static QVariant defaultValue(Setting key);

    static constexpr int kMaxRecentFiles = 10;
    // Puts `path` first in the recent-files list (removing duplicates, trimming to kMaxRecentFiles).
    void addRecentFile(const QString &path);

Q_SIGNALS:
    void changed(studio::ui::Setting key);

private:
    explicit AppSettings(std::unique_ptr<QSettings> settings, std::unique_ptr<QTemporaryDir> tempDir = {});

    std::unique_ptr<QTemporaryDir> m_tempDir;
    std::unique_ptr<QSettings> m_settings;
};

} // namespace studio::ui
