// What a render of a story's panels runs under its character settings (the rule `render STORY` and the studio
// share), and where the character's reference image comes from.
#include "story/CharacterReference.h"
#include "story/Project.h"
#include "story/StoryRenderPlan.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

namespace {

Project story()
{
    Project p;
    p.title = QStringLiteral("兔子灯");
    p.style.negativePrompt = QStringLiteral("模糊");
    for (int i = 0; i < kPanelCount; ++i) {
        Panel &panel = p.panels[size_t(i)];
        panel.prompt = QStringLiteral("阿月 %1").arg(i + 1);
        panel.seed = 500 + i;
        panel.width = panel.height = 64;
        panel.steps = 4;
    }
    return p;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestStoryRenderPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withoutConsistencyEveryPanelIsItsOwn()
    {
        Project p = story();
        p.panels[6].prompt.clear();
        QString error;
        const auto plan = StoryRenderPlan::make(p, {}, &error);
        QVERIFY2(plan, qPrintable(error));
        QVERIFY(!plan->consistent);
        QCOMPARE(plan->requested, (QList<int>{0, 1, 2, 3, 4, 5, 7}));
        QCOMPARE(plan->skipped, QList<int>{6});
        QVERIFY(plan->rerunIdentity.isEmpty());
        QVERIFY(!plan->consistencyUse(3).any());
    }

    void renderAllRunsTheIdentityPanelsAsPartOfTheStory()
    {
        Project p = story();
        p.character.consistent = true;
        p.character.identityPanels = 3;
        QString error;
        const auto plan = StoryRenderPlan::make(p, {}, &error);
        QVERIFY2(plan, qPrintable(error));
        QVERIFY(plan->consistent);
        QCOMPARE(plan->panelsToRun(), (QList<int>{0, 1, 2, 3, 4, 5, 6, 7}));
        QVERIFY(plan->rerunIdentity.isEmpty()); // all asked for
        QCOMPARE(plan->storySeed, 500);
        QCOMPARE(plan->negativePrompt, QStringLiteral("模糊"));
        QVERIFY(plan->overridden.isEmpty()); // seeds 500 + i, equal settings
        QVERIFY(plan->isIdentityPanel(2));
        QVERIFY(!plan->isIdentityPanel(3));
        const CharacterUse use = plan->consistencyUse(5);
        QCOMPARE(use.panel, 6);
        QCOMPARE(use.identityPrompts,
                 (QStringList{QStringLiteral("阿月 1"), QStringLiteral("阿月 2"), QStringLiteral("阿月 3")}));
        QVERIFY(!use.isIdentityPanel());
    }

    // Asking for a later panel alone re-runs the identity panels (and says which).
    void aLaterPanelReRunsTheIdentityPanels()
    {
        Project p = story();
        p.character.consistent = true;
        p.panels[5].seed = 7; // not 500 + 5: the story's seed rule wins, and the plan says so
        QString error;
        const auto plan = StoryRenderPlan::make(p, {5}, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->requested, QList<int>{5});
        QCOMPARE(plan->rerunIdentity, (QList<int>{0, 1}));
        QCOMPARE(plan->panelsToRun(), (QList<int>{0, 1, 5}));
        QCOMPARE(plan->overridden, QList<int>{5});
        QCOMPARE(StoryRenderPlan::panelList(plan->rerunIdentity), QStringLiteral("1, 2"));
        QCOMPARE(StoryRenderPlan::panelList({0, 1, 2, 3}), QStringLiteral("1–4"));
    }

    void refusesAnIdentityPanelWithoutAPrompt()
    {
        Project p = story();
        p.character.consistent = true;
        p.panels[1].prompt.clear();
        QString error;
        QVERIFY(!StoryRenderPlan::make(p, {4}, &error));
        QVERIFY2(error.contains(QStringLiteral("panel 2 is an identity panel")), qPrintable(error));
    }

    void refusesOutOfRangeSettings()
    {
        Project p = story();
        p.character.consistent = true;
        p.character.identityPanels = kPanelCount + 1;
        QString error;
        QVERIFY(!StoryRenderPlan::make(p, {}, &error));
        QVERIFY2(error.contains(QStringLiteral("identityPanels")), qPrintable(error));
    }

    void referenceFromAFileOrAPanel()
    {
        QTemporaryDir dir;
        Project p = story();
        QString why;
        QVERIFY(CharacterReference::path(p, dir.path(), &why).isEmpty()); // none
        QVERIFY(why.isEmpty());

        // A picked file is copied into characters/; picking the same bytes again reuses it, other bytes get -2.
        const QString outside =
            QDir(dir.path()).filePath(QStringLiteral("../阿月-%1.png").arg(QDir(dir.path()).dirName()));
        writeFile(outside, "png bytes");
        const QString projectDir = QDir(dir.path()).filePath(QStringLiteral("story"));
        QDir().mkpath(projectDir);
        QString error;
        const QString relative = CharacterReference::import(projectDir, outside, &error);
        QVERIFY2(!relative.isEmpty(), qPrintable(error));
        QVERIFY(relative.startsWith(QStringLiteral("characters/")));
        QCOMPARE(CharacterReference::import(projectDir, outside, &error), relative);
        writeFile(outside, "other bytes");
        const QString second = CharacterReference::import(projectDir, outside, &error);
        QVERIFY(second.endsWith(QStringLiteral("-2.png")));
        QFile::remove(outside);

        p.character.reference = ReferenceSource::File;
        p.character.referenceFile = relative;
        QCOMPARE(CharacterReference::path(p, projectDir, &why), QDir(projectDir).filePath(relative));
        QVERIFY(CharacterReference::path(p, QString(), &why).isEmpty()); // unsaved story
        QVERIFY(why.contains(QStringLiteral("not saved")));

        p.character.reference = ReferenceSource::Panel;
        p.character.referencePanel = 0;
        QVERIFY(CharacterReference::path(p, projectDir, &why).isEmpty());
        QVERIFY2(why.contains(QStringLiteral("panel 1 has no chosen image")), qPrintable(why));
        PanelVariant variant;
        variant.path = QStringLiteral("images/panel-01/1.png");
        writeFile(QDir(projectDir).filePath(variant.path), "image");
        p.panels[0].variants.append(variant);
        p.panels[0].chosenVariant = 0;
        QCOMPARE(CharacterReference::path(p, projectDir, &why), QDir(projectDir).filePath(variant.path));
        QCOMPARE(CharacterReference::sha256(QDir(projectDir).filePath(variant.path)),
                 QString::fromLatin1(QCryptographicHash::hash("image", QCryptographicHash::Sha256).toHex()));
    }

    // The IP-Adapter files of a render: none without a reference image; refused (with the download named) when the
    // machine has no IP-Adapter files; recorded by file name and hash, never by absolute path.
    void ipAdapterFilesOfARender()
    {
        QTemporaryDir dir;
        Project p = story();
        QString why;
        const auto none = CharacterReference::files(p, dir.path(), QString(), QString(), &why);
        QVERIFY(none && !none->enabled());
        QVERIFY(!none->use().any());

        writeFile(dir.filePath(QStringLiteral("characters/hero.png")), "hero");
        p.character.reference = ReferenceSource::File;
        p.character.referenceFile = QStringLiteral("characters/hero.png");
        p.character.ipScale = 0.75;
        QVERIFY(!CharacterReference::files(p, dir.path(), QString(), QString(), &why));
        QVERIFY2(why.contains(QStringLiteral("Kolors-IP-Adapter-Plus")), qPrintable(why));

        const QString adapter = dir.filePath(QStringLiteral("ip/ip_adapter_plus_general.bin"));
        writeFile(adapter, "weights");
        const QString encoder = dir.filePath(QStringLiteral("ip/image_encoder"));
        QVERIFY(!CharacterReference::files(p, dir.path(), adapter, encoder, &why)); // no encoder folder
        QVERIFY(QDir().mkpath(encoder));
        const auto files = CharacterReference::files(p, dir.path(), adapter, encoder, &why);
        QVERIFY2(files, qPrintable(why));
        QVERIFY(files->enabled());
        QCOMPARE(files->scale, 0.75);
        QCOMPARE(files->referencePath, dir.filePath(QStringLiteral("characters/hero.png")));
        const CharacterUse use = files->use();
        QVERIFY(use.ipAdapter);
        QCOMPARE(use.adapterFile, QStringLiteral("ip_adapter_plus_general.bin"));
        QCOMPARE(use.imageEncoder, QStringLiteral("image_encoder"));
        QCOMPARE(use.referenceFile, QStringLiteral("hero.png"));
        QCOMPARE(use.referenceSha256,
                 QString::fromLatin1(QCryptographicHash::hash("hero", QCryptographicHash::Sha256).toHex()));
    }
};

QTEST_GUILESS_MAIN(TestStoryRenderPlan)
#include "tst_story_render_plan.moc"
