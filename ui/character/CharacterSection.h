#pragma once

#include "ui/StoryDocument.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace studio::ui {

// The story's Character section (issue 13): consistent characters on/off, how many of the first panels are the
// identity panels, the strength P and start step S; a reference image (a file copied into the project folder, or
// a panel's chosen image) with its IP-Adapter scale. Every edit is an undoable command on the document; the
// section only reads project().character and calls StoryDocument::setCharacter().
class CharacterSection : public QWidget
{
    Q_OBJECT
public:
    explicit CharacterSection(StoryDocument *document, QWidget *parent = nullptr);

    // The panel the editor shows: "Use this panel's image" takes its chosen image.
    void setCurrentPanel(int panel);
    // Copies `path` into the project folder and makes it the reference image; false with *error when it cannot.
    bool useReferenceFile(const QString &path, QString *error);

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void modelSettingsRequested(); // "Settings ▸ Model…" in the IP-Adapter note

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void edit(const std::function<void(story::CharacterSettings &)> &change);
    void pickReferenceFile();
    void useCurrentPanel();
    void updateStatus();

    StoryDocument *m_document;
    bool m_updating = false;
    int m_currentPanel = 0;

    QGroupBox *m_consistencyGroup;
    QCheckBox *m_consistent;
    QLabel *m_identityLabel;
    QSpinBox *m_identityPanels;
    QLabel *m_strengthLabel;
    QDoubleSpinBox *m_strength;
    QLabel *m_startLabel;
    QSpinBox *m_start;
    QLabel *m_consistencyNote;

    QGroupBox *m_referenceGroup;
    QLabel *m_sourceLabel;
    QComboBox *m_source;
    QLabel *m_fileLabel;
    QLabel *m_fileName;
    QPushButton *m_pickFile;
    QLabel *m_panelLabel;
    QSpinBox *m_referencePanel;
    QPushButton *m_useCurrentPanel;
    QLabel *m_preview;
    QLabel *m_ipScaleLabel;
    QDoubleSpinBox *m_ipScale;
    QLabel *m_status;
};

} // namespace studio::ui
