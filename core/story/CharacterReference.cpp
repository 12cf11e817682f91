#include "CharacterReference.h"

#include "ProjectPaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <QCoreApplication>

namespace studio::story {

namespace {

QString refuse(QString *why, const QString &text)
{
    if (why)
        *why = text;
    return {};
}

} // namespace

QString CharacterReference::path(const Project &project, const QString &projectDir, QString *why)
{
    const CharacterSettings &c = project.character;
    if (c.reference == ReferenceSource::None)
        return {};
    if (projectDir.isEmpty())
        return refuse(why, QCoreApplication::translate(
                               "studio::story::CharacterReference",
                               "the story is not saved yet, so it has no folder for its reference image"));
    QString path;
    if (c.reference == ReferenceSource::File) {
        if (c.referenceFile.isEmpty())
            return refuse(why, QCoreApplication::translate("studio::story::CharacterReference",
                                                           "no reference image file is chosen"));
        path = ProjectPaths::resolveInside(projectDir, c.referenceFile, why);
        if (path.isEmpty())
            return {};
    } else {
        if (c.referencePanel < 0 || c.referencePanel >= kPanelCount)
            return refuse(why, QCoreApplication::translate("studio::story::CharacterReference", "there is no panel %1")
                                   .arg(c.referencePanel + 1));
        const PanelVariant *chosen = project.panels[size_t(c.referencePanel)].chosen();
        if (!chosen)
            return refuse(why, QCoreApplication::translate("studio::story::CharacterReference",
                                                           "panel %1 has no chosen image yet")
                                   .arg(c.referencePanel + 1));
        path = ProjectPaths::resolveInside(projectDir, chosen->path, why);
        if (path.isEmpty())
            return {};
    }
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(why, QCoreApplication::translate("studio::story::CharacterReference", "%1: file is missing")
                               .arg(QDir::toNativeSeparators(path)));
    if (!info.isFile() || !info.isReadable())
        return refuse(why, QCoreApplication::translate("studio::story::CharacterReference", "%1: unreadable")
                               .arg(QDir::toNativeSeparators(path)));
    return path;
}

CharacterUse IpAdapterFiles::use() const
{
    CharacterUse u;
    if (!enabled())
        return u;
    u.ipAdapter = true;
    u.adapterFile = QFileInfo(adapterPath).fileName();
    u.imageEncoder = QDir(encoderDir).dirName();
    u.referenceFile = QFileInfo(referencePath).fileName();
    u.referenceSha256 = CharacterReference::sha256(referencePath);
    u.ipScale = scale;
    return u;
}

std::optional<IpAdapterFiles> CharacterReference::files(const Project &project, const QString &projectDir,
                                                        const QString &adapterPath, const QString &encoderDir,
                                                        QString *why)
{
    IpAdapterFiles files;
    if (!project.character.usesReference())
        return files;
    files.referencePath = path(project, projectDir, why);
    if (files.referencePath.isEmpty())
        return std::nullopt;
    if (adapterPath.isEmpty() || encoderDir.isEmpty()) {
        refuse(why, QCoreApplication::translate(
                        "studio::story::CharacterReference",
                        "the story's reference image needs the IP-Adapter file and its image encoder "
                        "folder (Kwai-Kolors/Kolors-IP-Adapter-Plus: ip_adapter_plus_general.bin and "
                        "image_encoder/)"));
        return std::nullopt;
    }
    if (!QFileInfo(adapterPath).isFile()) {
        refuse(why, QCoreApplication::translate("studio::story::CharacterReference", "IP-Adapter file %1: no such file")
                        .arg(QDir::toNativeSeparators(adapterPath)));
        return std::nullopt;
    }
    if (!QFileInfo(encoderDir).isDir()) {
        refuse(why, QCoreApplication::translate("studio::story::CharacterReference",
                                                "image encoder folder %1: no such folder")
                        .arg(QDir::toNativeSeparators(encoderDir)));
        return std::nullopt;
    }
    files.adapterPath = QFileInfo(adapterPath).absoluteFilePath();
    files.encoderDir = QFileInfo(encoderDir).absoluteFilePath();
    files.scale = project.character.ipScale;
    return files;
}

QString CharacterReference::import(const QString &projectDir, const QString &sourcePath, QString *error)
{
    if (projectDir.isEmpty())
        return refuse(
            error, QCoreApplication::translate("studio::story::CharacterReference",
                                               "save the story first: the reference image is copied into its folder"));
    const QFileInfo source(sourcePath);
    if (!source.isFile() || !source.isReadable())
        return refuse(error, QCoreApplication::translate("studio::story::CharacterReference", "%1: not a readable file")
                                 .arg(QDir::toNativeSeparators(sourcePath)));
    const QString inside = ProjectPaths::relativeInside(projectDir, source.absoluteFilePath());
    QString why;
    if (!inside.isEmpty() && ProjectPaths::isSafeRelativePath(inside, &why))
        return inside;

    const QString folder = QString::fromLatin1(kFolder);
    if (!QDir(projectDir).mkpath(folder))
        return refuse(
            error, QCoreApplication::translate("studio::story::CharacterReference", "%1/%2: cannot create the folder")
                       .arg(projectDir, folder));
    const QString hash = sha256(sourcePath);
    const QString base = source.completeBaseName();
    const QString suffix = source.suffix().isEmpty() ? QString() : QLatin1Char('.') + source.suffix();
    for (int n = 1; n < 1000; ++n) {
        const QString name = n == 1 ? base + suffix : QStringLiteral("%1-%2%3").arg(base).arg(n).arg(suffix);
        const QString relative = folder + QLatin1Char('/') + name;
        if (!ProjectPaths::isSafeRelativePath(relative, &why))
            return refuse(error, QCoreApplication::translate("studio::story::CharacterReference",
                                                             "\"%1\" cannot be stored in the project: %2")
                                     .arg(name, why));
        const QString target = QDir(projectDir).filePath(relative);
        if (QFileInfo::exists(target)) {
            if (!hash.isEmpty() && sha256(target) == hash)
                return relative; // the same picture was chosen before
            continue;
        }
        if (!QFile::copy(sourcePath, target))
            return refuse(error,
                          QCoreApplication::translate("studio::story::CharacterReference", "cannot copy %1 to %2")
                              .arg(QDir::toNativeSeparators(sourcePath), QDir::toNativeSeparators(target)));
        return relative;
    }
    return refuse(error, QCoreApplication::translate("studio::story::CharacterReference",
                                                     "too many reference images named \"%1\"")
                             .arg(source.fileName()));
}

QString CharacterReference::sha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace studio::story
