#include "MainWindow.h"

#include "AppSettings.h"
#include "AutosaveManager.h"
#include "FileDialog.h"
#include "MessageBox.h"
#include "ModelSettingsDialog.h"
#include "PanelBoard.h"
#include "PanelEditor.h"
#include "StoryDocument.h"
#include "StorySettingsWidget.h"
#include "character/CharacterSection.h"
#include "Translator.h"
#include "export/ExportDialog.h"
#include "export/ExportRunner.h"
#include "refine/RefineActions.h"
#include "render/EngineSupport.h"
#include "render/GenerationWorker.h"
#include "render/RenderEngine.h"
#include "render/RenderQueue.h"
#include "training/TrainingPage.h"

#include "story/LoraCard.h"
#include "story/ProjectFile.h"
#include "story/StoryExporter.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QJsonValue>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QToolButton>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#ifndef STUDIO_VERSION
#define STUDIO_VERSION "dev"
#endif

namespace studio::ui {

namespace {
constexpr int kStatusTimeoutMs = 8000;

QScrollArea *scrolling(QWidget *content, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// "1 min 20 s", "45 s"; a negative duration is not known yet.
QString formatDuration(double seconds)
{
    if (seconds < 0)
        return MainWindow::tr("estimating…", "time left");
    const qint64 s = qRound64(seconds);
    if (s < 60)
        return MainWindow::tr("%1 s", "seconds").arg(s);
    if (s < 3600)
        return MainWindow::tr("%1 min %2 s", "minutes and seconds").arg(s / 60).arg(s % 60);
    return MainWindow::tr("%1 h %2 min", "hours and minutes").arg(s / 3600).arg((s % 3600) / 60);
}

// The aesthetic scores of the chosen images (panels without one are left out).
QVector<double> chosenScores(const story::Project &project)
{
    QVector<double> scores;
    for (const story::Panel &panel : project.panels) {
        if (const story::PanelVariant *chosen = panel.chosen()) {
            const QJsonValue v = chosen->parameters.value(QStringLiteral("aestheticScore"));
            if (v.isDouble())
                scores << v.toDouble();
        }
    }
    return scores;
}

double mean(const QVector<double> &values)
{
    double sum = 0;
    for (double v : values)
        sum += v;
    return values.isEmpty() ? 0.0 : sum / values.size();
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : MainWindow(createDefaultRenderEngine(), parent) {}

MainWindow::MainWindow(std::unique_ptr<RenderEngine> engine, QWidget *parent)
    : QMainWindow(parent), m_document(new StoryDocument(this)), m_autosave(new AutosaveManager(m_document, this)),
      m_renderQueue(new RenderQueue(m_document, std::move(engine), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/storyboard-studio.svg")));
    story::Project project = StoryDocument::newProject();
    project.modelFolder = AppSettings::instance()->get(Setting::DefaultModelFolder).toString();
    m_document->reset(project, QString());

    createActions();
    createWidgets();
    createMenus();

    connect(m_document, &StoryDocument::modifiedChanged, this, [this](bool modified) { setWindowModified(modified); });
    connect(m_document, &StoryDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &StoryDocument::documentReset, this, &MainWindow::updateTitle);
    connect(m_document, &StoryDocument::storyChanged, this, [this](StoryField field) {
        if (field == StoryField::Title)
            updateTitle();
    });
    m_exportRunner = new ExportRunner(this);
    connect(m_exportRunner, &ExportRunner::finished, this, &MainWindow::onExportFinished);
    connect(m_exportRunner, &ExportRunner::progress, this, [this](int step, int steps) {
        // A report still queued when the export has ended is dropped.
        if (isExporting()) {
            m_storyProgress->setRange(0, steps);
            m_storyProgress->setValue(step);
        }
    });
    connect(m_autosave, &AutosaveManager::failed, this, [this](const QString &error) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(error), kStatusTimeoutMs);
    });
    connectRenderQueue();
    connect(m_document, &StoryDocument::contentChanged, this, &MainWindow::updateAestheticSummary);
    connect(m_document, &StoryDocument::storyChanged, this, [this](StoryField field) {
        if (field == StoryField::ModelFolder)
            updateModelBanner();
    });
    connect(m_document, &StoryDocument::documentReset, this, &MainWindow::updateModelBanner);
    connect(AppSettings::instance(), &AppSettings::changed, this, [this](Setting key) {
        if (key == Setting::DefaultModelFolder)
            updateModelBanner();
        if (key == Setting::AestheticThreshold || key == Setting::AestheticModelFolder)
            updateAestheticSummary();
    });

    retranslateUi();
    updateRenderControls();
    updateModelBanner();
    updateAestheticSummary();

    AppSettings *settings = AppSettings::instance();
    if (!restoreGeometry(settings->get(Setting::MainWindowGeometry).toByteArray()))
        resize(1280, 860);
    restoreState(settings->get(Setting::MainWindowState).toByteArray());
    if (!m_splitter->restoreState(settings->get(Setting::MainSplitterState).toByteArray()))
        m_splitter->setSizes({460, 780});
}

MainWindow::~MainWindow()
{
    delete m_exportRunner; // waits for a running export
    m_exportRunner = nullptr;
    // Stop and join the render thread while the document it reports into still exists.
    delete m_renderQueue;
    m_renderQueue = nullptr;
}

void MainWindow::createActions()
{
    auto action = [this](const char *name, const QKeySequence &shortcut, auto slot) {
        auto *a = new QAction(this);
        a->setObjectName(QLatin1String(name));
        if (!shortcut.isEmpty())
            a->setShortcut(shortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_newAction = action("actionNew", QKeySequence::New, &MainWindow::newStory);
    m_newAction->setIcon(QIcon::fromTheme(QStringLiteral("document-new")));
    m_openAction = action("actionOpen", QKeySequence::Open, &MainWindow::open);
    m_openAction->setIcon(QIcon::fromTheme(QStringLiteral("document-open")));
    m_saveAction = action("actionSave", QKeySequence::Save, &MainWindow::save);
    m_saveAction->setIcon(QIcon::fromTheme(QStringLiteral("document-save")));
    m_saveAsAction = action("actionSaveAs", QKeySequence::SaveAs, &MainWindow::saveAs);
    m_saveAsAction->setIcon(QIcon::fromTheme(QStringLiteral("document-save-as")));
    m_exportAction = action("actionExport", QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::exportStory);
    m_exportAction->setIcon(QIcon::fromTheme(QStringLiteral("document-export")));
    m_quitAction = action("actionQuit", QKeySequence::Quit, &MainWindow::close);
    m_quitAction->setMenuRole(QAction::QuitRole);

    QUndoStack *stack = m_document->undoStack();
    m_undoAction = action("actionUndo", QKeySequence::Undo, [stack] { stack->undo(); });
    m_undoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    m_redoAction = action("actionRedo", QKeySequence::Redo, [stack] { stack->redo(); });
    m_redoAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    // Every platform binding (Ctrl+Y as well as Ctrl+Shift+Z for redo), not only the first.
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_redoAction->setShortcuts(QKeySequence::Redo);
    m_undoAction->setEnabled(false);
    m_redoAction->setEnabled(false);
    connect(stack, &QUndoStack::canUndoChanged, m_undoAction, &QAction::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, m_redoAction, &QAction::setEnabled);
    connect(stack, &QUndoStack::undoTextChanged, this, &MainWindow::updateUndoTexts);
    connect(stack, &QUndoStack::redoTextChanged, this, &MainWindow::updateUndoTexts);

    m_clearRecentAction = action("actionClearRecent", QKeySequence(),
                                 [] { AppSettings::instance()->set(Setting::RecentFiles, QStringList()); });
    m_aboutAction = action("actionAbout", QKeySequence(), &MainWindow::showAbout);
    m_aboutAction->setMenuRole(QAction::AboutRole);

    m_renderAllAction =
        action("actionRenderAll", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), &MainWindow::renderAll);
    m_renderAllAction->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-start")));
    m_renderPanelAction = action("actionRenderPanel", QKeySequence(), &MainWindow::renderCurrentPanel);
    // Ctrl+Enter from the main keyboard and from the keypad alike, also while typing in the prompt.
    m_renderPanelAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_renderPanelAction->setIcon(QIcon::fromTheme(QStringLiteral("image-x-generic")));
    m_regenerateAction =
        action("actionRegenerate", QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::regenerateCurrentPanel);
    m_regenerateAction->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    m_cancelPanelAction = action("actionCancelPanel", QKeySequence(), &MainWindow::cancelCurrentPanel);
    m_stopNowAction = action("actionStopNow", QKeySequence(Qt::Key_Escape), &MainWindow::stopNow);
    m_stopNowAction->setIcon(QIcon::fromTheme(QStringLiteral("process-stop")));
    m_stopAfterAction = action("actionStopAfterPanel", QKeySequence(), &MainWindow::stopAfterCurrentPanel);
    m_modelSettingsAction = action("actionModelSettings", QKeySequence(), &MainWindow::showModelSettings);
    m_modelSettingsAction->setMenuRole(QAction::NoRole);
    m_trainAction = action("actionTrainLora", QKeySequence(), &MainWindow::showTrainingPage);

    m_languageGroup = new QActionGroup(this);
    m_languageGroup->setExclusive(true);
    for (const QString &language : Translator::availableLanguages()) {
        auto *a = new QAction(Translator::nativeName(language), m_languageGroup);
        a->setObjectName(QStringLiteral("actionLanguage_%1").arg(language));
        a->setCheckable(true);
        a->setData(language);
        connect(a, &QAction::triggered, this, [language] { Translator::setLanguage(language); });
    }
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("menuFile"));
    m_fileMenu->addAction(m_newAction);
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_saveAsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->setObjectName(QStringLiteral("menuEdit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);

    m_renderMenu = menuBar()->addMenu(QString());
    m_renderMenu->setObjectName(QStringLiteral("menuRender"));
    m_renderMenu->addAction(m_renderPanelAction);
    m_renderMenu->addAction(m_regenerateAction);
    m_renderMenu->addAction(m_renderAllAction);
    m_refineActions = new RefineActions(
        m_document, m_renderQueue, this, [this] { return m_board->currentPanel(); },
        [this] { return prepareToRender(); });
    connect(m_refineActions, &RefineActions::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, kStatusTimeoutMs); });
    m_renderMenu->addAction(m_refineActions->refineAction());
    m_renderMenu->addAction(m_refineActions->variantsAction());
    m_renderMenu->addSeparator();
    m_renderMenu->addAction(m_cancelPanelAction);
    m_renderMenu->addAction(m_stopAfterAction);
    m_renderMenu->addAction(m_stopNowAction);
    m_renderMenu->addSeparator();
    m_renderMenu->addAction(m_trainAction);

    m_settingsMenu = menuBar()->addMenu(QString());
    m_settingsMenu->setObjectName(QStringLiteral("menuSettings"));
    m_settingsMenu->addAction(m_modelSettingsAction);
    m_languageMenu = m_settingsMenu->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("menuLanguage"));
    m_languageMenu->addActions(m_languageGroup->actions());

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_helpMenu->addAction(m_aboutAction);

    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_newAction);
    m_toolBar->addAction(m_openAction);
    m_toolBar->addAction(m_saveAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_undoAction);
    m_toolBar->addAction(m_redoAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_renderPanelAction);
    m_toolBar->addAction(m_regenerateAction);
    m_toolBar->addAction(m_renderAllAction);
    m_toolBar->addAction(m_stopNowAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_exportAction);
}

void MainWindow::createWidgets()
{
    m_board = new PanelBoard(m_document, this);
    m_editor = new PanelEditor(m_document);
    m_storySettings = new StorySettingsWidget(m_document);
    connect(m_board, &PanelBoard::currentPanelChanged, m_editor, &PanelEditor::setPanel);
    connect(m_board, &PanelBoard::currentPanelChanged, this, [this] { m_sideTabs->setCurrentIndex(0); });

    m_sideTabs = new QTabWidget(this);
    m_sideTabs->setObjectName(QStringLiteral("sideTabs"));
    m_sideTabs->setDocumentMode(true);
    m_sideTabs->addTab(scrolling(m_editor, m_sideTabs), QString());
    m_sideTabs->addTab(scrolling(m_storySettings, m_sideTabs), QString());
    m_characterSection = new CharacterSection(m_document);
    m_sideTabs->addTab(scrolling(m_characterSection, m_sideTabs), QString());
    connect(m_board, &PanelBoard::currentPanelChanged, m_characterSection, &CharacterSection::setCurrentPanel);
    connect(m_characterSection, &CharacterSection::modelSettingsRequested, m_modelSettingsAction, &QAction::trigger);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_board);
    m_splitter->addWidget(m_sideTabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    // First run (or an unusable folder): say so above the board, with the way to fix it.
    m_modelBanner = new QFrame(this);
    m_modelBanner->setObjectName(QStringLiteral("modelBanner"));
    m_modelBanner->setAutoFillBackground(true);
    {
        QPalette pal = m_modelBanner->palette();
        pal.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xd6));
        pal.setColor(QPalette::WindowText, QColor(0x4a, 0x3b, 0x00));
        m_modelBanner->setPalette(pal);
    }
    m_modelBannerText = new QLabel(m_modelBanner);
    m_modelBannerText->setObjectName(QStringLiteral("modelBannerText"));
    m_modelBannerText->setWordWrap(true);
    auto *bannerButton = new QToolButton(m_modelBanner);
    bannerButton->setObjectName(QStringLiteral("modelBannerButton"));
    bannerButton->setDefaultAction(m_modelSettingsAction);
    bannerButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *bannerLayout = new QHBoxLayout(m_modelBanner);
    bannerLayout->setContentsMargins(10, 6, 10, 6);
    bannerLayout->addWidget(m_modelBannerText, 1);
    bannerLayout->addWidget(bannerButton);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_modelBanner);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    connect(m_board, &PanelBoard::contextMenuRequested, this, &MainWindow::showPanelMenu);
    connect(m_board, &PanelBoard::imageDropped, this, &MainWindow::restorePanelFromImage);
    connect(m_editor, &PanelEditor::imageDropped, this, &MainWindow::restorePanelFromImage);

    m_aestheticLabel = new QLabel(this);
    m_aestheticLabel->setObjectName(QStringLiteral("aestheticLabel"));
    statusBar()->addPermanentWidget(m_aestheticLabel);
    m_panelRenderProgress = new QProgressBar(this);
    m_panelRenderProgress->setObjectName(QStringLiteral("panelRenderProgress"));
    m_panelRenderProgress->setMinimumWidth(260);
    m_panelRenderProgress->setVisible(false);
    statusBar()->addPermanentWidget(m_panelRenderProgress);
    m_storyRenderProgress = new QProgressBar(this);
    m_storyRenderProgress->setObjectName(QStringLiteral("storyRenderProgress"));
    m_storyRenderProgress->setMinimumWidth(300);
    m_storyRenderProgress->setRange(0, 1000);
    m_storyRenderProgress->setVisible(false);
    statusBar()->addPermanentWidget(m_storyRenderProgress);

    m_storyProgress = new QProgressBar(this);
    m_storyProgress->setObjectName(QStringLiteral("storyProgress"));
    m_storyProgress->setMaximumWidth(240);
    m_storyProgress->setVisible(false);
    statusBar()->addPermanentWidget(m_storyProgress);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_renderMenu->setTitle(tr("&Render"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toolBar->setWindowTitle(tr("Main toolbar"));

    m_newAction->setText(tr("&New Story"));
    m_newAction->setStatusTip(tr("Start a new 8-panel story"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setStatusTip(tr("Open a story file"));
    m_saveAction->setText(tr("&Save"));
    m_saveAction->setStatusTip(tr("Save the story"));
    m_saveAsAction->setText(tr("Save &As…"));
    m_saveAsAction->setStatusTip(tr("Save the story under a new name"));
    m_exportAction->setText(tr("&Export…"));
    m_exportAction->setStatusTip(tr("Export the grid, the panels and the LoRA card into a folder"));
    m_quitAction->setText(tr("&Quit"));
    m_clearRecentAction->setText(tr("&Clear List"));
    m_aboutAction->setText(tr("&About Storyboard Studio"));
    m_renderAllAction->setText(tr("Render &All Panels"));
    m_renderAllAction->setStatusTip(tr("Queue every panel that has a prompt"));
    m_renderPanelAction->setText(tr("Render &Panel", "storyboard panel"));
    m_renderPanelAction->setStatusTip(tr("Render the selected panel with its seed (Ctrl+Enter)"));
    m_regenerateAction->setText(tr("Re&generate Panel", "render again with a new seed"));
    m_regenerateAction->setStatusTip(
        tr("Render the selected panel again with the next seed of its seed mode; earlier images are kept"));
    m_cancelPanelAction->setText(tr("&Cancel Selected Panel", "take the panel out of the render queue"));
    m_cancelPanelAction->setStatusTip(tr("Take the selected panel out of the queue, or stop it if it is rendering"));
    m_stopNowAction->setText(tr("&Stop Now"));
    m_stopNowAction->setStatusTip(tr("Stop the running panel at its next step and clear the queue (Esc)"));
    m_stopAfterAction->setText(tr("Stop &After This Panel", "storyboard panel"));
    m_stopAfterAction->setStatusTip(tr("Let the running panel finish, then stop"));
    m_modelSettingsAction->setText(tr("&Model…", "Kolors model settings"));
    m_modelSettingsAction->setStatusTip(tr("Kolors folder, LoRA, device, memory options and the aesthetic predictor"));
    m_trainAction->setText(tr("&Train LoRA…"));
    m_trainAction->setStatusTip(tr("Prepare training images and train the story's style LoRA"));
    m_sideTabs->setTabText(0, tr("Panel", "storyboard panel"));
    m_sideTabs->setTabText(1, tr("Story"));
    m_sideTabs->setTabText(2, tr("Character", "the story's recurring character"));
    for (QAction *a : m_languageGroup->actions())
        a->setChecked(a->data().toString() == Translator::currentLanguage());
    updateUndoTexts();
    updateTitle();
    updateModelBanner();
    updateAestheticSummary();
    updateRenderProgress();
}

void MainWindow::updateTitle()
{
    // Every project file is called story.json, so the story's own title says more when it has one.
    const QString title = m_document->project().title.trimmed();
    //: window title: %1 is the story title or file name, [*] marks unsaved changes (keep it)
    setWindowTitle(tr("%1[*] — Storyboard Studio").arg(title.isEmpty() ? m_document->displayName() : title));
    setWindowFilePath(m_document->filePath());
    setWindowModified(m_document->isModified());
}

void MainWindow::updateUndoTexts()
{
    QUndoStack *stack = m_document->undoStack();
    m_undoAction->setText(tr("&Undo"));
    m_redoAction->setText(tr("&Redo"));
    //: %1 describes the edit, e.g. "Edit prompt of panel 3"
    m_undoAction->setToolTip(stack->canUndo() ? tr("Undo: %1").arg(stack->undoText()) : tr("Nothing to undo"));
    //: %1 describes the edit, e.g. "Edit prompt of panel 3"
    m_redoAction->setToolTip(stack->canRedo() ? tr("Redo: %1").arg(stack->redoText()) : tr("Nothing to redo"));
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = AppSettings::instance()->get(Setting::RecentFiles).toStringList();
    int n = 0;
    for (const QString &file : files) {
        ++n;
        QAction *a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(n).arg(nativePath(file)));
        connect(a, &QAction::triggered, this, [this, file] {
            if (maybeSave())
                openFile(file);
        });
    }
    if (files.isEmpty()) {
        QAction *none = m_recentMenu->addAction(tr("No recent stories"));
        none->setEnabled(false);
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(m_clearRecentAction);
    m_clearRecentAction->setEnabled(!files.isEmpty());
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    const auto answer =
        MessageBox::question(this, tr("Unsaved Changes"),
                             tr("“%1” has unsaved changes. Do you want to save them?").arg(m_document->displayName()),
                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard) {
        m_autosave->discard();
        return true;
    }
    return false;
}

void MainWindow::newStory()
{
    if (!maybeSave())
        return;
    story::Project project = StoryDocument::newProject();
    project.modelFolder = AppSettings::instance()->get(Setting::DefaultModelFolder).toString();
    m_document->reset(project, QString());
    m_board->setCurrentPanel(0);
    statusBar()->showMessage(tr("New story"), kStatusTimeoutMs);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = FileDialog::getOpenFileName(this, tr("Open Story"),
                                                     AppSettings::instance()->get(Setting::LastProjectDir).toString(),
                                                     tr("Story files (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::openFile(const QString &path)
{
    QString error;
    std::optional<story::Project> project = story::ProjectFile::load(path, &error);
    if (!project) {
        MessageBox::critical(this, tr("Cannot Open Story"),
                             tr("“%1” could not be opened.\n\n%2").arg(nativePath(path), error));
        return false;
    }

    bool recovered = false;
    if (const auto candidate = AutosaveManager::findForProject(path)) {
        const auto answer = MessageBox::question(
            this, tr("Recover Unsaved Changes"),
            tr("There are unsaved changes to “%1” from %2 that were kept by autosave (the studio did not close "
               "normally). Recover them?")
                .arg(QFileInfo(path).fileName(), QLocale().toString(candidate->savedAt, QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer == QMessageBox::Yes) {
            QString recoverError;
            if (std::optional<story::Project> autosaved = AutosaveManager::loadCandidate(*candidate, &recoverError)) {
                project = autosaved;
                recovered = true;
            } else {
                MessageBox::critical(this, tr("Cannot Recover"), recoverError);
            }
        } else {
            AutosaveManager::removeCandidate(*candidate);
        }
    }

    m_document->reset(*project, path, recovered);
    m_board->setCurrentPanel(0);
    AppSettings *settings = AppSettings::instance();
    settings->addRecentFile(m_document->filePath());
    settings->set(Setting::LastProjectDir, QFileInfo(m_document->filePath()).absolutePath());
    statusBar()->showMessage(recovered ? tr("Recovered unsaved changes; save to keep them")
                                       : tr("Opened %1").arg(nativePath(m_document->filePath())),
                             kStatusTimeoutMs);
    return true;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!m_document->save(&error)) {
        MessageBox::critical(this, tr("Cannot Save Story"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(nativePath(m_document->filePath())), kStatusTimeoutMs);
    return true;
}

bool MainWindow::saveAs()
{
    QString start = m_document->filePath();
    if (start.isEmpty())
        start = AppSettings::instance()->get(Setting::LastProjectDir).toString() + QStringLiteral("/story.json");
    QString path = FileDialog::getSaveFileName(this, tr("Save Story As"), start, tr("Story files (*.json)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    return saveToFile(path);
}

bool MainWindow::saveToFile(const QString &path)
{
    QString error;
    if (!m_document->saveAs(path, &error)) {
        MessageBox::critical(this, tr("Cannot Save Story"), error);
        return false;
    }
    AppSettings *settings = AppSettings::instance();
    settings->addRecentFile(m_document->filePath());
    settings->set(Setting::LastProjectDir, QFileInfo(m_document->filePath()).absolutePath());
    statusBar()->showMessage(tr("Saved %1").arg(nativePath(m_document->filePath())), kStatusTimeoutMs);
    return true;
}

void MainWindow::exportStory()
{
    if (isExporting())
        return;
    const std::optional<ExportChoices> choices =
        ExportDialog::ask(m_document->project(), m_document->projectDir(),
                          AppSettings::instance()->get(Setting::LastExportDir).toString(), this);
    if (choices && !choices->dir.isEmpty())
        exportTo(*choices);
}

bool MainWindow::isExporting() const
{
    return m_exportRunner->isRunning();
}

bool MainWindow::exportTo(const QString &dir)
{
    ExportChoices choices;
    choices.dir = dir;
    return exportTo(choices);
}

bool MainWindow::exportTo(const ExportChoices &choices)
{
    const QString dir = choices.dir;
    if (isExporting())
        return false;
    const QDir target(dir);
    if (target.exists() && !target.isEmpty()) {
        const auto answer = MessageBox::question(
            this, tr("Export"),
            tr("The folder “%1” is not empty. Files of an earlier export in it will be replaced. Export anyway?")
                .arg(nativePath(dir)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    const QVector<double> scores = chosenScores(m_document->project());
    const double threshold = AppSettings::instance()->get(Setting::AestheticThreshold).toDouble();
    if (!scores.isEmpty() && mean(scores) < threshold) {
        const auto answer = MessageBox::warning(
            this, tr("Aesthetic Score Below Threshold"),
            tr("The mean aesthetic score of the chosen images is %1 (%2 of 8 panels scored), below the threshold "
               "%3. The challenge rejected stories below it. Export anyway?")
                .arg(mean(scores), 0, 'f', 2)
                .arg(scores.size())
                .arg(threshold, 0, 'f', 2),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
    }
    AppSettings::instance()->set(Setting::LastExportDir, dir);

    m_exportAction->setEnabled(false);
    m_storyProgress->setRange(0, 0); // busy until the first progress report
    m_storyProgress->setVisible(true);
    statusBar()->showMessage(tr("Exporting to %1…").arg(nativePath(dir)));

    // The exporter works on copies: the story may be edited while it runs.
    const story::Project project = m_document->project();
    const QString projectDir = m_document->projectDir();
    // The scores the studio computed for the chosen images go on the LoRA card.
    std::optional<story::LoraCard::AestheticScores> aesthetic;
    if (!scores.isEmpty()) {
        story::LoraCard::AestheticScores s;
        for (int i = 0; i < story::kPanelCount; ++i) {
            if (const story::PanelVariant *chosen = project.panels[size_t(i)].chosen()) {
                const QJsonValue v = chosen->parameters.value(QStringLiteral("aestheticScore"));
                if (v.isDouble())
                    s.panels[size_t(i)] = v.toDouble();
            }
        }
        s.threshold = threshold;
        s.model = QDir(AppSettings::instance()->get(Setting::AestheticModelFolder).toString()).dirName();
        aesthetic = s;
    }
    m_exportRunner->start(project, projectDir, choices, aesthetic);
    return true;
}

void MainWindow::onExportFinished(bool ok, const QString &dir, const QString &error, const QStringList &warnings)
{
    m_exportAction->setEnabled(true);
    m_storyProgress->setVisible(false);
    m_storyProgress->setRange(0, 100);
    if (ok) {
        const QString message = tr("Exported to %1").arg(nativePath(dir));
        statusBar()->showMessage(message, kStatusTimeoutMs);
        if (!warnings.isEmpty()) {
            MessageBox::information(this, tr("Export Finished"),
                                    tr("The story was exported to “%1”. Please note:\n\n%2")
                                        .arg(nativePath(dir), warnings.join(QLatin1Char('\n'))));
        }
        Q_EMIT exportFinished(true, message);
    } else {
        statusBar()->clearMessage();
        MessageBox::critical(this, tr("Export Failed"), error);
        Q_EMIT exportFinished(false, error);
    }
}

void MainWindow::offerStartupRecovery()
{
    if (m_document->isModified() || !m_document->filePath().isEmpty())
        return;
    const QVector<AutosaveManager::Candidate> candidates = AutosaveManager::orphaned();
    for (const AutosaveManager::Candidate &candidate : candidates) {
        if (candidate.autosavePath == m_autosave->currentPath())
            continue;
        const QFileInfo projectFile(candidate.projectPath);
        const bool hasFile = !candidate.projectPath.isEmpty() && projectFile.exists();
        if (hasFile && candidate.savedAt <= projectFile.lastModified()) {
            AutosaveManager::removeCandidate(candidate); // saved later: nothing to recover
            continue;
        }
        const QString name = candidate.projectPath.isEmpty() ? tr("an untitled story")
                                                             : tr("“%1”").arg(nativePath(candidate.projectPath));
        const auto answer = MessageBox::question(
            this, tr("Recover Unsaved Work"),
            tr("The studio did not close normally. Unsaved changes to %1 from %2 were kept by autosave. Recover "
               "them?\n\nIf you choose No, they are deleted.")
                .arg(name, QLocale().toString(candidate.savedAt, QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) {
            AutosaveManager::removeCandidate(candidate);
            continue;
        }
        QString error;
        const std::optional<story::Project> project = AutosaveManager::loadCandidate(candidate, &error);
        if (!project) {
            MessageBox::critical(this, tr("Cannot Recover"), error);
            continue;
        }
        // Keep the original file name when its folder still exists, so Save writes back where it belongs.
        const bool folderExists = !candidate.projectPath.isEmpty() && projectFile.absoluteDir().exists();
        m_document->reset(*project, folderExists ? candidate.projectPath : QString(), true);
        m_board->setCurrentPanel(0);
        if (m_autosave->currentPath() != candidate.autosavePath) {
            // Our own autosave now holds the recovered story; only then drop the old one.
            m_autosave->saveNow();
            m_autosave->waitForIdle();
            AutosaveManager::removeCandidate(candidate);
        }
        statusBar()->showMessage(tr("Recovered unsaved changes; save to keep them"), kStatusTimeoutMs);
        return;
    }
}

// --- rendering ---

void MainWindow::connectRenderQueue()
{
    RenderQueue *q = m_renderQueue;
    connect(q, &RenderQueue::busyChanged, this, &MainWindow::updateRenderControls);
    connect(q, &RenderQueue::progressChanged, this, &MainWindow::updateRenderProgress);
    connect(q, &RenderQueue::message, this, [this](const QString &text) { statusBar()->showMessage(text, 15000); });
    connect(q, &RenderQueue::panelStarted, this, [this](int panel, qint64 seed) {
        m_board->setPanelNote(panel, QString());
        m_board->setPanelProgress(panel, 0.0);
        //: %1 is the panel number, %2 the seed used
        statusBar()->showMessage(tr("Rendering panel %1 with seed %2…", "storyboard panel").arg(panel + 1).arg(seed));
        updateRenderControls();
    });
    connect(q, &RenderQueue::panelProgress, this, [this](int panel, int step, int steps) {
        m_board->setPanelProgress(panel, steps > 0 ? double(step) / steps : 0.0);
    });
    connect(q, &RenderQueue::panelPreview, this, [this](int panel, const QImage &image) {
        m_board->setPanelPreview(panel, image);
        m_editor->showRenderPreview(panel, image);
    });
    auto ended = [this](int panel) {
        m_board->setPanelProgress(panel, -1);
        m_board->setPanelPreview(panel, QImage());
        m_editor->showRenderPreview(panel, QImage());
        updateRenderControls();
    };
    connect(q, &RenderQueue::panelFinished, this, [this, ended](int panel, const GenerationOutcome &outcome) {
        ended(panel);
        QString text = tr("Panel %1 rendered in %2 (seed %3).", "storyboard panel")
                           .arg(panel + 1)
                           .arg(formatDuration(outcome.seconds))
                           .arg(outcome.seed);
        if (outcome.aestheticScore)
            //: appended to "Panel 3 rendered …"; %1 is the aesthetic score
            text += QLatin1Char(' ') + tr("Aesthetic score %1.").arg(*outcome.aestheticScore, 0, 'f', 2);
        if (outcome.retriedWithTiles)
            text += QLatin1Char(' ') + tr("It needed tiled VAE decoding after running out of memory.");
        statusBar()->showMessage(text, kStatusTimeoutMs);
    });
    connect(q, &RenderQueue::panelFailed, this, [this, ended](int panel, const QString &message) {
        ended(panel);
        m_board->setPanelNote(panel, message);
        statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 15000);
    });
    connect(m_document, &StoryDocument::panelStateChanged, this, [this, ended](int panel) {
        // Cancelled (or the story replaced): the panel shows its previous image again.
        const PanelState state = m_document->panelState(panel);
        if (state == PanelState::Cancelled || state == PanelState::Empty || state == PanelState::HasImage)
            ended(panel);
    });
    connect(q, &RenderQueue::modelFailed, this,
            [this](const QString &message) { MessageBox::critical(this, tr("Cannot Render"), message); });
    connect(q, &RenderQueue::drained, this, [this] {
        const RenderQueue::Progress p = m_renderQueue->progress();
        //: %1 panels ended, %2 panels in the batch
        statusBar()->showMessage(tr("Render queue finished (%1 of %2 panels).").arg(p.finished).arg(p.total),
                                 kStatusTimeoutMs);
    });
}

bool MainWindow::prepareToRender()
{
    const QString problem = m_renderQueue->modelProblem();
    if (!problem.isEmpty()) {
        MessageBox::warning(this, tr("Cannot Render"), problem);
        return false;
    }
    if (m_renderQueue->needsSave()) {
        // Images live in the story's folder (images/panel-NN/), so the story needs one before its first render.
        const auto answer = MessageBox::question(
            this, tr("Save the Story First"),
            tr("Rendered images are kept in the story's folder (images/panel-01 … panel-08), next to the story "
               "file. Save the story now to choose that folder?"),
            QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Save);
        if (answer != QMessageBox::Save || !saveAs())
            return false;
    }
    return true;
}

bool MainWindow::renderAll()
{
    if (!prepareToRender())
        return false;
    QString why;
    if (!m_renderQueue->renderAll(&why)) {
        statusBar()->showMessage(why, kStatusTimeoutMs);
        return false;
    }
    return true;
}

bool MainWindow::renderCurrentPanel()
{
    if (!prepareToRender())
        return false;
    QString why;
    if (!m_renderQueue->renderPanel(m_board->currentPanel(), RenderQueue::Kind::Render, &why)) {
        statusBar()->showMessage(why, kStatusTimeoutMs);
        return false;
    }
    return true;
}

bool MainWindow::regenerateCurrentPanel()
{
    if (!prepareToRender())
        return false;
    QString why;
    if (!m_renderQueue->renderPanel(m_board->currentPanel(), RenderQueue::Kind::Regenerate, &why)) {
        statusBar()->showMessage(why, kStatusTimeoutMs);
        return false;
    }
    return true;
}

void MainWindow::cancelCurrentPanel()
{
    if (!m_renderQueue->cancelPanel(m_board->currentPanel()))
        statusBar()->showMessage(
            tr("Panel %1 is not in the render queue.", "storyboard panel").arg(m_board->currentPanel() + 1),
            kStatusTimeoutMs);
}

void MainWindow::stopNow()
{
    m_renderQueue->stopNow();
}

void MainWindow::stopAfterCurrentPanel()
{
    m_renderQueue->stopAfterCurrent();
}

void MainWindow::showModelSettings()
{
    ModelSettingsDialog dialog(m_document, this);
    dialog.exec();
    updateModelBanner();
}

bool MainWindow::restorePanelFromImage(int panel, const QString &path)
{
    QString error;
    QStringList notes;
    if (!m_document->restorePanelFromImage(panel, path, &error, &notes)) {
        MessageBox::warning(this, tr("Cannot Use This Image"), error);
        return false;
    }
    m_board->setCurrentPanel(panel);
    //: %1 is the panel number, %2 the image file name
    QString text =
        tr("Panel %1 now has the settings of “%2”.", "storyboard panel").arg(panel + 1).arg(QFileInfo(path).fileName());
    if (!notes.isEmpty())
        text += QLatin1Char(' ') + notes.join(QStringLiteral("; "));
    statusBar()->showMessage(text, 15000);
    return true;
}

void MainWindow::showPanelMenu(int panel, const QPoint &globalPos)
{
    Q_UNUSED(panel)
    QMenu menu(this);
    menu.addAction(m_renderPanelAction);
    menu.addAction(m_regenerateAction);
    menu.addAction(m_cancelPanelAction);
    menu.exec(globalPos);
}

void MainWindow::updateRenderControls()
{
    const bool busy = m_renderQueue->isBusy();
    m_stopNowAction->setEnabled(busy);
    m_stopAfterAction->setEnabled(busy && m_renderQueue->runningPanel() >= 0);
    m_cancelPanelAction->setEnabled(busy);
    updateRenderProgress();
}

void MainWindow::updateRenderProgress()
{
    if (!m_renderQueue)
        return;
    const RenderQueue::Progress p = m_renderQueue->progress();
    const bool busy = m_renderQueue->isBusy();
    m_panelRenderProgress->setVisible(busy && p.panel >= 0);
    m_storyRenderProgress->setVisible(busy && p.total > 1);
    if (p.panel >= 0) {
        m_panelRenderProgress->setRange(0, qMax(1, p.steps));
        m_panelRenderProgress->setValue(p.step);
        //: progress bar text; %1 panel number, %2 step, %3 steps, %4 time left (e.g. "12 s")
        m_panelRenderProgress->setFormat(tr("Panel %1: step %2/%3, %4 left", "storyboard panel")
                                             .arg(p.panel + 1)
                                             .arg(p.step)
                                             .arg(p.steps)
                                             .arg(formatDuration(p.panelSecondsLeft)));
    }
    m_storyRenderProgress->setValue(qRound(p.storyFraction * 1000));
    //: progress bar text; %1 panels finished, %2 panels queued in all, %3 time left
    m_storyRenderProgress->setFormat(
        tr("Story: %1 of %2 panels, %3 left").arg(p.finished).arg(p.total).arg(formatDuration(p.storySecondsLeft)));
}

void MainWindow::updateModelBanner()
{
    if (!m_renderQueue || !m_modelBanner)
        return;
    const QString problem = m_renderQueue->modelProblem();
    m_modelBanner->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        return;
    const QString folder = m_renderQueue->engineSettings().modelDir;
    m_modelBannerText->setText(
        folder.isEmpty()
            ? tr("<b>No Kolors model yet.</b> Everything but rendering works. Rendering needs the Kolors weights "
                 "(about 16 GB, from Hugging Face or ModelScope): Settings ▸ Model… lists the files and where to "
                 "get them.")
            : problem.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>")));
    m_modelBannerText->setTextFormat(Qt::RichText);
}

void MainWindow::updateAestheticSummary()
{
    if (!m_aestheticLabel)
        return;
    const QVector<double> scores = chosenScores(m_document->project());
    const double threshold = AppSettings::instance()->get(Setting::AestheticThreshold).toDouble();
    const bool hasPredictor = !AppSettings::instance()->get(Setting::AestheticModelFolder).toString().isEmpty();
    if (scores.isEmpty()) {
        m_aestheticLabel->setText(hasPredictor ? tr("Aesthetic: no scores yet") : tr("Aesthetic: no predictor"));
        m_aestheticLabel->setToolTip(
            hasPredictor ? tr("Each panel is scored after it is rendered.")
                         : tr("Set the aesthetic predictor in Settings ▸ Model… to score each render. %1")
                               .arg(EngineSupport::aestheticModelHint()));
        m_aestheticLabel->setStyleSheet(QString());
        return;
    }
    const double m = mean(scores);
    //: status bar; %1 mean aesthetic score, %2 the threshold, %3 scored panels
    m_aestheticLabel->setText(tr("Aesthetic mean %1 (threshold %2, %3 of 8 panels)")
                                  .arg(m, 0, 'f', 2)
                                  .arg(threshold, 0, 'f', 2)
                                  .arg(scores.size()));
    m_aestheticLabel->setToolTip(m >= threshold ? tr("The mean meets the challenge's threshold.")
                                                : tr("Below the threshold: the challenge would reject this story."));
    m_aestheticLabel->setStyleSheet(m >= threshold ? QStringLiteral("color: #2e9d5b;")
                                                   : QStringLiteral("color: #d63a3a; font-weight: bold;"));
}

void MainWindow::showAbout()
{
    MessageBox::information(this, tr("About Storyboard Studio"),
                            tr("Storyboard Studio %1\n\nWrite, render and export 8-panel Kolors story comics.")
                                .arg(QStringLiteral(STUDIO_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_renderQueue->isBusy()) {
        const auto answer =
            MessageBox::question(this, tr("Rendering"), tr("Panels are still rendering. Stop rendering and quit?"),
                                 QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    if (isExporting()) {
        // The export cannot be interrupted half-way (the folder would be incomplete); quitting waits for it.
        const auto answer = MessageBox::question(
            this, tr("Export"), tr("The export is still being written. Quit as soon as it is finished?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    // Saving comes before stopping: a Cancel in the save dialog keeps the studio open with its render going on.
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_renderQueue->stopNow();
    m_autosave->discard();
    AppSettings *settings = AppSettings::instance();
    settings->set(Setting::MainWindowGeometry, saveGeometry());
    settings->set(Setting::MainWindowState, saveState());
    settings->set(Setting::MainSplitterState, m_splitter->saveState());
    event->accept();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

TrainingPage *MainWindow::trainingPage()
{
    if (!m_trainingPage) {
        m_trainingPage = new TrainingPage(m_document, m_renderQueue, this);
        m_trainingPage->setWindowFlag(Qt::Window);
        m_trainingPage->resize(1280, 740);
    }
    return m_trainingPage;
}

void MainWindow::showTrainingPage()
{
    TrainingPage *page = trainingPage();
    page->show();
    page->raise();
    page->activateWindow();
}

} // namespace studio::ui
