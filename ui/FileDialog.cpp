#include "FileDialog.h"

#include <QFileDialog>
#include <QGuiApplication>

#include <optional>

namespace studio::ui {

namespace {
std::optional<QString> &scripted()
{
    static std::optional<QString> next;
    return next;
}
} // namespace

bool FileDialog::takeScripted(QString *result)
{
    if (scripted()) {
        *result = *scripted();
        scripted().reset();
        return true;
    }
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        result->clear();
        return true;
    }
    return false;
}

QString FileDialog::getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    QString result;
    if (takeScripted(&result))
        return result;
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QString FileDialog::getSaveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    QString result;
    if (takeScripted(&result))
        return result;
    return QFileDialog::getSaveFileName(parent, caption, dir, filter);
}

QString FileDialog::getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir)
{
    QString result;
    if (takeScripted(&result))
        return result;
    return QFileDialog::getExistingDirectory(parent, caption, dir);
}

void FileDialog::setNextFileName(const QString &fileName)
{
    scripted() = fileName;
}

} // namespace studio::ui
