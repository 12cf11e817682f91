#include "PanelMetadata.h"

#include "story/labels/AigcLabel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <cmath>

#ifndef STUDIO_VERSION
#define STUDIO_VERSION "0.0.0"
#endif

namespace studio::story {

namespace {

const QLatin1String kAppId("storyboard-studio");

QString stringParam(const QJsonObject &params, const char *key, const QString &fallback)
{
    const QJsonValue v = params.value(QLatin1String(key));
    return v.isString() ? v.toString() : fallback;
}

double numberParam(const QJsonObject &params, const char *key, double fallback)
{
    const QJsonValue v = params.value(QLatin1String(key));
    return v.isDouble() && std::isfinite(v.toDouble()) ? v.toDouble() : fallback;
}

// Takes a value into `target` when `ok`, else leaves the current one and notes why.
template <typename T>
void take(T *target, const std::optional<T> &value, bool inRange, const QString &what, QStringList *notes)
{
    if (!value)
        return;
    if (inRange)
        *target = *value;
    else if (notes)
        notes->append(QStringLiteral("%1 is outside what Storyboard Studio accepts; kept the panel's value").arg(what));
}

void restoreFromA1111(const A1111Parameters &p, Panel *panel, QStringList *notes)
{
    if (!p.prompt.isEmpty())
        panel->prompt = p.prompt;
    panel->negativePrompt = p.negativePrompt;
    const std::optional<qint64> seed = p.seed();
    take(&panel->seed, seed, seed && *seed >= 0 && *seed <= kMaxSeed, QStringLiteral("seed"), notes);
    const std::optional<int> steps = p.steps();
    take(&panel->steps, steps, steps && *steps >= kMinSteps && *steps <= kMaxSteps, QStringLiteral("steps"), notes);
    const std::optional<double> cfg = p.cfgScale();
    take(&panel->cfgScale, cfg, cfg && *cfg >= kMinCfgScale && *cfg <= kMaxCfgScale, QStringLiteral("CFG scale"),
         notes);
    if (p.contains(QStringLiteral("Sampler"))) {
        if (const std::optional<QString> sampler = p.sampler())
            panel->sampler = *sampler;
        else
            notes->append(QStringLiteral("sampler \"%1\" is not available; kept %2")
                              .arg(p.value(QStringLiteral("Sampler")), panel->sampler));
    }
    if (const std::optional<QSize> size = p.size()) {
        auto fits = [](int v) { return v >= kMinImageSize && v <= kMaxImageSize && v % kImageSizeMultiple == 0; };
        if (fits(size->width()) && fits(size->height())) {
            panel->width = size->width();
            panel->height = size->height();
        } else {
            notes->append(QStringLiteral("size %1x%2 is not usable; kept %3x%4")
                              .arg(size->width())
                              .arg(size->height())
                              .arg(panel->width)
                              .arg(panel->height));
        }
    }
}

bool restoreFromOurs(const QString &text, Panel *panel, QStringList *notes, QString *error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject()) {
        *error = QStringLiteral("the storyboard_studio metadata is not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    const double schema = o.value(QStringLiteral("schema")).toDouble(-1);
    if (schema > PanelMetadata::kSchemaVersion) {
        *error = QStringLiteral("the image was written by a newer version of Storyboard Studio (metadata schema %1)")
                     .arg(schema);
        return false;
    }
    if (schema < 1) {
        *error = QStringLiteral("the storyboard_studio metadata has no valid schema");
        return false;
    }
    auto str = [&o](const char *key) -> std::optional<QString> {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
    };
    auto num = [&o](const char *key) -> std::optional<double> {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
    };
    auto whole = [](const std::optional<double> &d) { return d && *d == std::floor(*d); };
    if (const auto v = str("prompt"))
        panel->prompt = *v;
    if (const auto v = str("negativePrompt"))
        panel->negativePrompt = *v;
    const auto seed = num("seed");
    take(&panel->seed, seed ? std::optional<qint64>(qint64(*seed)) : std::nullopt,
         whole(seed) && *seed >= 0 && *seed <= double(kMaxSeed), QStringLiteral("seed"), notes);
    if (const auto v = str("seedMode")) {
        if (const auto mode = seedModeFromName(*v))
            panel->seedMode = *mode;
    }
    const auto steps = num("steps");
    take(&panel->steps, steps ? std::optional<int>(int(*steps)) : std::nullopt,
         whole(steps) && *steps >= kMinSteps && *steps <= kMaxSteps, QStringLiteral("steps"), notes);
    const auto cfg = num("cfgScale");
    take(&panel->cfgScale, cfg, cfg && *cfg >= kMinCfgScale && *cfg <= kMaxCfgScale, QStringLiteral("CFG scale"),
         notes);
    if (const auto v = str("sampler")) {
        if (samplerNames().contains(*v))
            panel->sampler = *v;
        else
            notes->append(QStringLiteral("sampler \"%1\" is not available; kept %2").arg(*v, panel->sampler));
    }
    const auto w = num("width");
    const auto h = num("height");
    auto fits = [&whole](const std::optional<double> &v) {
        return whole(v) && *v >= kMinImageSize && *v <= kMaxImageSize && int(*v) % kImageSizeMultiple == 0;
    };
    if (w && h) {
        if (fits(w) && fits(h)) {
            panel->width = int(*w);
            panel->height = int(*h);
        } else {
            notes->append(QStringLiteral("size is not usable; kept %1x%2").arg(panel->width).arg(panel->height));
        }
    }
    return true;
}

} // namespace

QString PanelMetadata::chunkKeyword()
{
    return QStringLiteral("storyboard_studio");
}

QString PanelMetadata::parametersKeyword()
{
    return QStringLiteral("parameters");
}

QString PanelMetadata::xmpKeyword()
{
    return QStringLiteral("XML:com.adobe.xmp");
}

QString PanelMetadata::appVersion()
{
    return QStringLiteral(STUDIO_VERSION);
}

PanelMetadata::Settings PanelMetadata::settings(const Project &project, int index)
{
    Settings s;
    if (index < 0 || index >= kPanelCount)
        return s;
    const Panel &panel = project.panels[size_t(index)];
    const PanelVariant *chosen = panel.chosen();
    const QJsonObject params = chosen ? chosen->parameters : QJsonObject();
    s.prompt = stringParam(params, "prompt", project.effectivePrompt(index));
    s.negativePrompt = stringParam(params, "negativePrompt", project.effectiveNegativePrompt(index));
    s.seed = chosen ? chosen->seed : panel.seed;
    s.steps = int(numberParam(params, "steps", panel.steps));
    s.cfgScale = numberParam(params, "cfgScale", panel.cfgScale);
    s.sampler = stringParam(params, "sampler", panel.sampler);
    s.width = int(numberParam(params, "width", panel.width));
    s.height = int(numberParam(params, "height", panel.height));
    return s;
}

A1111Parameters PanelMetadata::a1111(const Project &project, int index, const std::optional<LoraFacts> &lora)
{
    const Settings s = settings(project, index);
    A1111Parameters p;
    p.prompt = s.prompt;
    p.negativePrompt = s.negativePrompt;
    p.setGeneration(s.steps, s.sampler, s.cfgScale, s.seed, s.width, s.height);
    p.set(QStringLiteral("Model"), QStringLiteral("Kolors"));
    if (lora) {
        const QString alias = QFileInfo(lora->fileName).completeBaseName();
        p.set(QStringLiteral("Lora hashes"), alias + QStringLiteral(": ") + lora->shortHash());
        p.set(QStringLiteral("Lora weight"), A1111Parameters::formatNumber(project.lora.scale));
    }
    p.set(QStringLiteral("Version"), QStringLiteral("storyboard-studio ") + appVersion());
    return p;
}

QJsonObject PanelMetadata::json(const Project &project, int index, const std::optional<LoraFacts> &lora)
{
    const Settings s = settings(project, index);
    const Panel &panel = project.panels[size_t(qBound(0, index, kPanelCount - 1))];
    const PanelVariant *chosen = panel.chosen();
    QJsonObject o;
    o.insert(QStringLiteral("schema"), kSchemaVersion);
    o.insert(QStringLiteral("app"), kAppId);
    o.insert(QStringLiteral("version"), appVersion());

    QJsonObject story;
    story.insert(QStringLiteral("id"), project.id);
    story.insert(QStringLiteral("title"), project.title);
    story.insert(QStringLiteral("team"), project.teamName);
    story.insert(QStringLiteral("modelName"), project.modelName);
    o.insert(QStringLiteral("story"), story);
    o.insert(QStringLiteral("panel"), index + 1);
    o.insert(QStringLiteral("panelCount"), kPanelCount);

    o.insert(QStringLiteral("prompt"), panel.prompt);
    o.insert(QStringLiteral("negativePrompt"), panel.negativePrompt);
    o.insert(QStringLiteral("effectivePrompt"), s.prompt);
    o.insert(QStringLiteral("effectiveNegativePrompt"), s.negativePrompt);
    QJsonObject style;
    style.insert(QStringLiteral("prefix"), project.style.prefix);
    style.insert(QStringLiteral("suffix"), project.style.suffix);
    style.insert(QStringLiteral("negativePrompt"), project.style.negativePrompt);
    o.insert(QStringLiteral("style"), style);
    o.insert(QStringLiteral("seed"), s.seed);
    o.insert(QStringLiteral("seedMode"), seedModeName(panel.seedMode));
    o.insert(QStringLiteral("steps"), s.steps);
    o.insert(QStringLiteral("cfgScale"), s.cfgScale);
    o.insert(QStringLiteral("sampler"), s.sampler);
    o.insert(QStringLiteral("width"), s.width);
    o.insert(QStringLiteral("height"), s.height);

    QJsonObject model;
    model.insert(QStringLiteral("base"), QStringLiteral("Kwai-Kolors/Kolors"));
    // Only the folder's name: an absolute path would leak the user's file system into published files.
    model.insert(QStringLiteral("folder"), QDir(project.modelFolder).dirName());
    o.insert(QStringLiteral("model"), model);

    if (!project.lora.path.isEmpty() || lora) {
        QJsonObject l;
        l.insert(QStringLiteral("file"), lora ? lora->fileName : QFileInfo(project.lora.path).fileName());
        l.insert(QStringLiteral("scale"), project.lora.scale);
        l.insert(QStringLiteral("triggerWords"), project.lora.triggerWords);
        if (lora) {
            l.insert(QStringLiteral("sha256"), lora->sha256);
            l.insert(QStringLiteral("sizeBytes"), lora->sizeBytes);
            l.insert(QStringLiteral("format"), lora->format);
            if (lora->rank)
                l.insert(QStringLiteral("rank"), *lora->rank);
            if (lora->alpha)
                l.insert(QStringLiteral("alpha"), *lora->alpha);
            if (lora->effectiveScale)
                l.insert(QStringLiteral("effectiveScale"), *lora->effectiveScale);
            if (lora->convention)
                l.insert(QStringLiteral("convention"), *lora->convention);
        }
        o.insert(QStringLiteral("lora"), l);
    }
    if (chosen) {
        o.insert(QStringLiteral("createdAt"), chosen->createdAt);
        o.insert(QStringLiteral("engine"), chosen->parameters);
    }
    return o;
}

QByteArray PanelMetadata::asciiJson(const QJsonObject &object)
{
    const QString json = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    // Non-ASCII characters can only occur inside JSON strings, so escaping them everywhere is safe.
    QByteArray out;
    out.reserve(json.size() + 16);
    for (const QChar c : json) {
        if (c.unicode() < 0x80) {
            out.append(char(c.unicode()));
        } else {
            out.append("\\u");
            out.append(QByteArray::number(c.unicode(), 16).rightJustified(4, '0'));
        }
    }
    return out;
}

QVector<PngTextChunk> PanelMetadata::chunks(const Project &project, int index, const std::optional<LoraFacts> &lora,
                                            bool aigcLabel)
{
    QVector<PngTextChunk> list;
    list.append(PngTextChunk::forValue(parametersKeyword(), a1111(project, index, lora).format()));
    list.append(PngTextChunk::forValue(chunkKeyword(), QString::fromLatin1(asciiJson(json(project, index, lora)))));
    if (aigcLabel) {
        list.append(AigcLabel::generated().pngChunk()); // a new ProduceID for every file
    }
    return list;
}

std::optional<PanelMetadata::Restored> PanelMetadata::restore(const QVector<PngTextChunk> &chunks, const Panel &current,
                                                              QString *error)
{
    Restored r;
    r.panel = current;
    QString why;
    if (const std::optional<QString> ours = PngMetadata::find(chunks, chunkKeyword())) {
        if (restoreFromOurs(*ours, &r.panel, &r.notes, &why)) {
            r.source = chunkKeyword();
            return r;
        }
        r.notes.append(why);
        r.panel = current;
    }
    for (const QString &key : {parametersKeyword(), QStringLiteral("invokeai_metadata")}) {
        if (const std::optional<QString> text = PngMetadata::find(chunks, key)) {
            const A1111Parameters p = A1111Parameters::parse(*text);
            if (p.prompt.isEmpty() && p.entries.isEmpty())
                continue;
            restoreFromA1111(p, &r.panel, &r.notes);
            r.source = key;
            return r;
        }
    }
    if (error)
        *error = why.isEmpty() ? QStringLiteral("the image carries no generation parameters") : why;
    return std::nullopt;
}

} // namespace studio::story
