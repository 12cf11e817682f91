#include "RenderedImageWriter.h"

#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/ProjectPaths.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace studio::ui {

QString RenderedImageWriter::relativePathFor(int panel, qint64 seed, const QDateTime &when)
{
    return QStringLiteral("images/panel-%1/%2-%3.png")
        .arg(panel + 1, 2, 10, QLatin1Char('0'))
        .arg(seed)
        .arg(when.toUTC().toString(QStringLiteral("yyyyMMddTHHmmsszzz")) + QLatin1Char('Z'));
}

std::optional<story::PanelVariant> RenderedImageWriter::write(const ImageTarget &target, const QImage &image,
                                                              const QJsonObject &parameters, qint64 seed,
                                                              QString *error)
{
    if (target.panel < 0 || target.panel >= story::kPanelCount) {
        *error = QStringLiteral("invalid panel %1").arg(target.panel);
        return std::nullopt;
    }
    // Never replace an earlier render: undo keeps referring to it.
    QString relative = target.relativePath;
    QString why;
    QString absolute = story::ProjectPaths::resolveInside(target.projectDir, relative, &why);
    const QString stem = relative.chopped(4); // ".png"
    for (int n = 2; !absolute.isEmpty() && QFileInfo::exists(absolute); ++n) {
        relative = QStringLiteral("%1-%2.png").arg(stem).arg(n);
        absolute = story::ProjectPaths::resolveInside(target.projectDir, relative, &why);
    }
    if (absolute.isEmpty()) {
        *error = QCoreApplication::translate("RenderedImageWriter", "Cannot write “%1”: %2").arg(relative, why);
        return std::nullopt;
    }
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath())) {
        *error = QCoreApplication::translate("RenderedImageWriter", "Cannot create the folder “%1”.")
                     .arg(QDir::toNativeSeparators(QFileInfo(absolute).absolutePath()));
        return std::nullopt;
    }

    story::PanelVariant variant;
    variant.path = relative;
    variant.seed = seed;
    variant.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    variant.parameters = parameters;

    // The metadata describes the panel with this image chosen, exactly as export will write it later.
    story::Project project = target.project;
    story::Panel &panel = project.panels[size_t(target.panel)];
    panel.variants.append(variant);
    panel.chosenVariant = int(panel.variants.size()) - 1;
    const QVector<story::PngTextChunk> chunks =
        story::PanelMetadata::chunks(project, target.panel, std::nullopt, target.aigcLabel);
    if (!story::PngMetadata::writeImage(absolute, image, chunks, error))
        return std::nullopt;
    return variant;
}

} // namespace studio::ui
