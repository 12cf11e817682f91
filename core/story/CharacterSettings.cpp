#include "CharacterSettings.h"

#include "JsonFieldReader.h"
#include "Project.h"
#include "ProjectPaths.h"

#include <QCoreApplication>

namespace studio::story {

namespace {

struct SourceEntry
{
    ReferenceSource source;
    const char *name;
};

constexpr SourceEntry kSources[] = {
    {ReferenceSource::None, "none"},
    {ReferenceSource::File, "file"},
    {ReferenceSource::Panel, "panel"},
};

} // namespace

QString referenceSourceName(ReferenceSource source)
{
    for (const SourceEntry &e : kSources)
        if (e.source == source)
            return QString::fromLatin1(e.name);
    return QStringLiteral("none");
}

std::optional<ReferenceSource> referenceSourceFromName(const QString &name)
{
    for (const SourceEntry &e : kSources)
        if (name == QLatin1String(e.name))
            return e.source;
    return std::nullopt;
}

QString CharacterSettings::problem() const
{
    if (identityPanels < 1 || identityPanels > kPanelCount)
        return QCoreApplication::translate("studio::story::CharacterSettings",
                                           "identityPanels: %1 identity panels, a story of %2 panels allows 1 to %2")
            .arg(identityPanels)
            .arg(kPanelCount);
    if (!(strength >= 0.0 && strength <= 1.0))
        return QCoreApplication::translate("studio::story::CharacterSettings", "strength: %1 is outside [0, 1]")
            .arg(strength);
    if (start < 0 || start > kMaxSteps)
        return QCoreApplication::translate("studio::story::CharacterSettings", "start: step %1 is outside [0, %2]")
            .arg(start)
            .arg(kMaxSteps);
    if (!(ipScale >= 0.0 && ipScale <= kMaxIpScale))
        return QCoreApplication::translate("studio::story::CharacterSettings", "ipScale: %1 is outside [0, %2]")
            .arg(ipScale)
            .arg(kMaxIpScale);
    if (referencePanel < 0 || referencePanel >= kPanelCount)
        return QCoreApplication::translate("studio::story::CharacterSettings", "referencePanel: there is no panel %1")
            .arg(referencePanel + 1);
    if (reference == ReferenceSource::File) {
        QString why;
        if (referenceFile.isEmpty())
            return QCoreApplication::translate("studio::story::CharacterSettings",
                                               "referenceFile: the reference is a file, but no file is named");
        if (!ProjectPaths::isSafeRelativePath(referenceFile, &why))
            return QCoreApplication::translate("studio::story::CharacterSettings", "referenceFile: refusing \"%1\": %2")
                .arg(referenceFile, why);
    }
    return {};
}

QJsonObject CharacterSettings::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("consistent"), consistent);
    o.insert(QStringLiteral("identityPanels"), identityPanels);
    o.insert(QStringLiteral("strength"), strength);
    o.insert(QStringLiteral("start"), start);
    o.insert(QStringLiteral("reference"), referenceSourceName(reference));
    o.insert(QStringLiteral("referenceFile"), referenceFile);
    o.insert(QStringLiteral("referencePanel"), referencePanel + 1); // 1-based, as the user counts panels
    o.insert(QStringLiteral("ipScale"), ipScale);
    return o;
}

CharacterSettings CharacterSettings::fromJson(JsonFieldReader &r, const QJsonObject &o, const QString &path,
                                              const QString &projectDir)
{
    CharacterSettings c;
    r.readBool(o, path, QStringLiteral("consistent"), &c.consistent);
    r.readInt(o, path, QStringLiteral("identityPanels"), 1, kPanelCount, &c.identityPanels);
    r.readDouble(o, path, QStringLiteral("strength"), 0.0, 1.0, &c.strength);
    r.readInt(o, path, QStringLiteral("start"), 0, kMaxSteps, &c.start);
    QString source = referenceSourceName(c.reference);
    r.readString(o, path, QStringLiteral("reference"), &source);
    if (r.ok()) {
        if (const auto parsed = referenceSourceFromName(source))
            c.reference = *parsed;
        else
            r.fail(JsonFieldReader::join(path, QStringLiteral("reference")),
                   QCoreApplication::translate("studio::story::CharacterSettings",
                                               "unknown reference \"%1\" (expected none, file or panel)")
                       .arg(source));
    }
    r.readString(o, path, QStringLiteral("referenceFile"), &c.referenceFile);
    int panel = c.referencePanel + 1;
    r.readInt(o, path, QStringLiteral("referencePanel"), 1, kPanelCount, &panel);
    c.referencePanel = panel - 1;
    r.readDouble(o, path, QStringLiteral("ipScale"), 0.0, kMaxIpScale, &c.ipScale);
    if (r.ok() && !c.referenceFile.isEmpty()) {
        // The reference image is copied into the project folder; a path leading out of it is refused like an
        // image path.
        QString why;
        const bool safe = projectDir.isEmpty()
                              ? ProjectPaths::isSafeRelativePath(c.referenceFile, &why)
                              : !ProjectPaths::resolveInside(projectDir, c.referenceFile, &why).isEmpty();
        if (!safe)
            r.fail(JsonFieldReader::join(path, QStringLiteral("referenceFile")),
                   QCoreApplication::translate("studio::story::CharacterSettings",
                                               "refusing reference image path \"%1\": %2")
                       .arg(c.referenceFile, why));
    }
    if (r.ok() && c.reference == ReferenceSource::File && c.referenceFile.isEmpty())
        r.fail(JsonFieldReader::join(path, QStringLiteral("referenceFile")),
               QCoreApplication::translate("studio::story::CharacterSettings",
                                           "the reference is a file, but no file is named"));
    return c;
}

} // namespace studio::story
