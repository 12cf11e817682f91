#pragma once

#include <QMessageBox>
#include <QString>

namespace studio::ui {

// Every modal question of the studio goes through here, so tests can script the answer instead of
// blocking on a dialog. setNextAnswer() answers the next box (once); called again, the box after it. On the offscreen
// platform a box without a scripted answer is never shown: it returns its default button and logs a warning.
class MessageBox
{
public:
    using Button = QMessageBox::StandardButton;
    using Buttons = QMessageBox::StandardButtons;

    static Button question(QWidget *parent, const QString &title, const QString &text, Buttons buttons,
                           Button defaultButton);
    static Button warning(QWidget *parent, const QString &title, const QString &text, Buttons buttons = QMessageBox::Ok,
                          Button defaultButton = QMessageBox::Ok);
    static Button critical(QWidget *parent, const QString &title, const QString &text,
                           Buttons buttons = QMessageBox::Ok, Button defaultButton = QMessageBox::Ok);
    static Button information(QWidget *parent, const QString &title, const QString &text,
                              Buttons buttons = QMessageBox::Ok, Button defaultButton = QMessageBox::Ok);

    // Test hooks.
    static void setNextAnswer(Button answer);
    static QString lastText(); // text of the most recent box, shown or answered by script
    static int shownCount();   // how many boxes were asked since the last resetTestState()
    static void resetTestState();

private:
    static Button ask(QMessageBox::Icon icon, QWidget *parent, const QString &title, const QString &text,
                      Buttons buttons, Button defaultButton);
};

} // namespace studio::ui
