#include "StoryValidator.h"

#include "CharacterReference.h"
#include "StoryRenderPlan.h"

#include "ImageIo.h"
#include "ProjectPaths.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonObject>

namespace studio::story {

namespace {

void add(QVector<StoryIssue> *issues, StoryIssue::Severity severity, int panel, const QString &message)
{
    issues->append({severity, panel, message});
}

// Checks one image file; `decode` fully decodes it (for the images export will use).
void checkImage(QVector<StoryIssue> *issues, const Panel &panel, int index, const PanelVariant &variant,
                const QString &projectDir, bool decode)
{
    const QString label = variant.path;
    QString why;
    const QString path = ProjectPaths::resolveInside(projectDir, variant.path, &why);
    if (path.isEmpty())
        return add(issues, StoryIssue::Severity::Error, index, QStringLiteral("%1: %2").arg(label, why));
    const QFileInfo info(path);
    if (!info.exists())
        return add(issues, StoryIssue::Severity::Error, index,
                   label + QCoreApplication::translate("studio::story::StoryValidator", ": file is missing"));
    if (!info.isFile())
        return add(issues, StoryIssue::Severity::Error, index,
                   label + QCoreApplication::translate("studio::story::StoryValidator", ": not a regular file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return add(issues, StoryIssue::Severity::Error, index,
                   QCoreApplication::translate("studio::story::StoryValidator", "%1: unreadable: %2")
                       .arg(label, file.errorString()));
    const ImageIo::Format format = ImageIo::sniff(file.read(8));
    file.close();
    if (format == ImageIo::Format::Other)
        return add(issues, StoryIssue::Severity::Error, index,
                   label + QCoreApplication::translate("studio::story::StoryValidator", ": not a PNG or JPEG image"));

    QSize size;
    if (decode) {
        QString error;
        const std::optional<cv::Mat> image = ImageIo::readBgr8(path, &error);
        if (!image)
            return add(issues, StoryIssue::Severity::Error, index,
                       label + QStringLiteral(": ") + error.mid(path.size() + 2));
        size = QSize(image->cols, image->rows);
    } else {
        QImageReader reader(path);
        size = reader.size();
        if (!size.isValid())
            return add(issues, StoryIssue::Severity::Error, index,
                       QCoreApplication::translate("studio::story::StoryValidator", "%1: cannot read the %2 header")
                           .arg(label, ImageIo::formatName(format)));
    }
    // A hires-fix image is larger than its panel by design: the size it was rendered at is what counts.
    const QJsonObject hires = variant.parameters.value(QStringLiteral("hires")).toObject();
    const QSize expected = hires.isEmpty() ? QSize(panel.width, panel.height)
                                           : QSize(hires.value(QStringLiteral("width")).toInt(),
                                                   hires.value(QStringLiteral("height")).toInt());
    if (size != expected)
        add(issues, StoryIssue::Severity::Warning, index,
            QCoreApplication::translate("studio::story::StoryValidator",
                                        "%1: image is %2x%3, the panel is set to %4x%5")
                .arg(label, QString::number(size.width()), QString::number(size.height()), QString::number(panel.width),
                     QString::number(panel.height)));
}

} // namespace

QString StoryIssue::toString() const
{
    QString text = severity == Severity::Error ? QStringLiteral("error: ") : QStringLiteral("warning: ");
    if (panel >= 0)
        text += QStringLiteral("panel %1: ").arg(panel + 1);
    return text + message;
}

bool StoryValidator::hasErrors(const QVector<StoryIssue> &issues)
{
    for (const StoryIssue &i : issues) {
        if (i.severity == StoryIssue::Severity::Error)
            return true;
    }
    return false;
}

QString StoryValidator::loraPath(const Project &project, const QString &projectDir, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return QString();
    };
    if (project.lora.path.isEmpty())
        return {};
    QString path;
    if (ProjectPaths::looksAbsolute(project.lora.path)) {
        path = QFileInfo(project.lora.path).absoluteFilePath();
    } else {
        if (projectDir.isEmpty())
            return refuse(QCoreApplication::translate("studio::story::StoryValidator",
                                                      "the path is relative and the story is not saved yet"));
        path = ProjectPaths::resolveInside(projectDir, project.lora.path, why);
        if (path.isEmpty())
            return {};
    }
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(QCoreApplication::translate("studio::story::StoryValidator", "file is missing"));
    if (!info.isFile() || !info.isReadable())
        return refuse(QCoreApplication::translate("studio::story::StoryValidator", "unreadable"));
    return path;
}

QVector<StoryIssue> StoryValidator::check(const Project &project, const QString &projectDir)
{
    QVector<StoryIssue> issues;
    if (project.title.trimmed().isEmpty())
        add(&issues, StoryIssue::Severity::Warning, -1,
            QCoreApplication::translate("studio::story::StoryValidator", "the story has no title"));
    if (project.teamName.trimmed().isEmpty())
        add(&issues, StoryIssue::Severity::Warning, -1,
            QStringLiteral("no team name: the exported model name will use \"team\""));

    if (project.lora.path.isEmpty()) {
        add(&issues, StoryIssue::Severity::Warning, -1,
            QCoreApplication::translate("studio::story::StoryValidator", "no LoRA file is set; export will say so"));
    } else {
        QString why;
        if (loraPath(project, projectDir, &why).isEmpty())
            add(&issues, StoryIssue::Severity::Error, -1,
                QCoreApplication::translate("studio::story::StoryValidator", "LoRA %1: %2")
                    .arg(project.lora.path, why));
    }

    // The character settings: a render refuses a missing reference image or an identity panel without a prompt
    // (warnings: the images already made can still be exported).
    QString characterWhy;
    if (project.character.usesReference() && CharacterReference::path(project, projectDir, &characterWhy).isEmpty())
        add(&issues, StoryIssue::Severity::Warning, -1,
            QStringLiteral("character reference image: %1").arg(characterWhy));
    if (project.character.consistent && !StoryRenderPlan::make(project, {}, &characterWhy))
        add(&issues, StoryIssue::Severity::Warning, -1, QStringLiteral("consistent characters: %1").arg(characterWhy));

    for (int i = 0; i < kPanelCount; ++i) {
        const Panel &panel = project.panels[size_t(i)];
        if (panel.prompt.trimmed().isEmpty())
            add(&issues, StoryIssue::Severity::Warning, i,
                QCoreApplication::translate("studio::story::StoryValidator", "the prompt is empty"));
        if (!panel.chosen())
            add(&issues, StoryIssue::Severity::Warning, i,
                QCoreApplication::translate("studio::story::StoryValidator", "no image chosen yet (export needs one)"));
        for (int v = 0; v < panel.variants.size(); ++v)
            checkImage(&issues, panel, i, panel.variants[v], projectDir, v == panel.chosenVariant);
    }
    return issues;
}

} // namespace studio::story
