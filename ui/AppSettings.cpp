#include "AppSettings.h"

#include <QDir>
#include <QSettings>
#include <QTemporaryDir>

namespace studio::ui {

namespace {

struct Entry
{
    Setting key;
    const char *name;
    QVariant defaultValue;
};

// The one table of keys and defaults. Order does not matter; lookups go by the enum.
const std::vector<Entry> &table()
{
    static const std::vector<Entry> entries = {
        {Setting::Language, "ui/language", QString()},
        {Setting::RecentFiles, "ui/recentFiles", QStringList()},
        {Setting::LastProjectDir, "ui/lastProjectDir", QDir::homePath()},
        {Setting::LastExportDir, "ui/lastExportDir", QDir::homePath()},
        {Setting::AutosaveIntervalSec, "document/autosaveIntervalSec", 60},
        {Setting::MainWindowGeometry, "mainWindow/geometry", QByteArray()},
        {Setting::MainWindowState, "mainWindow/state", QByteArray()},
        {Setting::MainSplitterState, "mainWindow/splitter", QByteArray()},
        {Setting::DefaultModelFolder, "model/defaultFolder", QString()},
        {Setting::RenderDevice, "render/device", QStringLiteral("auto")},
        {Setting::RenderPrecision, "render/precision", QStringLiteral("auto")},
        {Setting::ReleaseTextEncoder, "render/releaseTextEncoder", QStringLiteral("auto")},
        {Setting::VaeTiling, "render/vaeTiling", QStringLiteral("auto")},
        {Setting::TextEncoderDevice, "render/textEncoderDevice", QStringLiteral("auto")},
        {Setting::UNetOffload, "render/unetOffload", QStringLiteral("none")},
        {Setting::TextEncoderQuant, "render/textEncoderQuant", QStringLiteral("none")},
        {Setting::AestheticModelFolder, "aesthetic/modelFolder", QString()},
        {Setting::AestheticThreshold, "aesthetic/threshold", 6.0},
        {Setting::IpAdapterFile, "ipAdapter/file", QString()},
        {Setting::ImageEncoderFolder, "ipAdapter/imageEncoderFolder", QString()},
    };
    return entries;
}

const Entry &entry(Setting key)
{
    for (const Entry &e : table()) {
        if (e.key == key)
            return e;
    }
    Q_UNREACHABLE();
}

std::unique_ptr<AppSettings> &instanceSlot()
{
    static std::unique_ptr<AppSettings> slot;
    return slot;
}

} // namespace

AppSettings::AppSettings(std::unique_ptr<QSettings> settings, std::unique_ptr<QTemporaryDir> tempDir)
    : m_tempDir(std::move(tempDir)), m_settings(std::move(settings))
{
}

AppSettings::~AppSettings() = default;

AppSettings *AppSettings::instance()
{
    auto &slot = instanceSlot();
    if (!slot)
        slot.reset(new AppSettings(std::make_unique<QSettings>()));
    return slot.get();
}

void AppSettings::createTempFileInstance()
{
    auto dir = std::make_unique<QTemporaryDir>();
    auto settings = std::make_unique<QSettings>(dir->filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
    instanceSlot().reset(new AppSettings(std::move(settings), std::move(dir)));
}

QVariant AppSettings::get(Setting key) const
{
    const Entry &e = entry(key);
    return m_settings->value(QString::fromLatin1(e.name), e.defaultValue);
}

void AppSettings::set(Setting key, const QVariant &value)
{
    if (m_settings->value(keyName(key)) == value && m_settings->contains(keyName(key)))
        return;
    m_settings->setValue(keyName(key), value);
    Q_EMIT changed(key);
}

void AppSettings::remove(Setting key)
{
    m_settings->remove(keyName(key));
    Q_EMIT changed(key);
}

void AppSettings::resetToDefaults()
{
    m_settings->clear();
    for (const Entry &e : table())
        Q_EMIT changed(e.key);
}

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

QString AppSettings::keyName(Setting key)
{
    return QString::fromLatin1(entry(key).name);
}

QVariant AppSettings::defaultValue(Setting key)
{
    return entry(key).defaultValue;
}

void AppSettings::addRecentFile(const QString &path)
{
    QStringList files = get(Setting::RecentFiles).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    set(Setting::RecentFiles, files);
}

} // namespace studio::ui
