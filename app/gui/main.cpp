// storyboard-studio: the Qt Widgets studio. Everything lives in studio_ui; this only builds the application.
#include "ui/MainWindow.h"
#include "ui/ModelSettingsDialog.h"
#include "ui/Translator.h"
#include "ui/StoryDocument.h"
#include "ui/export/ExportDialog.h"
#include "ui/refine/RefineActions.h"
#include "ui/render/GracefulThreadDeleter.h"
#include "ui/render/RenderQueue.h"
#include "ui/training/TrainingDataPanel.h"
#include "ui/training/TrainingPage.h"
#include "ui/training/TrainingSettingsForm.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

#ifndef STUDIO_VERSION
#define STUDIO_VERSION "dev"
#endif

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("StoryboardStudio"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("storyboardstudio.github.io"));
    QCoreApplication::setApplicationName(QStringLiteral("storyboard-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STUDIO_VERSION));
    // Matches the installed .desktop file, so Wayland compositors and docks find our icon and name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.storyboardstudio.StoryboardStudio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write, render and export 8-panel Kolors story comics."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("story"), QStringLiteral("Story file (story.json) to open."),
                                 QStringLiteral("[story]"));
    const QCommandLineOption languageOption(QStringLiteral("language"),
                                            QStringLiteral("UI language for this run (zh_CN or en); not saved."),
                                            QStringLiteral("code"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window once it is shown, then quit (docs)."),
        QStringLiteral("png"));
    QCommandLineOption tabOption(QStringLiteral("screenshot-tab"),
                                 QStringLiteral("Side tab to show for the screenshot: panel, story or character; export "
                                                "shoots the Export dialog, refine the Refine dialog and "
                                                "model-settings the Settings ▸ Model dialog instead."),
                                 QStringLiteral("tab"), QStringLiteral("panel"));
    tabOption.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption renderAllOption(
        QStringLiteral("render-all"),
        QStringLiteral("Render every panel of the story once the window is shown (with --screenshot: take the "
                       "screenshot when the renders are done)."));
    // The Train LoRA page, run end to end (docs screenshot of a finished tiny-model run, and a smoke test).
    const QCommandLineOption trainImagesOption(
        QStringLiteral("train-images"),
        QStringLiteral("Open the Train LoRA page with this image folder (or Data-Juicer config / jsonl) and train "
                       "(with --screenshot: grab the page when training ends)."),
        QStringLiteral("path"));
    const QCommandLineOption trainModelOption(QStringLiteral("train-model"),
                                              QStringLiteral("Kolors folder for --train-images."),
                                              QStringLiteral("dir"));
    const QCommandLineOption trainOutputOption(QStringLiteral("train-output"),
                                               QStringLiteral("LoRA file for --train-images."),
                                               QStringLiteral("file"));
    const QCommandLineOption trainStepsOption(QStringLiteral("train-steps"),
                                              QStringLiteral("Steps for --train-images."), QStringLiteral("n"));
    const QCommandLineOption trainResolutionOption(QStringLiteral("train-resolution"),
                                                   QStringLiteral("Resolution for --train-images."),
                                                   QStringLiteral("px"));
    const QCommandLineOption trainCaptionOption(QStringLiteral("train-caption"),
                                                QStringLiteral("One caption for every image of --train-images."),
                                                QStringLiteral("text"));
    const QCommandLineOption trainPromptOption(QStringLiteral("train-prompt"),
                                               QStringLiteral("Sample prompt for --train-images (default: the "
                                                              "--train-caption)."),
                                               QStringLiteral("text"));
    parser.addOptions({languageOption, screenshotOption, tabOption, renderAllOption, trainImagesOption,
                       trainModelOption, trainOutputOption, trainStepsOption, trainResolutionOption,
                       trainCaptionOption, trainPromptOption});
    parser.process(app);

    studio::ui::Translator::install(parser.isSet(languageOption) ? parser.value(languageOption)
                                                                 : studio::ui::Translator::preferredLanguage());

    auto windowOwner = std::make_unique<studio::ui::MainWindow>();
    studio::ui::MainWindow &window = *windowOwner;
    window.show();

    const QStringList files = parser.positionalArguments();
    const bool screenshot = parser.isSet(screenshotOption);
    if (!files.isEmpty()) {
        window.openFile(files.constFirst());
    } else if (!screenshot) {
        QTimer::singleShot(0, &window, &studio::ui::MainWindow::offerStartupRecovery);
    }

    const bool renderAll = parser.isSet(renderAllOption);
    if (parser.isSet(trainImagesOption)) {
        studio::ui::TrainingPage *page = window.trainingPage();
        page->setModelDir(parser.value(trainModelOption));
        if (parser.isSet(trainOutputOption))
            page->setOutputPath(parser.value(trainOutputOption));
        studio::ui::TrainingJob settings;
        settings.steps = parser.value(trainStepsOption).toInt() > 0 ? parser.value(trainStepsOption).toInt() : 20;
        settings.resolution =
            parser.value(trainResolutionOption).toInt() > 0 ? parser.value(trainResolutionOption).toInt() : 64;
        settings.rank = 4;
        settings.alpha = 4.0;
        settings.saveEvery = 0;
        settings.sampleEvery = qMax(1, settings.steps / 4);
        settings.samplePrompt = parser.isSet(trainPromptOption) ? parser.value(trainPromptOption)
                                                                : parser.value(trainCaptionOption);
        page->settingsForm()->setValues(settings);
        page->show();
        const QString source = parser.value(trainImagesOption);
        const QString caption = parser.value(trainCaptionOption);
        const QString target = parser.value(screenshotOption);
        QObject::connect(page->dataPanel(), &studio::ui::TrainingDataPanel::dataChanged, page, [page, caption] {
            static bool started = false; // the first load only; caption edits also signal dataChanged
            if (started)
                return;
            started = true;
            if (!caption.isEmpty())
                page->dataPanel()->setAllCaptions(caption);
            QString why;
            if (!page->start(&why)) {
                std::fprintf(stderr, "storyboard-studio: training not started: %s\n", qUtf8Printable(why));
                QCoreApplication::exit(1);
            }
        });
        QObject::connect(page, &studio::ui::TrainingPage::trainingEnded, page,
                         [page, &app, target, screenshot](bool ok, const QString &message) {
                             std::fprintf(stderr, "storyboard-studio: %s\n", qUtf8Printable(message));
                             if (!screenshot)
                                 return;
                             // Let the chart and the samples paint before grabbing.
                             QTimer::singleShot(800, page, [page, &app, target, ok] {
                                 app.exit(page->grab().save(target) && ok ? 0 : 1);
                             });
                         });
        if (QFileInfo(source).isDir())
            page->dataPanel()->loadFolder(source);
        else
            page->dataPanel()->loadDataJuicer(source);
    } else if (screenshot) {
        const QString target = parser.value(screenshotOption);
        if (auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("sideTabs")))
            tabs->setCurrentIndex(parser.value(tabOption) == QLatin1String("story")       ? 1
                                  : parser.value(tabOption) == QLatin1String("character") ? 2
                                                                                          : 0);
        const bool exportDialog = parser.value(tabOption) == QLatin1String("export");
        QWidget *shown = &window;
        if (parser.value(tabOption) == QLatin1String("refine"))
            shown = window.refineActions()->showRefineDialog();
        if (parser.value(tabOption) == QLatin1String("model-settings")) {
            auto *dialog = new studio::ui::ModelSettingsDialog(window.document(), &window);
            dialog->show();
            QTimer::singleShot(200, dialog, [dialog] { dialog->showMemoryChoices(); }); // once laid out
            shown = dialog;
        }
        auto grab = [&window, &app, target, exportDialog, shown] {
            window.statusBar()->clearMessage(); // "Opened /home/…" would show the author's folders
            if (exportDialog) {
                auto *dialog = new studio::ui::ExportDialog(window.document()->project(),
                                                            window.document()->projectDir(),
                                                            QStringLiteral("~/comics/story"), &window);
                dialog->show();
                QTimer::singleShot(500, dialog, [dialog, &app, target] { app.exit(dialog->grab().save(target) ? 0 : 1); });
                return;
            }
            const bool ok = shown && shown->grab().save(target);
            app.exit(ok ? 0 : 1);
        };
        if (renderAll) {
            // Once the last panel is in, give the board a moment to load the new thumbnails.
            QObject::connect(window.renderQueue(), &studio::ui::RenderQueue::drained, &window,
                             [&window, grab] { QTimer::singleShot(800, &window, grab); });
        } else {
            // Give the window a moment to lay out and load its thumbnails before grabbing it.
            QTimer::singleShot(1500, &window, grab);
        }
    }
    if (renderAll) {
        QTimer::singleShot(0, &window, [&window, &app, screenshot] {
            if (!window.renderAll() && screenshot)
                app.exit(1); // the reason was shown (or, offscreen, logged)
        });
    }
    const int code = app.exec();
    windowOwner.reset(); // cancels rendering and joins its thread (with a limit)
    if (studio::ui::abandonedWorkerThreads() > 0) {
        // A worker still inside one call that cannot be interrupted: end now instead of running the static
        // destructors under it (the story was saved or discarded when the window closed).
        std::fflush(nullptr);
        std::_Exit(code);
    }
    return code;
}
