// Project model and its JSON file: round trip, prompt rules, and refusal of malformed or hostile files.
#include "story/Project.h"
#include "story/ProjectFile.h"
#include "story/ProjectPaths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

namespace {

Project sampleProject()
{
    Project p;
    p.id = QStringLiteral("0c6f1a4e-3b2d-4f5a-9e8d-7c6b5a4f3e2d");
    p.title = QStringLiteral("阿月的兔子灯 — \"quotes\", back\\slash");
    p.teamName = QStringLiteral("灯影小队");
    p.modelName = QStringLiteral("国风水彩");
    p.license = QStringLiteral("cc-by-4.0");
    p.modelFolder = QStringLiteral("/opt/models/Kolors");
    p.style.prefix = QStringLiteral("国风水彩插画，");
    p.style.suffix = QStringLiteral("高清");
    p.style.negativePrompt = QStringLiteral("丑陋、变形");
    p.lora.path = QStringLiteral("/home/user/loras/风格.safetensors");
    p.lora.scale = 0.125;
    p.lora.triggerWords = QStringLiteral("shuicai");
    const QStringList samplers = samplerNames();
    for (int i = 0; i < kPanelCount; ++i) {
        Panel &panel = p.panels[size_t(i)];
        panel.prompt = QStringLiteral("第%1格：小女孩提着灯笼\n第二行 emoji 🏮").arg(i + 1);
        panel.negativePrompt = i % 2 ? QStringLiteral("模糊") : QString();
        panel.seed = i == 7 ? kMaxSeed : qint64(4294967295LL) + i;
        panel.seedMode = SeedMode(i % 4);
        panel.steps = 10 + i;
        panel.cfgScale = 3.3 + i * 0.7;
        panel.sampler = samplers.at(i % samplers.size());
        panel.width = 1024 - 64 * (i % 3);
        panel.height = 768 + 8 * i;
        for (int v = 0; v < i % 3; ++v) {
            PanelVariant variant;
            variant.path = QStringLiteral("images/panel-%1/%2-2025010%3T120000Z.png").arg(i + 1).arg(v).arg(v + 1);
            variant.seed = panel.seed - v;
            variant.createdAt = QStringLiteral("2025-01-0%1T12:00:00Z").arg(v + 1);
            QJsonObject params;
            params.insert(QStringLiteral("prompt"), panel.prompt);
            params.insert(QStringLiteral("steps"), panel.steps);
            params.insert(QStringLiteral("nested"),
                          QJsonObject{{QStringLiteral("k"), QJsonArray{1, 2.5, QStringLiteral("三")}}});
            variant.parameters = params;
            panel.variants.append(variant);
        }
        panel.chosenVariant = int(panel.variants.size()) - 1;
        panel.caption = i % 2 ? QStringLiteral("阿月：“灯笼亮了！”\n\"Lit!\"") : QString();
    }
    return p;
}

QJsonObject minimalJson()
{
    QJsonArray panels;
    for (int i = 0; i < kPanelCount; ++i)
        panels.append(
            QJsonObject{{QStringLiteral("prompt"), QStringLiteral("p%1").arg(i)}, {QStringLiteral("seed"), i}});
    return QJsonObject{{QStringLiteral("app"), QStringLiteral("storyboard-studio")},
                       {QStringLiteral("schema"), 1},
                       {QStringLiteral("title"), QStringLiteral("t")},
                       {QStringLiteral("panels"), panels}};
}

QByteArray withPanelField(const QString &key, const QJsonValue &value, int panel = 2)
{
    QJsonObject root = minimalJson();
    QJsonArray panels = root.value(QStringLiteral("panels")).toArray();
    QJsonObject p = panels.at(panel).toObject();
    p.insert(key, value);
    panels.replace(panel, p);
    root.insert(QStringLiteral("panels"), panels);
    return QJsonDocument(root).toJson();
}

QByteArray withRootField(const QString &key, const QJsonValue &value)
{
    QJsonObject root = minimalJson();
    if (value.isUndefined())
        root.remove(key);
    else
        root.insert(key, value);
    return QJsonDocument(root).toJson();
}

QByteArray withVariantPath(const QString &path)
{
    QJsonObject root = minimalJson();
    QJsonArray panels = root.value(QStringLiteral("panels")).toArray();
    QJsonObject p = panels.at(4).toObject();
    p.insert(QStringLiteral("variants"),
             QJsonArray{QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("seed"), 1}}});
    p.insert(QStringLiteral("chosenVariant"), 0);
    panels.replace(4, p);
    root.insert(QStringLiteral("panels"), panels);
    return QJsonDocument(root).toJson();
}

} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedModeNames()
    {
        for (SeedMode m : {SeedMode::Fixed, SeedMode::Increment, SeedMode::Decrement, SeedMode::Randomize})
            QCOMPARE(seedModeFromName(seedModeName(m)), std::optional<SeedMode>(m));
        QVERIFY(!seedModeFromName(QStringLiteral("Fixed")));
        QVERIFY(!seedModeFromName(QString()));
        QCOMPARE(samplerNames().size(), 5);
    }

    void effectivePrompt_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("expected");
        QTest::newRow("all") << "watercolor"
                             << "a cat"
                             << "masterpiece"
                             << "watercolor, a cat, masterpiece";
        QTest::newRow("no style") << ""
                                  << "a cat"
                                  << ""
                                  << "a cat";
        QTest::newRow("prefix only") << "水彩画，"
                                     << "一只猫"
                                     << ""
                                     << "水彩画, 一只猫";
        QTest::newRow("blank parts") << "   "
                                     << " 一只猫 "
                                     << " , "
                                     << "一只猫";
        QTest::newRow("trailing commas") << "style,, "
                                         << ",prompt,"
                                         << "，后缀"
                                         << "style, prompt, 后缀";
        QTest::newRow("empty prompt") << "style"
                                      << ""
                                      << "suffix"
                                      << "style, suffix";
        QTest::newRow("inner commas kept") << "a, b"
                                           << "c，d"
                                           << ""
                                           << "a, b, c，d";
    }
    void effectivePrompt()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, prompt);
        QFETCH(QString, suffix);
        QFETCH(QString, expected);
        Project p;
        p.style.prefix = prefix;
        p.style.suffix = suffix;
        p.panels[3].prompt = prompt;
        QCOMPARE(p.effectivePrompt(3), expected);
        QCOMPARE(p.effectivePrompt(-1), QString());
        QCOMPARE(p.effectivePrompt(kPanelCount), QString());
    }

    void effectiveNegativePrompt()
    {
        Project p;
        p.style.negativePrompt = QStringLiteral("丑陋、变形");
        p.panels[0].negativePrompt = QStringLiteral("模糊，");
        QCOMPARE(p.effectiveNegativePrompt(0), QStringLiteral("模糊, 丑陋、变形"));
        QCOMPARE(p.effectiveNegativePrompt(1), QStringLiteral("丑陋、变形"));
        p.style.negativePrompt.clear();
        QCOMPARE(p.effectiveNegativePrompt(1), QString());
    }

    void roundTripInMemory()
    {
        const Project project = sampleProject();
        QString error;
        const std::optional<Project> back = ProjectFile::fromJson(ProjectFile::toJson(project), QString(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == project);
        QCOMPARE(ProjectFile::toJson(*back), ProjectFile::toJson(project));
    }

    void roundTripOnDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("故事/story.json"));
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        const Project project = sampleProject();
        QString error;
        QVERIFY2(ProjectFile::save(project, path, &error), qPrintable(error));
        const std::optional<Project> loaded = ProjectFile::load(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(*loaded == project);
        QCOMPARE(loaded->panels[7].seed, kMaxSeed);
        QCOMPARE(loaded->panels[2].variants.size(), 2);
        QCOMPARE(loaded->panels[2].variants[1].parameters, project.panels[2].variants[1].parameters);
        QCOMPARE(loaded->lora.scale, 0.125);
        // Saving what was loaded gives the same bytes.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(ProjectFile::toJson(*loaded), file.readAll());
        QVERIFY(QJsonDocument::fromJson(ProjectFile::toJson(project)).object().value(QStringLiteral("schema")) ==
                QJsonValue(ProjectFile::kSchemaVersion));
    }

    // Schema 1 (before captions) opens unchanged with empty captions; loading alone rewrites nothing; saving
    // writes the current schema with the same content plus "caption"; a caption survives the round trip.
    void schemaOneMigratesOnSave()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        const QByteArray v1 = QJsonDocument(minimalJson()).toJson();
        QVERIFY(QJsonDocument::fromJson(v1).object().value(QStringLiteral("schema")).toInt() == 1);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(v1);
        }
        QString error;
        std::optional<Project> loaded = ProjectFile::load(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        for (const Panel &panel : loaded->panels)
            QVERIFY(panel.caption.isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), v1); // opening did not touch the file
        f.close();

        loaded->panels[3].caption = QStringLiteral("旁白：那天夜里，灯会开始了。");
        QVERIFY2(ProjectFile::save(*loaded, path, &error), qPrintable(error));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(saved.value(QStringLiteral("schema")).toInt(), ProjectFile::kSchemaVersion);
        const QJsonArray panels = saved.value(QStringLiteral("panels")).toArray();
        QCOMPARE(panels.at(3).toObject().value(QStringLiteral("caption")).toString(), loaded->panels[3].caption);
        QCOMPARE(panels.at(0).toObject().value(QStringLiteral("caption")).toString(), QString());
        const std::optional<Project> again = ProjectFile::load(path, &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(*again == *loaded);
        // Apart from captions and the schema number, the upgraded file says what the old one said.
        Project withoutCaptions = *again;
        for (Panel &panel : withoutCaptions.panels)
            panel.caption.clear();
        const std::optional<Project> original = ProjectFile::fromJson(v1, QString(), &error);
        QVERIFY(original);
        QVERIFY(withoutCaptions == *original);
    }

    void defaultsForOptionalFields()
    {
        QString error;
        const std::optional<Project> p =
            ProjectFile::fromJson(QJsonDocument(minimalJson()).toJson(), QString(), &error);
        QVERIFY2(p, qPrintable(error));
        const Panel defaults;
        QCOMPARE(p->panels[5].steps, defaults.steps);
        QCOMPARE(p->panels[5].width, 1024);
        QCOMPARE(p->panels[5].chosenVariant, -1);
        QCOMPARE(p->panels[5].seed, 5);
        QCOMPARE(p->license, QStringLiteral("apache-2.0"));
    }

    void refusesHostileFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("mustMention");
        auto row = [](const char *name, const QByteArray &json, const QStringList &mention) {
            QTest::newRow(name) << json << mention;
        };
        row("empty file", QByteArray(), {"malformed JSON"});
        row("truncated", QJsonDocument(minimalJson()).toJson().left(120), {"malformed JSON"});
        row("binary garbage", QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11), {"malformed JSON"});
        row("array root", "[1, 2, 3]", {"not an object"});
        row("deep nesting", QByteArray(5000, '[') + QByteArray(5000, ']'), {"malformed JSON"});
        row("missing app", withRootField(QStringLiteral("app"), QJsonValue::Undefined), {"app", "missing"});
        row("other app", withRootField(QStringLiteral("app"), QStringLiteral("comfyui")), {"app", "comfyui"});
        row("newer schema", withRootField(QStringLiteral("schema"), ProjectFile::kSchemaVersion + 1),
            {"newer version", QStringLiteral("schema %1").arg(ProjectFile::kSchemaVersion + 1)});
        row("caption not a string", withPanelField(QStringLiteral("caption"), 7), {"panels[2].caption", "expected a string"});
        row("schema as text", withRootField(QStringLiteral("schema"), QStringLiteral("1")),
            {"schema", "expected a number"});
        row("schema zero", withRootField(QStringLiteral("schema"), 0), {"schema", "0"});
        row("title not a string", withRootField(QStringLiteral("title"), 42), {"title", "expected a string", "42"});
        row("missing panels", withRootField(QStringLiteral("panels"), QJsonValue::Undefined), {"panels", "missing"});
        row("panels not array", withRootField(QStringLiteral("panels"), QJsonObject()),
            {"panels", "expected an array"});
        {
            QJsonObject root = minimalJson();
            QJsonArray panels = root.value(QStringLiteral("panels")).toArray();
            panels.removeLast();
            root.insert(QStringLiteral("panels"), panels);
            row("seven panels", QJsonDocument(root).toJson(), {"exactly 8 panels", "has 7"});
            panels.append(QJsonObject{{QStringLiteral("prompt"), QStringLiteral("x")}, {QStringLiteral("seed"), 1}});
            panels.append(QJsonObject{{QStringLiteral("prompt"), QStringLiteral("y")}, {QStringLiteral("seed"), 2}});
            root.insert(QStringLiteral("panels"), panels);
            row("nine panels", QJsonDocument(root).toJson(), {"exactly 8 panels", "has 9"});
            panels.replace(3, QStringLiteral("not a panel"));
            panels.removeLast();
            root.insert(QStringLiteral("panels"), panels);
            row("panel not object", QJsonDocument(root).toJson(), {"panels[3]", "expected an object"});
        }
        {
            QJsonObject root = minimalJson();
            QJsonArray panels = root.value(QStringLiteral("panels")).toArray();
            QJsonObject p = panels.at(2).toObject();
            p.remove(QStringLiteral("seed"));
            panels.replace(2, p);
            root.insert(QStringLiteral("panels"), panels);
            row("missing seed", QJsonDocument(root).toJson(), {"panels[2].seed", "missing"});
        }
        row("negative seed", withPanelField(QStringLiteral("seed"), -1), {"panels[2].seed", "-1", "outside"});
        row("seed above 2^53",
            "{\"app\":\"storyboard-studio\",\"schema\":1,\"title\":\"t\",\"panels\":[" +
                QByteArray("{\"prompt\":\"a\",\"seed\":9007199254740993},").repeated(7) +
                "{\"prompt\":\"a\",\"seed\":1}]}",
            {"panels[0].seed", "outside"});
        row("seed overflow",
            "{\"app\":\"storyboard-studio\",\"schema\":1,\"title\":\"t\",\"panels\":[" +
                QByteArray("{\"prompt\":\"a\",\"seed\":1e400},").repeated(7) + "{\"prompt\":\"a\",\"seed\":1}]}",
            {"malformed JSON"});
        row("fractional seed", withPanelField(QStringLiteral("seed"), 1.5), {"panels[2].seed", "whole number", "1.5"});
        row("seed as text", withPanelField(QStringLiteral("seed"), QStringLiteral("42")),
            {"panels[2].seed", "expected a number"});
        row("prompt not string", withPanelField(QStringLiteral("prompt"), QJsonArray{1}),
            {"panels[2].prompt", "expected a string"});
        row("unknown seed mode", withPanelField(QStringLiteral("seedMode"), QStringLiteral("sometimes")),
            {"panels[2].seedMode", "sometimes"});
        row("unknown sampler", withPanelField(QStringLiteral("sampler"), QStringLiteral("plms")),
            {"panels[2].sampler", "plms"});
        row("zero steps", withPanelField(QStringLiteral("steps"), 0), {"panels[2].steps", "0"});
        row("huge steps", withPanelField(QStringLiteral("steps"), 1e9), {"panels[2].steps", "1000000000"});
        row("cfg too high", withPanelField(QStringLiteral("cfgScale"), 99), {"panels[2].cfgScale", "99"});
        row("negative cfg", withPanelField(QStringLiteral("cfgScale"), -1), {"panels[2].cfgScale"});
        row("odd width", withPanelField(QStringLiteral("width"), 1020), {"panels[2].width", "1020", "multiple of 8"});
        row("huge height", withPanelField(QStringLiteral("height"), 100000), {"panels[2].height", "100000"});
        row("chosen without variants", withPanelField(QStringLiteral("chosenVariant"), 0), {"panels[2].chosenVariant"});
        row("chosen below -1", withPanelField(QStringLiteral("chosenVariant"), -2), {"panels[2].chosenVariant", "-2"});
        row("variants not array", withPanelField(QStringLiteral("variants"), 3),
            {"panels[2].variants", "expected an array"});
        row("absolute path", withVariantPath(QStringLiteral("/etc/passwd")),
            {"panels[4].variants[0].path", "/etc/passwd", "absolute"});
        row("parent escape", withVariantPath(QStringLiteral("../outside.png")), {"panels[4].variants[0].path", ".."});
        row("inner escape", withVariantPath(QStringLiteral("images/../../x.png")), {"..", "images/../../x.png"});
        row("windows drive", withVariantPath(QStringLiteral("C:\\Users\\x.png")), {"absolute"});
        row("drive relative", withVariantPath(QStringLiteral("c:x.png")), {"absolute"});
        row("unc path", withVariantPath(QStringLiteral("\\\\server\\share\\x.png")), {"absolute"});
        row("backslash escape", withVariantPath(QStringLiteral("images\\..\\..\\x.png")), {"backslash"});
        row("stream name", withVariantPath(QStringLiteral("images/x.png:evil")), {"':'"});
        row("device name", withVariantPath(QStringLiteral("images/CON.png")), {"CON.png", "device"});
        row("dots component", withVariantPath(QStringLiteral("images/.../x.png")), {"...", "dot or space"});
        row("empty path", withVariantPath(QString()), {"panels[4].variants[0].path", "empty"});
        row("control char", withVariantPath(QStringLiteral("images/a\nb.png")), {"control character"});
        {
            QJsonObject root = minimalJson();
            root.insert(QStringLiteral("lora"),
                        QJsonObject{{QStringLiteral("path"), QStringLiteral("../loras/x.safetensors")}});
            row("lora escape", QJsonDocument(root).toJson(), {"lora.path", ".."});
            root.insert(QStringLiteral("lora"), QJsonObject{{QStringLiteral("scale"), QStringLiteral("big")}});
            row("lora scale text", QJsonDocument(root).toJson(), {"lora.scale", "expected a number"});
            root.insert(QStringLiteral("style"), QStringLiteral("watercolor"));
            row("style not object", QJsonDocument(root).toJson(), {"style", "expected an object"});
        }
    }
    void refusesHostileFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, mustMention);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        QVERIFY(!ProjectFile::fromJson(json, dir.path(), &error));
        QVERIFY(!error.isEmpty());
        for (const QString &word : mustMention)
            QVERIFY2(error.contains(word),
                     qPrintable(QStringLiteral("\"%1\" does not mention \"%2\"").arg(error, word)));

        // Through load(): same refusal, the message names the file, and nothing is returned.
        const QString path = dir.filePath(QStringLiteral("story.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        QString loadError;
        const std::optional<Project> loaded = ProjectFile::load(path, &loadError);
        QVERIFY(!loaded);
        QVERIFY2(loadError.startsWith(path), qPrintable(loadError));
    }

    void refusesSymlinkEscapes()
    {
#ifdef Q_OS_WIN
        QSKIP("symbolic links need privileges on Windows");
#endif
        QTemporaryDir outside;
        QTemporaryDir project;
        QVERIFY(outside.isValid() && project.isValid());
        QFile secret(outside.filePath(QStringLiteral("secret.png")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.close();
        QVERIFY(QDir(project.path()).mkpath(QStringLiteral("images")));
        // A folder link and a file link, both pointing outside the project.
        QVERIFY(QFile::link(outside.path(), project.filePath(QStringLiteral("images/linked"))));
        QVERIFY(QFile::link(secret.fileName(), project.filePath(QStringLiteral("images/secret.png"))));
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("nothing.png")),
                            project.filePath(QStringLiteral("images/dangling.png"))));
        for (const QString &path : {QStringLiteral("images/linked/secret.png"), QStringLiteral("images/linked/new.png"),
                                    QStringLiteral("images/secret.png"), QStringLiteral("images/dangling.png")}) {
            QString error;
            QVERIFY2(!ProjectFile::fromJson(withVariantPath(path), project.path(), &error), qPrintable(path));
            QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
        }
        // A link that stays inside the project is fine.
        QVERIFY(QDir(project.path()).mkpath(QStringLiteral("real")));
        QVERIFY(
            QFile::link(project.filePath(QStringLiteral("real")), project.filePath(QStringLiteral("images/inside"))));
        QString error;
        QVERIFY2(ProjectFile::fromJson(withVariantPath(QStringLiteral("images/inside/a.png")), project.path(), &error),
                 qPrintable(error));
    }

    void pathRules()
    {
        QString why;
        QVERIFY(ProjectPaths::isSafeRelativePath(QStringLiteral("images/panel-01/42-20250101T120000Z.png"), &why));
        QVERIFY(ProjectPaths::isSafeRelativePath(QStringLiteral("./images/面板.png"), &why));
        QVERIFY(!ProjectPaths::isSafeRelativePath(QStringLiteral("images/"), &why));
        QVERIFY(!ProjectPaths::isSafeRelativePath(QStringLiteral("images//a.png"), &why));
        QVERIFY(!ProjectPaths::isSafeRelativePath(QStringLiteral("images/lpt1"), &why));
        QVERIFY(!ProjectPaths::isSafeRelativePath(QStringLiteral("images/x. "), &why));
        QVERIFY(ProjectPaths::looksAbsolute(QStringLiteral("D:/x")));
        QVERIFY(!ProjectPaths::looksAbsolute(QStringLiteral("images/x")));
        QCOMPARE(ProjectPaths::relativeInside(QStringLiteral("/a/b"), QStringLiteral("/a/b/c/d.png")),
                 QStringLiteral("c/d.png"));
        QCOMPARE(ProjectPaths::relativeInside(QStringLiteral("/a/b"), QStringLiteral("/a/bc/d.png")), QString());
        QCOMPARE(ProjectPaths::relativeInside(QStringLiteral("/a/b"), QStringLiteral("/a/b/../c.png")), QString());
    }

    void loadErrors()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(!ProjectFile::load(dir.filePath(QStringLiteral("none.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("no such file")), qPrintable(error));
        QVERIFY(!ProjectFile::load(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("folder")), qPrintable(error));
    }

    void saveRefusesInvalidProject()
    {
        QTemporaryDir dir;
        Project p = sampleProject();
        p.panels[6].seed = -3;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        QString error;
        QVERIFY(!ProjectFile::save(p, path, &error));
        QVERIFY2(error.contains(QStringLiteral("panels[6].seed")), qPrintable(error));
        QVERIFY(!QFile::exists(path));

        // A failed save leaves an existing file untouched.
        QVERIFY(ProjectFile::save(sampleProject(), path, &error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();
        QVERIFY(!ProjectFile::save(p, path, &error));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
    }

    void saveIntoMissingFolderFails()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(!ProjectFile::save(sampleProject(), dir.filePath(QStringLiteral("no/such/folder/story.json")), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProjectFile)
#include "tst_project_file.moc"
