#include "MessageBox.h"

#include <QGuiApplication>
#include <QList>
#include <QLoggingCategory>

namespace studio::ui {

namespace {
Q_LOGGING_CATEGORY(lcMessageBox, "studio.ui.messagebox")

struct TestState
{
    QList<MessageBox::Button> answers; // scripted, in the order the boxes come
    QString lastText;
    int shown = 0;
};

TestState &state()
{
    static TestState s;
    return s;
}
} // namespace

MessageBox::Button MessageBox::ask(QMessageBox::Icon icon, QWidget *parent, const QString &title, const QString &text,
                                   Buttons buttons, Button defaultButton)
{
    TestState &s = state();
    s.lastText = text;
    ++s.shown;
    if (!s.answers.isEmpty())
        return s.answers.takeFirst();
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        qCWarning(lcMessageBox) << "unscripted message box answered with its default:" << title << text;
        return defaultButton;
    }
    QMessageBox box(icon, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    return static_cast<Button>(box.exec());
}

MessageBox::Button MessageBox::question(QWidget *parent, const QString &title, const QString &text, Buttons buttons,
                                        Button defaultButton)
{
    return ask(QMessageBox::Question, parent, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::warning(QWidget *parent, const QString &title, const QString &text, Buttons buttons,
                                       Button defaultButton)
{
    return ask(QMessageBox::Warning, parent, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::critical(QWidget *parent, const QString &title, const QString &text, Buttons buttons,
                                        Button defaultButton)
{
    return ask(QMessageBox::Critical, parent, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::information(QWidget *parent, const QString &title, const QString &text, Buttons buttons,
                                           Button defaultButton)
{
    return ask(QMessageBox::Information, parent, title, text, buttons, defaultButton);
}

void MessageBox::setNextAnswer(Button answer)
{
    state().answers.append(answer);
}

QString MessageBox::lastText()
{
    return state().lastText;
}

int MessageBox::shownCount()
{
    return state().shown;
}

void MessageBox::resetTestState()
{
    state() = TestState();
}

} // namespace studio::ui
