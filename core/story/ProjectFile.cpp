#include "ProjectFile.h"

#include "JsonFieldReader.h"
#include "ProjectPaths.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>

#include <cmath>

#include <QCoreApplication>

namespace studio::story {

namespace {

const QLatin1String kAppId("storyboard-studio");

void readVariant(JsonFieldReader &r, const QJsonValue &value, const QString &path, const QString &projectDir, PanelVariant *out)
{
    if (!value.isObject())
        return r.fail(path, QCoreApplication::translate("studio::story::ProjectFile", "expected an object, found %1")
                                .arg(describeJsonValue(value)));
    const QJsonObject obj = value.toObject();
    r.readString(obj, path, QStringLiteral("path"), &out->path, true);
    if (r.ok()) {
        QString why;
        const bool safe = projectDir.isEmpty() ? ProjectPaths::isSafeRelativePath(out->path, &why)
                                               : !ProjectPaths::resolveInside(projectDir, out->path, &why).isEmpty();
        if (!safe)
            r.fail(JsonFieldReader::join(path, QStringLiteral("path")),
                   QCoreApplication::translate("studio::story::ProjectFile", "refusing image path \"%1\": %2")
                       .arg(out->path, why));
    }
    r.readInteger(obj, path, QStringLiteral("seed"), 0, kMaxSeed, &out->seed);
    r.readString(obj, path, QStringLiteral("createdAt"), &out->createdAt);
    out->parameters = r.readObject(obj, path, QStringLiteral("parameters"));
}

void readPanel(JsonFieldReader &r, const QJsonValue &value, const QString &path, const QString &projectDir, Panel *out)
{
    if (!value.isObject())
        return r.fail(path, QCoreApplication::translate("studio::story::ProjectFile", "expected an object, found %1")
                                .arg(describeJsonValue(value)));
    const QJsonObject obj = value.toObject();
    r.readString(obj, path, QStringLiteral("prompt"), &out->prompt, true);
    r.readString(obj, path, QStringLiteral("negativePrompt"), &out->negativePrompt);
    r.readInteger(obj, path, QStringLiteral("seed"), 0, kMaxSeed, &out->seed, true);

    QString mode = seedModeName(out->seedMode);
    r.readString(obj, path, QStringLiteral("seedMode"), &mode);
    if (r.ok()) {
        if (const auto parsed = seedModeFromName(mode))
            out->seedMode = *parsed;
        else
            r.fail(JsonFieldReader::join(path, QStringLiteral("seedMode")),
                   QCoreApplication::translate(
                       "studio::story::ProjectFile",
                       "unknown seed mode \"%1\" (expected fixed, increment, decrement or randomize)")
                       .arg(mode));
    }

    r.readInt(obj, path, QStringLiteral("steps"), kMinSteps, kMaxSteps, &out->steps);
    r.readDouble(obj, path, QStringLiteral("cfgScale"), kMinCfgScale, kMaxCfgScale, &out->cfgScale);
    r.readString(obj, path, QStringLiteral("sampler"), &out->sampler);
    if (r.ok() && !samplerNames().contains(out->sampler))
        r.fail(JsonFieldReader::join(path, QStringLiteral("sampler")),
               QCoreApplication::translate("studio::story::ProjectFile", "unknown sampler \"%1\" (expected one of %2)")
                   .arg(out->sampler, samplerNames().join(QStringLiteral(", "))));

    r.readInt(obj, path, QStringLiteral("width"), kMinImageSize, kMaxImageSize, &out->width);
    r.readInt(obj, path, QStringLiteral("height"), kMinImageSize, kMaxImageSize, &out->height);
    for (const auto &[key, size] :
         {std::pair{QStringLiteral("width"), out->width}, std::pair{QStringLiteral("height"), out->height}}) {
        if (r.ok() && size % kImageSizeMultiple != 0)
            r.fail(JsonFieldReader::join(path, key),
                   QCoreApplication::translate("studio::story::ProjectFile", "value %1 is not a multiple of %2")
                       .arg(size)
                       .arg(kImageSizeMultiple));
    }

    // Optional: files without it (older versions, hires fix never used) keep it off.
    const QJsonObject hires = r.readObject(obj, path, QStringLiteral("hires"));
    if (!hires.isEmpty()) {
        const QString hiresPath = JsonFieldReader::join(path, QStringLiteral("hires"));
        const QJsonValue enabled = r.readOfType(hires, hiresPath, QStringLiteral("enabled"), false, &QJsonValue::isBool,
                                                QT_TRANSLATE_NOOP("studio::story::ProjectFile", "true or false"));
        if (enabled.isBool())
            out->hires.enabled = enabled.toBool();
        r.readDouble(hires, hiresPath, QStringLiteral("scale"), kMinHiresScale, kMaxHiresScale, &out->hires.scale);
        r.readDouble(hires, hiresPath, QStringLiteral("strength"), 0.0, 1.0, &out->hires.strength);
        r.readInt(hires, hiresPath, QStringLiteral("steps"), 0, kMaxSteps, &out->hires.steps);
    }

    const QJsonArray variants = r.readArray(obj, path, QStringLiteral("variants"));
    for (int i = 0; r.ok() && i < variants.size(); ++i) {
        PanelVariant variant;
        readVariant(r, variants.at(i), path + QStringLiteral(".variants[%1]").arg(i), projectDir, &variant);
        out->variants.append(variant);
    }
    r.readInt(obj, path, QStringLiteral("chosenVariant"), -1, int(out->variants.size()) - 1, &out->chosenVariant);
    r.readString(obj, path, QStringLiteral("caption"), &out->caption); // schema 2; absent in schema 1
}

QJsonObject variantToJson(const PanelVariant &v)
{
    QJsonObject obj;
    obj.insert(QStringLiteral("path"), v.path);
    obj.insert(QStringLiteral("seed"), v.seed);
    obj.insert(QStringLiteral("createdAt"), v.createdAt);
    obj.insert(QStringLiteral("parameters"), v.parameters);
    return obj;
}

QJsonObject panelToJson(const Panel &p)
{
    QJsonObject obj;
    obj.insert(QStringLiteral("prompt"), p.prompt);
    obj.insert(QStringLiteral("negativePrompt"), p.negativePrompt);
    obj.insert(QStringLiteral("seed"), p.seed);
    obj.insert(QStringLiteral("seedMode"), seedModeName(p.seedMode));
    obj.insert(QStringLiteral("steps"), p.steps);
    obj.insert(QStringLiteral("cfgScale"), p.cfgScale);
    obj.insert(QStringLiteral("sampler"), p.sampler);
    obj.insert(QStringLiteral("width"), p.width);
    obj.insert(QStringLiteral("height"), p.height);
    if (p.hires != HiresSettings()) {
        QJsonObject hires;
        hires.insert(QStringLiteral("enabled"), p.hires.enabled);
        hires.insert(QStringLiteral("scale"), p.hires.scale);
        hires.insert(QStringLiteral("strength"), p.hires.strength);
        hires.insert(QStringLiteral("steps"), p.hires.steps);
        obj.insert(QStringLiteral("hires"), hires);
    }
    QJsonArray variants;
    for (const PanelVariant &v : p.variants)
        variants.append(variantToJson(v));
    obj.insert(QStringLiteral("variants"), variants);
    obj.insert(QStringLiteral("chosenVariant"), p.chosenVariant);
    obj.insert(QStringLiteral("caption"), p.caption);
    return obj;
}

} // namespace

QByteArray ProjectFile::toJson(const Project &project)
{
    QJsonObject root;
    root.insert(QStringLiteral("app"), kAppId);
    root.insert(QStringLiteral("schema"), kSchemaVersion);
    root.insert(QStringLiteral("id"), project.id);
    root.insert(QStringLiteral("title"), project.title);
    root.insert(QStringLiteral("team"), project.teamName);
    root.insert(QStringLiteral("modelName"), project.modelName);
    root.insert(QStringLiteral("license"), project.license);
    root.insert(QStringLiteral("modelFolder"), project.modelFolder);

    QJsonObject style;
    style.insert(QStringLiteral("prefix"), project.style.prefix);
    style.insert(QStringLiteral("suffix"), project.style.suffix);
    style.insert(QStringLiteral("negativePrompt"), project.style.negativePrompt);
    root.insert(QStringLiteral("style"), style);

    QJsonObject lora;
    lora.insert(QStringLiteral("path"), project.lora.path);
    lora.insert(QStringLiteral("scale"), project.lora.scale);
    lora.insert(QStringLiteral("triggerWords"), project.lora.triggerWords);
    root.insert(QStringLiteral("lora"), lora);
    root.insert(QStringLiteral("character"), project.character.toJson());

    QJsonArray panels;
    for (const Panel &p : project.panels)
        panels.append(panelToJson(p));
    root.insert(QStringLiteral("panels"), panels);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<Project> ProjectFile::fromJson(const QByteArray &json, const QString &projectDir, QString *error)
{
    auto refuse = [error](const QString &message) -> std::optional<Project> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "malformed JSON at byte %1: %2")
                          .arg(parseError.offset)
                          .arg(parseError.errorString()));
    if (!doc.isObject())
        return refuse(QCoreApplication::translate("studio::story::ProjectFile",
                                                  "not a story project: the JSON document is not an object"));
    const QJsonObject root = doc.object();

    JsonFieldReader r;
    QString app;
    r.readString(root, QString(), QStringLiteral("app"), &app, true);
    if (!r.ok())
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "not a Storyboard Studio project (%1)")
                          .arg(r.error()));
    if (app != kAppId)
        return refuse(QCoreApplication::translate("studio::story::ProjectFile",
                                                  "app: \"%1\" is not a Storyboard Studio project (expected \"%2\")")
                          .arg(app, kAppId));

    // Check the schema before anything else: a newer file may have changed any other field.
    const QJsonValue schemaValue = root.value(QStringLiteral("schema"));
    if (schemaValue.isDouble() && schemaValue.toDouble() > kSchemaVersion && std::isfinite(schemaValue.toDouble()))
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile",
                                        "schema: this file was written by a newer version of Storyboard Studio "
                                        "(schema %1; this version reads schema %2 and older)")
                .arg(describeJsonValue(schemaValue))
                .arg(kSchemaVersion));
    qint64 schema = 0;
    r.readInteger(root, QString(), QStringLiteral("schema"), 1, kSchemaVersion, &schema, true);

    Project project;
    r.readString(root, QString(), QStringLiteral("id"), &project.id);
    r.readString(root, QString(), QStringLiteral("title"), &project.title, true);
    r.readString(root, QString(), QStringLiteral("team"), &project.teamName);
    r.readString(root, QString(), QStringLiteral("modelName"), &project.modelName);
    r.readString(root, QString(), QStringLiteral("license"), &project.license);
    r.readString(root, QString(), QStringLiteral("modelFolder"), &project.modelFolder);

    const QJsonObject style = r.readObject(root, QString(), QStringLiteral("style"));
    r.readString(style, QStringLiteral("style"), QStringLiteral("prefix"), &project.style.prefix);
    r.readString(style, QStringLiteral("style"), QStringLiteral("suffix"), &project.style.suffix);
    r.readString(style, QStringLiteral("style"), QStringLiteral("negativePrompt"), &project.style.negativePrompt);

    const QJsonObject lora = r.readObject(root, QString(), QStringLiteral("lora"));
    r.readString(lora, QStringLiteral("lora"), QStringLiteral("path"), &project.lora.path);
    r.readDouble(lora, QStringLiteral("lora"), QStringLiteral("scale"), -10.0, 10.0, &project.lora.scale);
    r.readString(lora, QStringLiteral("lora"), QStringLiteral("triggerWords"), &project.lora.triggerWords);
    if (r.ok() && !project.lora.path.isEmpty() && !ProjectPaths::looksAbsolute(project.lora.path)) {
        // A LoRA outside the project is stored with its absolute path; a relative one must stay inside.
        QString why;
        const bool safe = projectDir.isEmpty()
                              ? ProjectPaths::isSafeRelativePath(project.lora.path, &why)
                              : !ProjectPaths::resolveInside(projectDir, project.lora.path, &why).isEmpty();
        if (!safe)
            r.fail(QStringLiteral("lora.path"),
                   QCoreApplication::translate("studio::story::ProjectFile", "refusing LoRA path \"%1\": %2")
                       .arg(project.lora.path, why));
    }

    // Schema 3; older files have none and keep the defaults (off).
    const QJsonObject character = r.readObject(root, QString(), QStringLiteral("character"));
    if (r.ok())
        project.character = CharacterSettings::fromJson(r, character, QStringLiteral("character"), projectDir);

    const QJsonArray panels = r.readArray(root, QString(), QStringLiteral("panels"), true);
    if (r.ok() && panels.size() != kPanelCount)
        r.fail(QStringLiteral("panels"), QCoreApplication::translate("studio::story::ProjectFile",
                                                                     "a story has exactly %1 panels, this file has %2")
                                             .arg(kPanelCount)
                                             .arg(panels.size()));
    for (int i = 0; r.ok() && i < kPanelCount; ++i)
        readPanel(r, panels.at(i), QStringLiteral("panels[%1]").arg(i), projectDir, &project.panels[size_t(i)]);

    if (!r.ok())
        return refuse(r.error());
    return project;
}

std::optional<Project> ProjectFile::load(const QString &path, QString *error)
{
    auto refuse = [error, &path](const QString &message) -> std::optional<Project> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "no such file"));
    if (info.isDir())
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "is a folder, not a story file"));
    if (info.size() > kMaxFileSize)
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile", "file is too large for a story (%1 bytes)")
                .arg(info.size()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile", "cannot read: %1").arg(file.errorString()));
    const QByteArray bytes = file.read(kMaxFileSize + 1);
    if (bytes.size() > kMaxFileSize)
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "file is too large for a story"));
    QString message;
    std::optional<Project> project = fromJson(bytes, info.absolutePath(), &message);
    if (!project)
        return refuse(message);
    return project;
}

bool ProjectFile::save(const Project &project, const QString &path, QString *error)
{
    auto refuse = [error, &path](const QString &message) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return false;
    };
    const QByteArray json = toJson(project);
    QString problem;
    if (!fromJson(json, QString(), &problem))
        return refuse(QCoreApplication::translate("studio::story::ProjectFile", "not saved, the story is invalid: %1")
                          .arg(problem));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile", "cannot write: %1").arg(file.errorString()));
    if (file.write(json) != json.size())
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile", "cannot write: %1").arg(file.errorString()));
    if (!file.commit())
        return refuse(
            QCoreApplication::translate("studio::story::ProjectFile", "cannot save: %1").arg(file.errorString()));
    return true;
}

} // namespace studio::story
