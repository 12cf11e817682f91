#include "PanelMetadata.h"

#include "story/labels/AigcLabel.h"

#include <QCoreApplication>
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
        notes->append(
            QCoreApplication::translate("studio::story::PanelMetadata",
                                        "%1 is outside what Storyboard Studio accepts; kept the panel's value")
                .arg(what));
}

// The refine parameters an image was made with (a variant's "parameters": the hires fix and img2img): the panel
// takes the hires settings; an img2img start image cannot be a panel setting, so a note names it.
void restoreRefine(const QJsonObject &params, Panel *panel, QStringList *notes)
{
    const QJsonObject hires = params.value(QStringLiteral("hires")).toObject();
    panel->hires.enabled = !hires.isEmpty();
    if (!hires.isEmpty()) {
        const double scale = hires.value(QStringLiteral("scale")).toDouble(panel->hires.scale);
        const double strength = hires.value(QStringLiteral("strength")).toDouble(panel->hires.strength);
        const int steps = hires.value(QStringLiteral("steps")).toInt(0);
        if (scale >= kMinHiresScale && scale <= kMaxHiresScale)
            panel->hires.scale = scale;
        else
            notes->append(
                QCoreApplication::translate("studio::story::PanelMetadata", "hires scale %1 is not usable; kept %2")
                    .arg(scale)
                    .arg(panel->hires.scale));
        if (strength >= 0.0 && strength <= 1.0)
            panel->hires.strength = strength;
        // The panel's own steps when they are the same, so a later change of the steps carries over.
        panel->hires.steps = steps == panel->steps || steps < 0 || steps > kMaxSteps ? 0 : steps;
    }
    const QJsonObject init = params.value(QStringLiteral("initImage")).toObject();
    if (params.contains(QStringLiteral("strength")) || !init.isEmpty())
        notes->append(QStringLiteral("made by img2img from %1 (SHA-256 %2) at strength %3: refine from that image "
                                     "to make it again")
                          .arg(init.value(QStringLiteral("file")).toString(QStringLiteral("an image")),
                               init.value(QStringLiteral("sha256")).toString().left(12),
                               A1111Parameters::formatNumber(params.value(QStringLiteral("strength")).toDouble())));
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
            notes->append(
                QCoreApplication::translate("studio::story::PanelMetadata", "size %1x%2 is not usable; kept %3x%4")
                    .arg(size->width())
                    .arg(size->height())
                    .arg(panel->width)
                    .arg(panel->height));
        }
    }
    // A1111's hires fix: "Hires upscale" with the second pass's "Denoising strength" and "Hires steps".
    QJsonObject refine;
    bool ok = false;
    const double strength = p.value(QStringLiteral("Denoising strength")).toDouble(&ok);
    const double scale = p.value(QStringLiteral("Hires upscale")).toDouble(&ok);
    if (p.contains(QStringLiteral("Hires upscale")) && ok) {
        QJsonObject hires;
        hires.insert(QStringLiteral("scale"), scale);
        if (p.contains(QStringLiteral("Denoising strength")))
            hires.insert(QStringLiteral("strength"), strength);
        hires.insert(QStringLiteral("steps"), p.value(QStringLiteral("Hires steps")).toInt());
        refine.insert(QStringLiteral("hires"), hires);
    } else if (p.contains(QStringLiteral("Denoising strength"))) {
        refine.insert(QStringLiteral("strength"), strength);
    }
    restoreRefine(refine, panel, notes);
}

bool restoreFromOurs(const QString &text, Panel *panel, QStringList *notes, QString *error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject()) {
        *error = QCoreApplication::translate("studio::story::PanelMetadata",
                                             "the storyboard_studio metadata is not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    const double schema = o.value(QStringLiteral("schema")).toDouble(-1);
    if (schema > PanelMetadata::kSchemaVersion) {
        *error = QCoreApplication::translate(
                     "studio::story::PanelMetadata",
                     "the image was written by a newer version of Storyboard Studio (metadata schema %1)")
                     .arg(schema);
        return false;
    }
    if (schema < 1) {
        *error = QCoreApplication::translate("studio::story::PanelMetadata",
                                             "the storyboard_studio metadata has no valid schema");
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
            notes->append(QCoreApplication::translate("studio::story::PanelMetadata", "size is not usable; kept %1x%2")
                              .arg(panel->width)
                              .arg(panel->height));
        }
    }
    // A studio image keeps what the engine used under "engine"; the CLI's at the top level.
    restoreRefine(o.contains(QStringLiteral("engine")) ? o.value(QStringLiteral("engine")).toObject() : o, panel,
                  notes);
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
    // What the image was refined with (img2img strength, the hires fix), under A1111's names.
    const Panel &panel = project.panels[size_t(qBound(0, index, kPanelCount - 1))];
    const QJsonObject params = panel.chosen() ? panel.chosen()->parameters : QJsonObject();
    const QJsonObject hires = params.value(QStringLiteral("hires")).toObject();
    if (params.value(QStringLiteral("strength")).isDouble())
        p.set(QStringLiteral("Denoising strength"),
              A1111Parameters::formatNumber(params.value(QStringLiteral("strength")).toDouble()));
    if (!hires.isEmpty()) {
        p.set(QStringLiteral("Denoising strength"),
              A1111Parameters::formatNumber(hires.value(QStringLiteral("strength")).toDouble()));
        p.set(QStringLiteral("Hires upscale"),
              A1111Parameters::formatNumber(hires.value(QStringLiteral("scale")).toDouble()));
        p.set(QStringLiteral("Hires steps"), QString::number(hires.value(QStringLiteral("steps")).toInt()));
        p.set(QStringLiteral("Hires upscaler"), QStringLiteral("Latent"));
    }
    // Consistent characters and the reference image, under our own keys (A1111 has none for them).
    CharacterUse::fromParameters(params).addTo(&p);
    addEngineChoices(params, &p);
    p.set(QStringLiteral("Model"), QStringLiteral("Kolors"));
    if (lora) {
        const QString alias = QFileInfo(lora->fileName).completeBaseName();
        p.set(QStringLiteral("Lora hashes"), alias + QStringLiteral(": ") + lora->shortHash());
        p.set(QStringLiteral("Lora weight"), A1111Parameters::formatNumber(project.lora.scale));
    }
    p.set(QStringLiteral("Version"), QStringLiteral("storyboard-studio ") + appVersion());
    return p;
}

void PanelMetadata::addEngineChoices(const QJsonObject &engineParameters, A1111Parameters *p)
{
    const QString quant = engineParameters.value(QStringLiteral("textEncoderQuant")).toString();
    if (!quant.isEmpty() && quant != QLatin1String("none"))
        p->set(QStringLiteral("Text encoder quantization"), quant);
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
            const QJsonObject o = QJsonDocument::fromJson(ours->toUtf8()).object();
            r.character = CharacterUse::fromParameters(
                o.contains(QStringLiteral("engine")) ? o.value(QStringLiteral("engine")).toObject() : o);
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
            r.character = CharacterUse::fromA1111(p);
            r.source = key;
            return r;
        }
    }
    if (error)
        *error = why.isEmpty() ? QCoreApplication::translate("studio::story::PanelMetadata",
                                                             "the image carries no generation parameters")
                               : why;
    return std::nullopt;
}

} // namespace studio::story
