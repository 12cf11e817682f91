#pragma once

#include <QString>
#include <QStringList>

namespace studio::ui {

// Loads the studio's catalogs (embedded under :/i18n) and Qt's own (qtbase_<lang>.qm from the Qt
// translations folder, when installed) into the running application. Switching language replaces
// the installed translators; Qt then sends QEvent::LanguageChange to every widget, which retranslates.
class Translator
{
public:
    // Languages the studio ships, zh_CN first.
    static QStringList availableLanguages();
    // A language's name written in that language ("简体中文", "English"), for the language menu.
    static QString nativeName(const QString &language);
    // zh_CN when any of the system's UI languages is Chinese, else en.
    static QString systemDefaultLanguage(const QStringList &uiLanguages);
    static QString systemDefaultLanguage();
    // The user's persisted choice (Setting::Language) or the system default.
    static QString preferredLanguage();

    // Installs `language` ("zh_CN" or "en"); unknown codes fall back to English. Returns the language
    // now in use. Does not persist anything: see setLanguage().
    static QString install(const QString &language);
    // install() + remember the choice in the settings.
    static QString setLanguage(const QString &language);
    static QString currentLanguage();
};

} // namespace studio::ui
