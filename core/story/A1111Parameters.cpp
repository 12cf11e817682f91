#include "A1111Parameters.h"

#include "Project.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace studio::story {

namespace {

const QLatin1String kNegativeMarker("Negative prompt:");

// One "key: value" pair of the parameters line (REFERENCE B §2.1 rule 2). A value is either a JSON
// string (which may contain commas) or everything up to the next comma.
const QRegularExpression &pairPattern()
{
    static const QRegularExpression re(QStringLiteral(R"RX(\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$))RX"));
    return re;
}

QString unquote(const QString &value)
{
    if (value.size() < 2 || !value.startsWith(QLatin1Char('"')) || !value.endsWith(QLatin1Char('"')))
        return value;
    // Let the JSON parser undo the escaping: wrap the string in an array to make a document of it.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + value.toUtf8() + QByteArray("]"));
    if (doc.isArray() && doc.array().size() == 1 && doc.array().at(0).isString())
        return doc.array().at(0).toString();
    return value.mid(1, value.size() - 2); // not valid JSON: keep the text between the quotes
}

QVector<A1111Parameters::Entry> parsePairs(const QString &line)
{
    QVector<A1111Parameters::Entry> pairs;
    QRegularExpressionMatchIterator it = pairPattern().globalMatch(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength(0) == 0)
            continue;
        pairs.append({m.captured(1).trimmed(), unquote(m.captured(2).trimmed())});
    }
    return pairs;
}

// Lower case without spaces, '_' or '-', "++" spelled "pp": "DPM++ 2M" → "dpmpp2m".
QString normalizeName(const QString &name)
{
    QString s = name.toLower();
    s.replace(QLatin1String("++"), QLatin1String("pp"));
    s.remove(QRegularExpression(QStringLiteral("[\\s_\\-]")));
    return s;
}

std::optional<QString> baseSampler(const QString &normalized)
{
    static const QVector<QPair<QStringList, QString>> table = {
        {{QStringLiteral("euler"), QStringLiteral("keuler"), QStringLiteral("eulerdiscrete")}, QStringLiteral("euler")},
        {{QStringLiteral("eulera"), QStringLiteral("keulera"), QStringLiteral("eulerancestral"),
          QStringLiteral("keulerancestral"), QStringLiteral("eulerancestraldiscrete")},
         QStringLiteral("euler_a")},
        {{QStringLiteral("dpmpp2m"), QStringLiteral("kdpmpp2m"), QStringLiteral("dpmpp2mv2"),
          QStringLiteral("dpmsolvermultistep")},
         QStringLiteral("dpmpp_2m")},
        {{QStringLiteral("ddim"), QStringLiteral("ddimtrailing")}, QStringLiteral("ddim")},
    };
    for (const auto &[aliases, ours] : table) {
        if (aliases.contains(normalized))
            return ours;
    }
    return std::nullopt;
}

// Maps Fooocus ("fooocus" scheme) and InvokeAI JSON metadata keys onto A1111 keys.
A1111Parameters fromJsonObject(const QJsonObject &obj)
{
    A1111Parameters p;
    auto text = [](const QJsonValue &v) -> QString {
        if (v.isString())
            return v.toString();
        if (v.isDouble())
            return A1111Parameters::formatNumber(v.toDouble());
        if (v.isBool())
            return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
        return QString::fromUtf8(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
                                     .toJson(QJsonDocument::Compact));
    };
    p.prompt = text(obj.value(obj.contains(QStringLiteral("prompt")) ? QStringLiteral("prompt")
                                                                     : QStringLiteral("positive_prompt")));
    p.negativePrompt = text(obj.value(QStringLiteral("negative_prompt")));
    static const QVector<QPair<QString, QString>> keys = {
        {QStringLiteral("steps"), QStringLiteral("Steps")},
        {QStringLiteral("sampler"), QStringLiteral("Sampler")},
        {QStringLiteral("sampler_name"), QStringLiteral("Sampler")},
        {QStringLiteral("scheduler"), QStringLiteral("Schedule type")},
        {QStringLiteral("guidance_scale"), QStringLiteral("CFG scale")},
        {QStringLiteral("cfg_scale"), QStringLiteral("CFG scale")},
        {QStringLiteral("seed"), QStringLiteral("Seed")},
        {QStringLiteral("base_model"), QStringLiteral("Model")},
        {QStringLiteral("base_model_hash"), QStringLiteral("Model hash")},
        {QStringLiteral("version"), QStringLiteral("Version")},
    };
    for (const auto &[jsonKey, a1111Key] : keys) {
        if (obj.contains(jsonKey) && !p.contains(a1111Key))
            p.set(a1111Key, text(obj.value(jsonKey)));
    }
    // Fooocus: "resolution": "(1024, 1024)"; InvokeAI: "width"/"height".
    static const QRegularExpression resolution(QStringLiteral(R"(^\s*\(?\s*(\d+)\s*[,x]\s*(\d+)\s*\)?\s*$)"));
    const QRegularExpressionMatch m = resolution.match(text(obj.value(QStringLiteral("resolution"))));
    if (m.hasMatch())
        p.set(QStringLiteral("Size"), m.captured(1) + QLatin1Char('x') + m.captured(2));
    else if (obj.value(QStringLiteral("width")).isDouble() && obj.value(QStringLiteral("height")).isDouble())
        p.set(QStringLiteral("Size"),
              text(obj.value(QStringLiteral("width"))) + QLatin1Char('x') + text(obj.value(QStringLiteral("height"))));
    return p;
}

} // namespace

bool A1111Parameters::contains(const QString &key) const
{
    for (const Entry &e : entries) {
        if (e.key.compare(key, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString A1111Parameters::value(const QString &key) const
{
    for (const Entry &e : entries) {
        if (e.key.compare(key, Qt::CaseInsensitive) == 0)
            return e.value;
    }
    return {};
}

void A1111Parameters::set(const QString &key, const QString &value)
{
    for (Entry &e : entries) {
        if (e.key.compare(key, Qt::CaseInsensitive) == 0) {
            e.value = value;
            return;
        }
    }
    entries.append({key, value});
}

void A1111Parameters::remove(const QString &key)
{
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&key](const Entry &e) { return e.key.compare(key, Qt::CaseInsensitive) == 0; }),
                  entries.end());
}

std::optional<qint64> A1111Parameters::seed() const
{
    bool ok = false;
    const qint64 v = value(QStringLiteral("Seed")).trimmed().toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<int> A1111Parameters::steps() const
{
    bool ok = false;
    const int v = value(QStringLiteral("Steps")).trimmed().toInt(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<double> A1111Parameters::cfgScale() const
{
    bool ok = false;
    const double v = value(QStringLiteral("CFG scale")).trimmed().toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<QSize> A1111Parameters::size() const
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d+)\s*[xX×]\s*(\d+)\s*$)"));
    const QRegularExpressionMatch m = re.match(value(QStringLiteral("Size")));
    if (!m.hasMatch())
        return std::nullopt;
    bool okW = false;
    bool okH = false;
    const int w = m.captured(1).toInt(&okW);
    const int h = m.captured(2).toInt(&okH);
    if (!okW || !okH)
        return std::nullopt;
    return QSize(w, h);
}

std::optional<QString> A1111Parameters::sampler() const
{
    if (!contains(QStringLiteral("Sampler")))
        return std::nullopt;
    return samplerFromDisplayName(value(QStringLiteral("Sampler")), value(QStringLiteral("Schedule type")));
}

void A1111Parameters::setGeneration(int steps, const QString &sampler, double cfgScale, qint64 seed, int width,
                                    int height)
{
    set(QStringLiteral("Steps"), QString::number(steps));
    set(QStringLiteral("Sampler"), samplerDisplayName(sampler));
    const QString schedule = scheduleTypeFor(sampler);
    if (schedule.isEmpty())
        remove(QStringLiteral("Schedule type"));
    else
        set(QStringLiteral("Schedule type"), schedule);
    set(QStringLiteral("CFG scale"), formatNumber(cfgScale));
    set(QStringLiteral("Seed"), QString::number(seed));
    set(QStringLiteral("Size"), QStringLiteral("%1x%2").arg(width).arg(height));
}

QString A1111Parameters::format() const
{
    QString text = prompt;
    if (!negativePrompt.isEmpty())
        text += QLatin1Char('\n') + kNegativeMarker + QLatin1Char(' ') + negativePrompt;
    QStringList pairs;
    for (const Entry &e : entries) {
        if (e.value.isEmpty())
            continue; // A1111 omits None values
        pairs.append(e.key + QStringLiteral(": ") + quoteValue(e.value));
    }
    if (!pairs.isEmpty())
        text += QLatin1Char('\n') + pairs.join(QStringLiteral(", "));
    return text;
}

A1111Parameters A1111Parameters::parse(const QString &input)
{
    QString text = input;
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    text = text.trimmed();

    if (text.startsWith(QLatin1Char('{'))) {
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (doc.isObject())
            return fromJsonObject(doc.object());
    }

    A1111Parameters result;
    QStringList lines = text.split(QLatin1Char('\n'));
    if (!lines.isEmpty()) {
        const QVector<Entry> pairs = parsePairs(lines.constLast());
        if (pairs.size() >= 3) {
            result.entries = pairs;
            lines.removeLast();
        }
    }
    bool inNegative = false;
    QStringList promptLines;
    QStringList negativeLines;
    for (QString line : lines) {
        line = line.trimmed();
        if (!inNegative && line.startsWith(kNegativeMarker)) {
            inNegative = true;
            line = line.mid(kNegativeMarker.size()).trimmed();
        }
        (inNegative ? negativeLines : promptLines).append(line);
    }
    result.prompt = promptLines.join(QLatin1Char('\n')).trimmed();
    result.negativePrompt = negativeLines.join(QLatin1Char('\n')).trimmed();
    return result;
}

QString A1111Parameters::samplerDisplayName(const QString &sampler)
{
    if (sampler == QLatin1String("euler"))
        return QStringLiteral("Euler");
    if (sampler == QLatin1String("euler_a"))
        return QStringLiteral("Euler a");
    if (sampler == QLatin1String("dpmpp_2m") || sampler == QLatin1String("dpmpp_2m_karras"))
        return QStringLiteral("DPM++ 2M");
    if (sampler == QLatin1String("ddim"))
        return QStringLiteral("DDIM");
    return sampler;
}

QString A1111Parameters::scheduleTypeFor(const QString &sampler)
{
    return sampler == QLatin1String("dpmpp_2m_karras") ? QStringLiteral("Karras") : QString();
}

std::optional<QString> A1111Parameters::samplerFromDisplayName(const QString &name, const QString &scheduleType)
{
    QString normalized = normalizeName(name);
    QString schedule = normalizeName(scheduleType);
    // Older A1111 ("DPM++ 2M Karras"), ComfyUI-style names ("dpmpp_2m_karras") and sd.cpp
    // ("dpm++2m karras") carry the schedule in the sampler name itself.
    static const QStringList schedules = {QStringLiteral("karras"),      QStringLiteral("discrete"),
                                          QStringLiteral("exponential"), QStringLiteral("automatic"),
                                          QStringLiteral("sgmuniform"),  QStringLiteral("simple"),
                                          QStringLiteral("uniform"),     QStringLiteral("normal")};
    if (!baseSampler(normalized)) {
        for (const QString &s : schedules) {
            if (normalized.endsWith(s) && baseSampler(normalized.left(normalized.size() - s.size()))) {
                normalized.chop(s.size());
                if (schedule.isEmpty())
                    schedule = s;
                break;
            }
        }
    }
    const std::optional<QString> base = baseSampler(normalized);
    if (!base)
        return std::nullopt;
    // Our only scheduled variant is DPM++ 2M with Karras sigmas; other schedules map to the plain sampler.
    if (*base == QLatin1String("dpmpp_2m") && schedule == QLatin1String("karras"))
        return QStringLiteral("dpmpp_2m_karras");
    return base;
}

QString A1111Parameters::quoteValue(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char(':')) && !value.contains(QLatin1Char('\n')))
        return value;
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '"':
            out += QStringLiteral("\\\"");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        case '\b':
            out += QStringLiteral("\\b");
            break;
        case '\f':
            out += QStringLiteral("\\f");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString A1111Parameters::formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace studio::story
