#pragma once

#include <QString>

class QWidget;

namespace studio::ui {

// File choosers of the studio, with the same test hook as MessageBox: setNextFileName() answers the
// next dialog (once). On the offscreen platform an unscripted dialog is treated as cancelled.
class FileDialog
{
public:
    static QString getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter);
    static QString getSaveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter);
    static QString getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir);

    static void setNextFileName(const QString &fileName);

private:
    static bool takeScripted(QString *result);
};

} // namespace studio::ui
