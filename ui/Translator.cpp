#include "Translator.h"

#include "AppSettings.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QTranslator>

namespace studio::ui {

namespace {
Q_LOGGING_CATEGORY(lcTranslator, "studio.ui.i18n")

const QString kEnglish = QStringLiteral("en");
const QString kChinese = QStringLiteral("zh_CN");

struct Installed
{
    QTranslator *studio = nullptr;
    QTranslator *qtbase = nullptr;
    QString language;
};

Installed &installed()
{
    static Installed s;
    return s;
}

void removeInstalled()
{
    Installed &s = installed();
    for (QTranslator *t : {s.studio, s.qtbase}) {
        if (t) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    s = Installed();
}
} // namespace

QStringList Translator::availableLanguages()
{
    return {kChinese, kEnglish};
}

QString Translator::nativeName(const QString &language)
{
    if (language == kChinese)
        return QStringLiteral("简体中文");
    if (language == kEnglish)
        return QStringLiteral("English");
    return language;
}

QString Translator::systemDefaultLanguage(const QStringList &uiLanguages)
{
    // Our users read Chinese first: any Chinese variant (zh-TW, zh-Hant-HK, ...) gets the zh_CN catalog,
    // which is closer to them than English.
    for (const QString &lang : uiLanguages) {
        if (lang.startsWith(QLatin1String("zh"), Qt::CaseInsensitive))
            return kChinese;
    }
    return kEnglish;
}

QString Translator::systemDefaultLanguage()
{
    return systemDefaultLanguage(QLocale::system().uiLanguages());
}

QString Translator::preferredLanguage()
{
    const QString stored = AppSettings::instance()->get(Setting::Language).toString();
    if (availableLanguages().contains(stored))
        return stored;
    return systemDefaultLanguage();
}

QString Translator::install(const QString &language)
{
    const QString lang = availableLanguages().contains(language) ? language : kEnglish;
    if (installed().language == lang)
        return lang;
    removeInstalled();
    Installed &s = installed();
    s.language = lang;

    auto *studio = new QTranslator;
    if (studio->load(QStringLiteral(":/i18n/studio_%1.qm").arg(lang))) {
        s.studio = studio;
        QCoreApplication::installTranslator(studio);
    } else {
        // English is the source language: an empty catalog is expected and harmless.
        if (lang != kEnglish)
            qCWarning(lcTranslator) << "no embedded catalog for" << lang;
        delete studio;
    }

    if (lang != kEnglish) {
        auto *qtbase = new QTranslator;
        const QString qtDir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
        if (qtbase->load(QStringLiteral("qtbase_%1").arg(lang), qtDir)) {
            s.qtbase = qtbase;
            QCoreApplication::installTranslator(qtbase);
        } else {
            qCInfo(lcTranslator) << "Qt's own catalog qtbase_" << lang << "not found in" << qtDir;
            delete qtbase;
        }
    }
    // Switching to English with nothing to install still has to refresh the widgets.
    if (!s.studio && !s.qtbase) {
        QEvent event(QEvent::LanguageChange);
        QCoreApplication::sendEvent(QCoreApplication::instance(), &event);
    }
    return lang;
}

QString Translator::setLanguage(const QString &language)
{
    const QString lang = install(language);
    AppSettings::instance()->set(Setting::Language, lang);
    return lang;
}

QString Translator::currentLanguage()
{
    return installed().language.isEmpty() ? kEnglish : installed().language;
}

} // namespace studio::ui
