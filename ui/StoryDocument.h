#pragma once

#include "PanelState.h"

#include "story/Project.h"

#include <QObject>
#include <QString>
#include <QVariant>

#include <array>
#include <optional>

class QUndoStack;

namespace studio::ui {

// The editable fields of a panel; values travel as QVariant (QString, qint64, int, double).
enum class PanelField
{
    Prompt,         // QString
    NegativePrompt, // QString
    Seed,           // qint64 in [0, kMaxSeed]
    SeedMode,       // int (story::SeedMode)
    Steps,          // int >= 1
    CfgScale,       // double >= 0
    Sampler,        // QString, one of story::samplerNames()
    Width,          // int, pixels
    Height,         // int, pixels
    Caption,        // QString: narration or dialogue for the comic outputs; not sent to the engine
    HiresEnabled,   // bool
    HiresScale,     // double in [kMinHiresScale, kMaxHiresScale]
    HiresStrength,  // double in [0, 1]
    HiresSteps,     // int in [0, kMaxSteps]; 0: the panel's steps
};

// The editable story-level fields.
enum class StoryField
{
    Title,          // QString
    TeamName,       // QString
    StylePrefix,    // QString
    StyleSuffix,    // QString
    SharedNegative, // QString
    LoraPath,       // QString (relative to the project folder when inside it)
    LoraScale,      // double
    ModelFolder,    // QString
};

// One open story: the Project, its undo stack and its file. Every change of the project goes through
// a QUndoCommand pushed on undoStack(); the widgets only read project() and call the setters below.
// Runtime panel states (queued, running, ...) live here too but are neither saved nor undoable.
class StoryDocument : public QObject
{
    Q_OBJECT
public:
    explicit StoryDocument(QObject *parent = nullptr);
    ~StoryDocument() override;

    const story::Project &project() const { return m_project; }
    QUndoStack *undoStack() const { return m_undoStack; }

    QString filePath() const { return m_filePath; } // empty while untitled
    QString projectDir() const;                     // folder of filePath(), empty while untitled
    QString displayName() const;                    // file name, or a translated "Untitled"
    bool isModified() const;

    // Replaces the whole project (New, Open, recovery) and clears the undo history. With
    // `markModified` the document starts unsaved (a recovered autosave is not on disk yet).
    void reset(const story::Project &project, const QString &filePath, bool markModified = false);
    // A new story: defaults, seeds base, base+1, ... from a random base.
    static story::Project newProject();

    bool load(const QString &path, QString *error);
    bool save(QString *error);
    // Saves under a new name. When the folder changes, the images (and a LoRA) the project refers to by
    // relative path are copied along so the story keeps working in its new place.
    bool saveAs(const QString &path, QString *error);

    // Absolute path of the image a panel shows (its chosen variant), empty when none or untitled.
    QString chosenImagePath(int panel) const;
    QString variantImagePath(int panel, int variant) const;

    // --- edits; each pushes one undoable command (no-op when the value does not change) ---
    QVariant panelField(int panel, PanelField field) const;
    void setPanelField(int panel, PanelField field, const QVariant &value);
    QVariant storyField(StoryField field) const;
    void setStoryField(StoryField field, const QVariant &value);
    // Replaces the story's character settings as one undoable step (consecutive edits in one edit session merge,
    // like typing); values out of range are refused (false). No-op (true) when nothing changes.
    bool setCharacter(const story::CharacterSettings &settings);
    // Makes `variant` (index into the panel's variants, -1 = none) the image the panel shows.
    void chooseVariant(int panel, int variant);
    // Appends a freshly rendered variant and (optionally) chooses it. Undo removes the entry from the
    // list and restores the previous choice; the image file itself is never deleted. Consecutive variants of the
    // same `group` (> 0, "Render N variants") are one undo step.
    void addVariant(int panel, const story::PanelVariant &variant, bool choose = true, int group = 0);
    // Takes the generation settings (prompt, negative, seed, seed mode, steps, CFG, sampler, size) of `settings`
    // into the panel as one undoable step; its images are kept. False when nothing changes.
    bool setPanelSettings(int panel, const story::Panel &settings, const QString &undoText);
    // Reads the settings a PNG carries (our own chunk exactly; A1111, Fooocus and sd.cpp "parameters" text
    // leniently) into the panel as one undoable step. On false *error says why; *notes lists what was not taken.
    bool restorePanelFromImage(int panel, const QString &imagePath, QString *error, QStringList *notes = nullptr);

    // Consecutive edits of the same field of the same panel merge into one undo step (typing). Call this
    // when an edit session ends (focus leaves the field) so the next edit starts a new step.
    void breakMerge() { ++m_mergeSerial; }
    int mergeSerial() const { return m_mergeSerial; }

    // --- runtime state (render queue) ---
    PanelState panelState(int panel) const;
    // Queued/Running/Done/Failed/Cancelled; Empty or HasImage clears the runtime state.
    void setPanelState(int panel, PanelState state);

    // Increases with every change of the project (edits, undo, redo, reset); autosave compares it.
    quint64 revision() const { return m_revision; }

    // --- used by the undo commands only ---
    void applyPanelField(int panel, PanelField field, const QVariant &value);
    void applyStoryField(StoryField field, const QVariant &value);
    void applyChosenVariant(int panel, int variant);
    void applyInsertVariant(int panel, int index, const story::PanelVariant &variant);
    void applyRemoveVariant(int panel, int index);
    void applyPanelSettings(int panel, const story::Panel &settings);
    void applyCharacter(const story::CharacterSettings &settings);
    // Undo/redo of an older edit asks the views to show the panel it touched.
    void requestPanelFocus(int panel) { Q_EMIT panelFocusRequested(panel); }

    static bool isValidPanel(int panel) { return panel >= 0 && panel < story::kPanelCount; }

Q_SIGNALS:
    void panelChanged(int panel); // any field or the variants of one panel
    void storyChanged(studio::ui::StoryField field);
    void characterChanged(); // the story's character settings
    void documentReset();   // the whole project was replaced, or its folder changed (Save As)
    void projectReplaced(); // another story (New, Open, recovery): emitted before documentReset
    void panelStateChanged(int panel);
    void panelFocusRequested(int panel);
    void filePathChanged(const QString &path);
    void modifiedChanged(bool modified);
    void contentChanged(); // after every change (revision() increased)

private:
    void touch();
    bool copyReferencedFiles(const QString &fromDir, const QString &toDir, QString *error) const;

    story::Project m_project;
    QString m_filePath;
    QUndoStack *m_undoStack = nullptr;
    std::array<std::optional<PanelState>, story::kPanelCount> m_runtimeState;
    int m_mergeSerial = 0;
    quint64 m_revision = 0;
};

} // namespace studio::ui
