#include "story/PanelRender.h"

#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/ProjectPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace studio::story {

PanelRenderSettings PanelRender::settingsFor(const Project &project, int panel)
{
    const Panel &p = project.panels[size_t(panel)];
    PanelRenderSettings s;
    s.prompt = project.effectivePrompt(panel);
    s.negativePrompt = project.effectiveNegativePrompt(panel);
    s.seed = p.seed;
    s.steps = p.steps;
    s.cfgScale = p.cfgScale;
    s.sampler = p.sampler;
    s.width = p.width;
    s.height = p.height;
    s.hires = p.hires;
    return s;
}

QString PanelRender::relativePathFor(int panel, qint64 seed, const QDateTime &when)
{
    return QStringLiteral("images/panel-%1/%2-%3.png")
        .arg(panel + 1, 2, 10, QLatin1Char('0'))
        .arg(seed)
        .arg(when.toUTC().toString(QStringLiteral("yyyyMMddTHHmmsszzz")) + QLatin1Char('Z'));
}

std::optional<PanelVariant> PanelRender::writeImage(const Project &project, const QString &projectDir, int panel,
                                                    const QString &relativePath, const QImage &image,
                                                    const QJsonObject &parameters, qint64 seed, bool aigcLabel,
                                                    QString *error)
{
    if (panel < 0 || panel >= kPanelCount) { // a programming error, never the user's
        *error = QStringLiteral("invalid panel %1").arg(panel);
        return std::nullopt;
    }
    QString relative = relativePath;
    QString why;
    QString absolute = ProjectPaths::resolveInside(projectDir, relative, &why);
    const QString stem = relative.endsWith(QLatin1String(".png")) ? relative.chopped(4) : relative;
    for (int n = 2; !absolute.isEmpty() && QFileInfo::exists(absolute); ++n) {
        relative = QStringLiteral("%1-%2.png").arg(stem).arg(n);
        absolute = ProjectPaths::resolveInside(projectDir, relative, &why);
    }
    if (absolute.isEmpty()) {
        *error = QCoreApplication::translate("studio::story::PanelRender", "Cannot write “%1”: %2").arg(relative, why);
        return std::nullopt;
    }
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath())) {
        *error = QCoreApplication::translate("studio::story::PanelRender", "Cannot create the folder “%1”.")
                     .arg(QDir::toNativeSeparators(QFileInfo(absolute).absolutePath()));
        return std::nullopt;
    }

    PanelVariant variant;
    variant.path = relative;
    variant.seed = seed;
    variant.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    variant.parameters = parameters;

    // The metadata describes the panel with this image chosen, exactly as export will write it later.
    Project chosen = project;
    addChosenVariant(chosen, panel, variant);
    const QVector<PngTextChunk> chunks = PanelMetadata::chunks(chosen, panel, std::nullopt, aigcLabel);
    if (!PngMetadata::writeImage(absolute, image, chunks, error))
        return std::nullopt;
    return variant;
}

void PanelRender::addChosenVariant(Project &project, int panel, const PanelVariant &variant)
{
    Panel &p = project.panels[size_t(panel)];
    p.variants.append(variant);
    p.chosenVariant = int(p.variants.size()) - 1;
}

} // namespace studio::story
