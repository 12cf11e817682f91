#include "ComicOptions.h"

#include "story/LoraCard.h"
#include "story/PanelMetadata.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonValue>

namespace studio::story {

namespace {

bool hasHan(const QString &text)
{
    for (const QChar c : text) {
        const ushort u = c.unicode();
        if ((u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3400 && u <= 0x4DBF))
            return true;
    }
    return false;
}

// The model folder's name as the render recorded it, else the story's model folder, else the base model.
QString modelLabel(const Project &project)
{
    for (const Panel &panel : project.panels) {
        if (const PanelVariant *chosen = panel.chosen()) {
            const QJsonValue model = chosen->parameters.value(QStringLiteral("model"));
            if (model.isString() && !model.toString().isEmpty())
                return model.toString();
        }
    }
    const QString folder = QDir(project.modelFolder).dirName();
    return project.modelFolder.isEmpty() || folder.isEmpty() ? QStringLiteral("Kolors") : folder;
}

} // namespace

std::optional<ComicOptions> ComicOptions::fromFormatList(const QString &list, QString *error)
{
    ComicOptions options;
    for (const QString &raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = raw.trimmed().toLower();
        if (name == QLatin1String("pdf"))
            options.pdf = true;
        else if (name == QLatin1String("cbz"))
            options.cbz = true;
        else if (name == QLatin1String("strip"))
            options.strip = true;
        else if (!name.isEmpty()) {
            if (error)
                *error = QCoreApplication::translate("studio::story::ComicOptions",
                                                     "unknown comic format \"%1\" (expected pdf, cbz or strip)")
                             .arg(raw.trimmed());
            return std::nullopt;
        }
    }
    if (!options.any()) {
        if (error)
            *error = QCoreApplication::translate("studio::story::ComicExporter",
                                                 "no comic format given (expected a list such as pdf,cbz,strip)");
        return std::nullopt;
    }
    return options;
}

std::optional<ComicOptions::PdfLayout> ComicOptions::pdfLayoutFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("grid"))
        return PdfLayout::Grid;
    if (n == QLatin1String("pages"))
        return PdfLayout::PanelPerPage;
    return std::nullopt;
}

ComicContent ComicContent::fromProject(const Project &project, const std::array<QImage, kPanelCount> &panels,
                                       const QString &loraName)
{
    ComicContent c;
    c.title = project.title.trimmed();
    c.team = project.teamName.trimmed();
    c.panels = panels;
    QStringList lines;
    bool chinese = hasHan(c.title);
    for (int i = 0; i < kPanelCount; ++i) {
        c.captions[size_t(i)] = project.panels[size_t(i)].caption.trimmed();
        if (!c.captions[size_t(i)].isEmpty())
            lines.append(c.captions[size_t(i)]);
        chinese = chinese || hasHan(c.captions[size_t(i)]);
    }
    c.summary = lines.join(QLatin1Char('\n'));
    c.language = chinese ? QStringLiteral("zh") : QStringLiteral("en");
    const QString lora = loraName.isEmpty()
                             ? QStringLiteral("no LoRA")
                             : QStringLiteral("the LoRA %1 (scale %2, model name %3)")
                                   .arg(loraName, QString::number(project.lora.scale), LoraCard::modelName(project));
    c.notes = QStringLiteral("AI-generated (AI生成): pictures rendered with the Kolors text-to-image model (%1, %2) "
                             "and %3; made with Storyboard Studio %4.")
                  .arg(QLatin1String(LoraCard::kBaseModel), modelLabel(project), lora, PanelMetadata::appVersion());
    return c;
}

} // namespace studio::story
