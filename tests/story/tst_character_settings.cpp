// The story's character settings (issue 13): saved under "character" (schema 3), older files migrated on save,
// values out of range refused with their field path.
#include "story/CharacterSettings.h"
#include "story/Project.h"
#include "story/ProjectFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

namespace {

CharacterSettings sampleCharacter()
{
    CharacterSettings c;
    c.consistent = true;
    c.identityPanels = 3;
    c.strength = 0.7;
    c.start = 2;
    c.reference = ReferenceSource::File;
    c.referenceFile = QStringLiteral("characters/阿月 正面.png");
    c.referencePanel = 4;
    c.ipScale = 0.8;
    return c;
}

// A schema-2 file as the previous release wrote it: captions, no "character".
QJsonObject schemaTwoJson()
{
    QJsonArray panels;
    for (int i = 0; i < kPanelCount; ++i)
        panels.append(QJsonObject{{QStringLiteral("prompt"), QStringLiteral("阿月 %1").arg(i)},
                                  {QStringLiteral("seed"), 100 + i},
                                  {QStringLiteral("caption"), QStringLiteral("旁白 %1").arg(i)}});
    return QJsonObject{{QStringLiteral("app"), QStringLiteral("storyboard-studio")},
                       {QStringLiteral("schema"), 2},
                       {QStringLiteral("title"), QStringLiteral("兔子灯")},
                       {QStringLiteral("panels"), panels}};
}

QByteArray withCharacter(const QJsonObject &character)
{
    QJsonObject root = schemaTwoJson();
    root.insert(QStringLiteral("schema"), 3);
    root.insert(QStringLiteral("character"), character);
    return QJsonDocument(root).toJson();
}

} // namespace

class TestCharacterSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreTheIssuesDefaults()
    {
        const CharacterSettings c;
        QVERIFY(!c.consistent);
        QCOMPARE(c.identityPanels, 2);
        QCOMPARE(c.strength, 0.5);
        QCOMPARE(c.start, 5);
        QCOMPARE(c.ipScale, 0.5);
        QVERIFY(!c.usesReference());
        QVERIFY(c.problem().isEmpty());
    }

    void roundTripThroughTheStoryFile()
    {
        Project project;
        project.title = QStringLiteral("t");
        project.character = sampleCharacter();
        QString error;
        const std::optional<Project> back = ProjectFile::fromJson(ProjectFile::toJson(project), QString(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(back->character == project.character);
        QVERIFY(*back == project);
        // The panel is written 1-based, as the user counts.
        const QJsonObject saved = QJsonDocument::fromJson(ProjectFile::toJson(project)).object();
        QCOMPARE(saved.value(QStringLiteral("character")).toObject().value(QStringLiteral("referencePanel")).toInt(),
                 5);
        QCOMPARE(saved.value(QStringLiteral("schema")).toInt(), 3);
    }

    void everyReferenceSourceRoundTrips_data()
    {
        QTest::addColumn<int>("source");
        QTest::newRow("none") << int(ReferenceSource::None);
        QTest::newRow("file") << int(ReferenceSource::File);
        QTest::newRow("panel") << int(ReferenceSource::Panel);
    }

    void everyReferenceSourceRoundTrips()
    {
        QFETCH(int, source);
        Project project;
        project.title = QStringLiteral("t");
        project.character = sampleCharacter();
        project.character.reference = ReferenceSource(source);
        QString error;
        const std::optional<Project> back = ProjectFile::fromJson(ProjectFile::toJson(project), QString(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(int(back->character.reference), source);
        QCOMPARE(referenceSourceFromName(referenceSourceName(ReferenceSource(source))), ReferenceSource(source));
    }

    // A schema-2 story opens with consistent characters off and the defaults, unchanged on disk; saving writes
    // schema 3 with "character" and keeps everything else (captions included).
    void schemaTwoMigratesOnSave()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.json"));
        const QByteArray v2 = QJsonDocument(schemaTwoJson()).toJson();
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(v2);
        }
        QString error;
        std::optional<Project> loaded = ProjectFile::load(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(loaded->character == CharacterSettings());
        QCOMPARE(loaded->panels[6].caption, QStringLiteral("旁白 6"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), v2); // opening rewrites nothing
        f.close();

        loaded->character.consistent = true;
        QVERIFY2(ProjectFile::save(*loaded, path, &error), qPrintable(error));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(saved.value(QStringLiteral("schema")).toInt(), 3);
        const QJsonObject character = saved.value(QStringLiteral("character")).toObject();
        QCOMPARE(character.value(QStringLiteral("consistent")).toBool(), true);
        QCOMPARE(character.value(QStringLiteral("identityPanels")).toInt(), 2);
        const std::optional<Project> again = ProjectFile::load(path, &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(*again == *loaded);
        Project withoutCharacter = *again;
        withoutCharacter.character = CharacterSettings();
        const std::optional<Project> original = ProjectFile::fromJson(v2, QString(), &error);
        QVERIFY(original);
        QVERIFY(withoutCharacter == *original);
    }

    void refusesBadValues_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char *name, const QJsonObject &character, const QStringList &expected) {
            QTest::newRow(name) << withCharacter(character) << expected;
        };
        row("no identity panel", {{QStringLiteral("identityPanels"), 0}}, {"character.identityPanels", "[1, 8]"});
        row("more identity panels than panels", {{QStringLiteral("identityPanels"), 9}},
            {"character.identityPanels", "9"});
        row("identity panels not whole", {{QStringLiteral("identityPanels"), 1.5}},
            {"character.identityPanels", "whole number"});
        row("strength above 1", {{QStringLiteral("strength"), 1.5}}, {"character.strength", "1.5"});
        row("negative start", {{QStringLiteral("start"), -1}}, {"character.start", "-1"});
        row("consistent as text", {{QStringLiteral("consistent"), QStringLiteral("yes")}},
            {"character.consistent", "true or false"});
        row("ip scale too large", {{QStringLiteral("ipScale"), 3}}, {"character.ipScale", "3"});
        row("unknown reference", {{QStringLiteral("reference"), QStringLiteral("url")}},
            {"character.reference", "url"});
        row("reference panel 0", {{QStringLiteral("referencePanel"), 0}}, {"character.referencePanel", "0"});
        row("file without a name", {{QStringLiteral("reference"), QStringLiteral("file")}},
            {"character.referenceFile", "no file"});
        row("reference outside the folder",
            {{QStringLiteral("reference"), QStringLiteral("file")},
             {QStringLiteral("referenceFile"), QStringLiteral("../secret.png")}},
            {"character.referenceFile", "../secret.png"});
        row("absolute reference", {{QStringLiteral("referenceFile"), QStringLiteral("/etc/passwd")}},
            {"character.referenceFile", "/etc/passwd"});
        QJsonObject root = schemaTwoJson();
        root.insert(QStringLiteral("schema"), 3);
        root.insert(QStringLiteral("character"), QStringLiteral("on"));
        QTest::newRow("character not an object")
            << QJsonDocument(root).toJson() << QStringList{"character", "expected an object"};
    }

    void refusesBadValues()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        QString error;
        QVERIFY(!ProjectFile::fromJson(json, QString(), &error));
        for (const QString &part : expected)
            QVERIFY2(error.contains(part), qPrintable(error + QStringLiteral(" lacks ") + part));
    }

    // The rules the studio applies to its edits: the same ranges as the file.
    void problemNamesTheField_data()
    {
        QTest::addColumn<int>("identityPanels");
        QTest::addColumn<double>("strength");
        QTest::addColumn<double>("ipScale");
        QTest::addColumn<QString>("field");
        QTest::newRow("K = 0") << 0 << 0.5 << 0.5 << QStringLiteral("identityPanels");
        QTest::newRow("K = n + 1") << kPanelCount + 1 << 0.5 << 0.5 << QStringLiteral("identityPanels");
        QTest::newRow("P < 0") << 2 << -0.1 << 0.5 << QStringLiteral("strength");
        QTest::newRow("scale > max") << 2 << 0.5 << kMaxIpScale + 0.5 << QStringLiteral("ipScale");
        QTest::newRow("K = n is allowed") << kPanelCount << 1.0 << 0.0 << QString();
        QTest::newRow("K = 1 is allowed") << 1 << 0.0 << kMaxIpScale << QString();
    }

    void problemNamesTheField()
    {
        QFETCH(int, identityPanels);
        QFETCH(double, strength);
        QFETCH(double, ipScale);
        QFETCH(QString, field);
        CharacterSettings c;
        c.identityPanels = identityPanels;
        c.strength = strength;
        c.ipScale = ipScale;
        if (field.isEmpty())
            QVERIFY2(c.problem().isEmpty(), qPrintable(c.problem()));
        else
            QVERIFY2(c.problem().startsWith(field), qPrintable(c.problem()));
    }
};

QTEST_GUILESS_MAIN(TestCharacterSettings)
#include "tst_character_settings.moc"
