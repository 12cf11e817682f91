#pragma once

// Shared set-up for the studio's GUI tests: a temporary settings file, a test-mode AppData folder
// (QStandardPaths::setTestModeEnabled) and small projects with real images on disk.

#include "story/Project.h"
#include "story/ProjectFile.h"

#include "ui/AppSettings.h"
#include "ui/AutosaveManager.h"
#include "ui/MessageBox.h"
#include "ui/Translator.h"

#include <QColor>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QDir>
#include <QImage>
#include <QString>

namespace studio::ui::test {

// Once per suite: test-mode AppData and an application name of the suite's own, so suites never share settings.
inline void enterTestMode(const QString &applicationName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("StoryboardStudioTests"));
    QCoreApplication::setApplicationName(applicationName);
}

// Before every test: a fresh settings file, no autosaves, no scripted message-box answers, English UI.
inline void resetStudioState()
{
    AppSettings::createTempFileInstance();
    QDir(AutosaveManager::autosaveDir()).removeRecursively();
    MessageBox::resetTestState();
    Translator::install(QStringLiteral("en"));
}

// Writes a project into `dir` whose panels each have `variantsPerPanel` small solid-colour images
// (images/panel-NN-vK.png) with the last one chosen, saves it as dir/story.json and returns that path.
inline QString writeProjectWithImages(const QString &dir, int variantsPerPanel = 1, int edge = 64)
{
    QDir().mkpath(dir + QStringLiteral("/images"));
    story::Project project;
    project.title = QStringLiteral("Test story");
    project.teamName = QStringLiteral("team");
    for (int i = 0; i < story::kPanelCount; ++i) {
        story::Panel &panel = project.panels[i];
        panel.prompt = QStringLiteral("panel %1 prompt").arg(i + 1);
        panel.seed = 1000 + i;
        panel.width = edge;
        panel.height = edge;
        for (int v = 0; v < variantsPerPanel; ++v) {
            QImage image(edge, edge, QImage::Format_RGB888);
            image.fill(QColor::fromHsv((i * 40 + v * 15) % 360, 200, 60 + 20 * v));
            const QString relative =
                QStringLiteral("images/panel-%1-v%2.png").arg(i + 1, 2, 10, QLatin1Char('0')).arg(v);
            if (!image.save(dir + QLatin1Char('/') + relative))
                return {};
            story::PanelVariant variant;
            variant.path = relative;
            variant.seed = panel.seed + v;
            variant.createdAt = QStringLiteral("2025-01-01T12:00:0%1Z").arg(v);
            panel.variants.append(variant);
        }
        panel.chosenVariant = variantsPerPanel - 1;
    }
    const QString path = dir + QStringLiteral("/story.json");
    QString error;
    if (!story::ProjectFile::save(project, path, &error))
        return {};
    return path;
}

} // namespace studio::ui::test
