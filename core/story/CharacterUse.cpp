#include "CharacterUse.h"

#include "Project.h"

#include <QJsonArray>

#include <cmath>

#include <QCoreApplication>

namespace studio::story {

namespace {

const QString kConsistency = QStringLiteral("Consistency");
const QString kConsistencyStart = QStringLiteral("Consistency start");
const QString kIdentityPanels = QStringLiteral("Identity panels");
const QString kStorySeed = QStringLiteral("Story seed");
const QString kStoryPanel = QStringLiteral("Story panel");
const QString kIpAdapter = QStringLiteral("IP-Adapter");
const QString kIpScale = QStringLiteral("IP-Adapter scale");
const QString kIpImage = QStringLiteral("IP-Adapter image");
const QString kIpImageHash = QStringLiteral("IP-Adapter image hash");
constexpr int kShortHashLength = 12;

std::optional<double> number(const A1111Parameters &p, const QString &key)
{
    bool ok = false;
    const double v = p.value(key).toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<qint64> wholeNumber(const A1111Parameters &p, const QString &key)
{
    bool ok = false;
    const qint64 v = p.value(key).trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

} // namespace

void CharacterUse::writeInto(QJsonObject *parameters) const
{
    if (consistent) {
        QJsonObject c;
        c.insert(QStringLiteral("identityPanels"), identityPanels);
        c.insert(QStringLiteral("strength"), strength);
        c.insert(QStringLiteral("start"), start);
        c.insert(QStringLiteral("storySeed"), storySeed);
        c.insert(QStringLiteral("panel"), panel);
        c.insert(QStringLiteral("identity"), isIdentityPanel());
        c.insert(QStringLiteral("identityPrompts"), QJsonArray::fromStringList(identityPrompts));
        parameters->insert(QStringLiteral("consistency"), c);
    }
    if (ipAdapter) {
        QJsonObject ip;
        ip.insert(QStringLiteral("file"), adapterFile);
        ip.insert(QStringLiteral("imageEncoder"), imageEncoder);
        ip.insert(QStringLiteral("scale"), ipScale);
        ip.insert(QStringLiteral("referenceImage"),
                  QJsonObject{{QStringLiteral("file"), referenceFile}, {QStringLiteral("sha256"), referenceSha256}});
        parameters->insert(QStringLiteral("ipAdapter"), ip);
    }
}

CharacterUse CharacterUse::fromParameters(const QJsonObject &parameters)
{
    CharacterUse u;
    const QJsonObject c = parameters.value(QStringLiteral("consistency")).toObject();
    if (!c.isEmpty()) {
        u.consistent = true;
        u.identityPanels = c.value(QStringLiteral("identityPanels")).toInt(u.identityPanels);
        u.strength = c.value(QStringLiteral("strength")).toDouble(u.strength);
        u.start = c.value(QStringLiteral("start")).toInt(u.start);
        u.storySeed = c.value(QStringLiteral("storySeed")).toInteger(0);
        u.panel = c.value(QStringLiteral("panel")).toInt(0);
        for (const QJsonValue &prompt : c.value(QStringLiteral("identityPrompts")).toArray())
            u.identityPrompts << prompt.toString();
    }
    const QJsonObject ip = parameters.value(QStringLiteral("ipAdapter")).toObject();
    if (!ip.isEmpty()) {
        u.ipAdapter = true;
        u.adapterFile = ip.value(QStringLiteral("file")).toString();
        u.imageEncoder = ip.value(QStringLiteral("imageEncoder")).toString();
        u.ipScale = ip.value(QStringLiteral("scale")).toDouble(u.ipScale);
        const QJsonObject reference = ip.value(QStringLiteral("referenceImage")).toObject();
        u.referenceFile = reference.value(QStringLiteral("file")).toString();
        u.referenceSha256 = reference.value(QStringLiteral("sha256")).toString();
    }
    return u;
}

void CharacterUse::addTo(A1111Parameters *p) const
{
    if (consistent) {
        p->set(kConsistency, A1111Parameters::formatNumber(strength));
        p->set(kConsistencyStart, QString::number(start));
        p->set(kIdentityPanels, QString::number(identityPanels));
        p->set(kStorySeed, QString::number(storySeed));
        p->set(kStoryPanel, QString::number(panel));
    }
    if (ipAdapter) {
        p->set(kIpAdapter, adapterFile);
        p->set(kIpScale, A1111Parameters::formatNumber(ipScale));
        p->set(kIpImage, referenceFile);
        if (!referenceSha256.isEmpty())
            p->set(kIpImageHash, referenceSha256.left(kShortHashLength));
    }
}

CharacterUse CharacterUse::fromA1111(const A1111Parameters &p)
{
    CharacterUse u;
    if (p.contains(kConsistency) || p.contains(kIdentityPanels)) {
        u.consistent = true;
        u.strength = number(p, kConsistency).value_or(u.strength);
        u.start = int(wholeNumber(p, kConsistencyStart).value_or(u.start));
        u.identityPanels = int(wholeNumber(p, kIdentityPanels).value_or(u.identityPanels));
        u.storySeed = wholeNumber(p, kStorySeed).value_or(0);
        u.panel = int(wholeNumber(p, kStoryPanel).value_or(0));
    }
    if (p.contains(kIpAdapter)) {
        u.ipAdapter = true;
        u.adapterFile = p.value(kIpAdapter);
        u.ipScale = number(p, kIpScale).value_or(u.ipScale);
        u.referenceFile = p.value(kIpImage);
        u.referenceSha256 = p.value(kIpImageHash);
    }
    return u;
}

CharacterSettings CharacterUse::settings(const CharacterSettings &current, QString *note) const
{
    CharacterSettings s = current;
    s.consistent = consistent;
    if (consistent) {
        s.identityPanels = qBound(1, identityPanels, kPanelCount);
        s.strength = qBound(0.0, strength, 1.0);
        s.start = qBound(0, start, kMaxSteps);
    }
    if (note)
        note->clear();
    if (ipAdapter) {
        s.ipScale = qBound(0.0, ipScale, kMaxIpScale);
        if (!current.usesReference() && note)
            *note = QCoreApplication::translate(
                        "studio::story::CharacterUse",
                        "made with the reference image \"%1\" (SHA-256 %2): choose it in the Character "
                        "section to make the image again")
                        .arg(referenceFile, referenceSha256.left(kShortHashLength));
    } else {
        s.reference = ReferenceSource::None;
    }
    return s;
}

bool CharacterUse::operator==(const CharacterUse &o) const
{
    return consistent == o.consistent && identityPanels == o.identityPanels && strength == o.strength &&
           start == o.start && storySeed == o.storySeed && panel == o.panel && identityPrompts == o.identityPrompts &&
           ipAdapter == o.ipAdapter && adapterFile == o.adapterFile && imageEncoder == o.imageEncoder &&
           referenceFile == o.referenceFile && referenceSha256 == o.referenceSha256 && ipScale == o.ipScale;
}

} // namespace studio::story
