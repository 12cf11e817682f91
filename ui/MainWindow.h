#pragma once

#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QToolBar;

namespace studio::ui {

struct ExportChoices;
class ExportRunner;

class AutosaveManager;
class CharacterSection;
class PanelBoard;
class PanelEditor;
class RefineActions;
class RenderEngine;
class RenderQueue;
class StoryDocument;
class StorySettingsWidget;
class TrainingPage;

// The studio's window: the 8-panel board on the left, the panel editor and the story settings on the
// right; File (New/Open/Save/Save As/Export), Edit (Undo/Redo), Render (queue, stop, regenerate), Settings
// (model, language) menus; render progress with estimates in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr); // renders with the engine of this build
    // Renders with `engine` (tests hand in a scripted one).
    explicit MainWindow(std::unique_ptr<RenderEngine> engine, QWidget *parent = nullptr);
    ~MainWindow() override;

    StoryDocument *document() const { return m_document; }
    AutosaveManager *autosave() const { return m_autosave; }
    PanelBoard *board() const { return m_board; }
    PanelEditor *panelEditor() const { return m_editor; }
    StorySettingsWidget *storySettings() const { return m_storySettings; }
    CharacterSection *characterSection() const { return m_characterSection; }
    QProgressBar *storyProgress() const { return m_storyProgress; }
    RenderQueue *renderQueue() const { return m_renderQueue; }
    // The Train LoRA page (its own window), made on first use.
    TrainingPage *trainingPage();
    RefineActions *refineActions() const { return m_refineActions; }

    // Opens a story file (offering recovery when a newer autosave exists). Does not ask about unsaved
    // changes of the current story; the Open action does. Errors are shown in a message box.
    bool openFile(const QString &path);
    // Saves under `path` without asking (Save As without the dialog).
    bool saveToFile(const QString &path);
    // Exports in the background into `dir` (the submission only); exportFinished() reports the outcome.
    bool exportTo(const QString &dir);
    // The same with the Export dialog's choices (comic outputs, visible labels).
    bool exportTo(const ExportChoices &choices);
    bool isExporting() const;

public Q_SLOTS:
    void newStory();
    void open();
    bool save();
    bool saveAs();
    void exportStory();
    // Offers the autosaves of crashed sessions, newest first; call once after start-up.
    void offerStartupRecovery();

    // Rendering. Each says why when it cannot start (no model: a message box; untitled: asks to save first).
    bool renderAll();
    bool renderCurrentPanel();
    bool regenerateCurrentPanel();
    void cancelCurrentPanel();
    void stopNow();
    void stopAfterCurrentPanel();
    void showModelSettings();
    void showTrainingPage();
    // Takes the generation settings a PNG carries into `panel` (one undoable step).
    bool restorePanelFromImage(int panel, const QString &path);

Q_SIGNALS:
    void exportFinished(bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createWidgets();
    void retranslateUi();
    void updateTitle();
    void updateUndoTexts();
    void rebuildRecentMenu();
    bool maybeSave();
    void onExportFinished(bool ok, const QString &dir, const QString &error, const QStringList &warnings);
    void showAbout();
    bool prepareToRender();
    void connectRenderQueue();
    void updateRenderControls();
    void updateRenderProgress();
    void updateModelBanner();
    void updateAestheticSummary();
    void showPanelMenu(int panel, const QPoint &globalPos);

    StoryDocument *m_document;
    AutosaveManager *m_autosave;
    PanelBoard *m_board = nullptr;
    PanelEditor *m_editor = nullptr;
    StorySettingsWidget *m_storySettings = nullptr;
    CharacterSection *m_characterSection = nullptr;
    QTabWidget *m_sideTabs = nullptr;
    QSplitter *m_splitter = nullptr;
    QProgressBar *m_storyProgress = nullptr;
    QProgressBar *m_panelRenderProgress = nullptr;
    QProgressBar *m_storyRenderProgress = nullptr;
    QLabel *m_aestheticLabel = nullptr;
    QWidget *m_modelBanner = nullptr;
    QLabel *m_modelBannerText = nullptr;
    QAction *m_modelBannerAction = nullptr;
    QToolBar *m_toolBar = nullptr;
    RenderQueue *m_renderQueue = nullptr;
    TrainingPage *m_trainingPage = nullptr;
    ExportRunner *m_exportRunner = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_renderMenu = nullptr;
    QMenu *m_settingsMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_clearRecentAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_renderAllAction = nullptr;
    RefineActions *m_refineActions = nullptr; // Refine… and Render Variants… (ui/refine)
    QAction *m_renderPanelAction = nullptr;
    QAction *m_regenerateAction = nullptr;
    QAction *m_cancelPanelAction = nullptr;
    QAction *m_stopNowAction = nullptr;
    QAction *m_stopAfterAction = nullptr;
    QAction *m_modelSettingsAction = nullptr;
    QAction *m_trainAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
};

} // namespace studio::ui
