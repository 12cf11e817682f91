// The character settings an image was made with: written into the variant's parameters, the PNG's A1111 text and
// our chunk, read back when an image is dropped, and shown on the LoRA card (issue 13).
#include "story/CharacterUse.h"
#include "story/LoraCard.h"
#include "story/PanelMetadata.h"
#include "story/Project.h"

#include <QJsonObject>
#include <QTest>

using namespace studio::story;

namespace {

CharacterUse laterPanelUse()
{
    CharacterUse u;
    u.consistent = true;
    u.identityPanels = 3;
    u.strength = 0.35;
    u.start = 2;
    u.storySeed = 4294967296LL;
    u.panel = 5;
    u.identityPrompts = {QStringLiteral("阿月, 红围巾, 正面"), QStringLiteral("阿月, 侧面"),
                         QStringLiteral("阿月: 背影")};
    u.ipAdapter = true;
    u.adapterFile = QStringLiteral("ip_adapter_plus_general.bin");
    u.imageEncoder = QStringLiteral("image_encoder");
    u.referenceFile = QStringLiteral("阿月, 角色设定.png");
    u.referenceSha256 = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    u.ipScale = 1.3;
    return u;
}

// A story whose panel 5 shows an image made with `use`.
Project storyWithImage(const CharacterUse &use)
{
    Project project;
    project.title = QStringLiteral("兔子灯");
    for (int i = 0; i < kPanelCount; ++i) {
        project.panels[size_t(i)].prompt = QStringLiteral("阿月 %1").arg(i + 1);
        project.panels[size_t(i)].seed = 10 + i;
    }
    PanelVariant variant;
    variant.path = QStringLiteral("images/panel-05/x.png");
    variant.seed = use.storySeed + 4;
    QJsonObject parameters{{QStringLiteral("prompt"), QStringLiteral("阿月 5")},
                           {QStringLiteral("steps"), 12},
                           {QStringLiteral("seed"), variant.seed}};
    use.writeInto(&parameters);
    variant.parameters = parameters;
    Panel &panel = project.panels[4];
    panel.variants.append(variant);
    panel.chosenVariant = 0;
    return project;
}

} // namespace

class TestCharacterUse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parametersRoundTrip()
    {
        const CharacterUse use = laterPanelUse();
        QJsonObject parameters{{QStringLiteral("seed"), 1}};
        use.writeInto(&parameters);
        QVERIFY(parameters.contains(QStringLiteral("consistency")));
        QVERIFY(parameters.contains(QStringLiteral("ipAdapter")));
        QCOMPARE(parameters.value(QStringLiteral("consistency")).toObject().value(QStringLiteral("identity")).toBool(),
                 false);
        QVERIFY(CharacterUse::fromParameters(parameters) == use);
    }

    void nothingIsWrittenWhenOff()
    {
        QJsonObject parameters{{QStringLiteral("seed"), 1}};
        CharacterUse().writeInto(&parameters);
        QCOMPARE(parameters.size(), 1);
        QVERIFY(!CharacterUse::fromParameters(parameters).any());
        A1111Parameters text;
        CharacterUse().addTo(&text);
        QVERIFY(text.entries.isEmpty());
    }

    void identityFlagFollowsThePanel()
    {
        CharacterUse use = laterPanelUse();
        use.panel = 3;
        QVERIFY(use.isIdentityPanel());
        use.panel = 4;
        QVERIFY(!use.isIdentityPanel());
    }

    // The A1111 text keeps everything but the identity prompts, the encoder and the full hash, through quoting.
    void a1111TextRoundTrip()
    {
        const CharacterUse use = laterPanelUse();
        A1111Parameters p;
        p.prompt = QStringLiteral("阿月 5");
        p.setGeneration(12, QStringLiteral("euler"), 5, use.storySeed + 4, 64, 64);
        use.addTo(&p);
        const QString text = p.format();
        QVERIFY2(text.contains(QStringLiteral("Consistency: 0.35")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Identity panels: 3")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("IP-Adapter scale: 1.3")), qPrintable(text));
        const CharacterUse back = CharacterUse::fromA1111(A1111Parameters::parse(text));
        QVERIFY(back.consistent);
        QCOMPARE(back.identityPanels, use.identityPanels);
        QCOMPARE(back.strength, use.strength);
        QCOMPARE(back.start, use.start);
        QCOMPARE(back.storySeed, use.storySeed);
        QCOMPARE(back.panel, use.panel);
        QVERIFY(back.ipAdapter);
        QCOMPARE(back.adapterFile, use.adapterFile);
        QCOMPARE(back.referenceFile, use.referenceFile); // has a comma: quoted and unquoted again
        QCOMPARE(back.ipScale, use.ipScale);
        QCOMPARE(back.referenceSha256, use.referenceSha256.left(12));
    }

    // An exported PNG's chunks carry the settings twice; a dropped image gives them back from our chunk exactly
    // and from the A1111 text alone when our chunk is missing.
    void pngChunksRestoreTheSettings()
    {
        const CharacterUse use = laterPanelUse();
        const Project project = storyWithImage(use);
        QVector<PngTextChunk> chunks = PanelMetadata::chunks(project, 4, std::nullopt, false);
        const QString text = *PngMetadata::find(chunks, PanelMetadata::parametersKeyword());
        QVERIFY2(text.contains(QStringLiteral("Story seed: 4294967296")), qPrintable(text));

        QString error;
        const auto fromOurs = PanelMetadata::restore(chunks, Panel(), &error);
        QVERIFY2(fromOurs, qPrintable(error));
        QCOMPARE(fromOurs->source, PanelMetadata::chunkKeyword());
        QVERIFY(fromOurs->character == use);

        QVector<PngTextChunk> a1111Only;
        for (const PngTextChunk &chunk : chunks)
            if (chunk.keyword == PanelMetadata::parametersKeyword())
                a1111Only.append(chunk);
        const auto fromText = PanelMetadata::restore(a1111Only, Panel(), &error);
        QVERIFY2(fromText, qPrintable(error));
        QVERIFY(fromText->character.consistent);
        QCOMPARE(fromText->character.identityPanels, 3);
        QCOMPARE(fromText->character.ipScale, 1.3);
    }

    void restoredSettingsMakeTheImageAgain()
    {
        const CharacterUse use = laterPanelUse();
        CharacterSettings current;
        current.identityPanels = 1;
        QString note;
        const CharacterSettings s = use.settings(current, &note);
        QVERIFY(s.consistent);
        QCOMPARE(s.identityPanels, 3);
        QCOMPARE(s.strength, 0.35);
        QCOMPARE(s.start, 2);
        QCOMPARE(s.ipScale, 1.3);
        // The reference file cannot come out of an image: the note names the one to choose.
        QVERIFY(note.contains(use.referenceFile));
        QVERIFY(s.problem().isEmpty());

        CharacterUse plain;
        current.consistent = true;
        current.reference = ReferenceSource::Panel;
        const CharacterSettings off = plain.settings(current, &note);
        QVERIFY(!off.consistent);
        QCOMPARE(off.reference, ReferenceSource::None);
        QVERIFY(note.isEmpty());
    }

    void loraCardShowsTheCharacterSettings()
    {
        const Project project = storyWithImage(laterPanelUse());
        const QString card = LoraCard::markdown(project, std::nullopt);
        QVERIFY2(card.contains(QStringLiteral("## 角色一致性 / Consistent character")), qPrintable(card));
        QVERIFY(card.contains(QStringLiteral("identity panels 1–3")));
        QVERIFY(card.contains(QStringLiteral("fraction 0.35")));
        QVERIFY(card.contains(QStringLiteral("Story seed 4294967296")));
        QVERIFY(card.contains(laterPanelUse().referenceSha256));
        QVERIFY(card.contains(QStringLiteral("scale 1.3")));

        Project plain = project;
        plain.panels[4].variants.clear();
        plain.panels[4].chosenVariant = -1;
        QVERIFY(!LoraCard::markdown(plain, std::nullopt).contains(QStringLiteral("Consistent character")));
        plain.character.consistent = true; // saved, not rendered yet: the story's settings
        QVERIFY(LoraCard::markdown(plain, std::nullopt).contains(QStringLiteral("identity panels 1–2")));
    }
};

QTEST_GUILESS_MAIN(TestCharacterUse)
#include "tst_character_use.moc"
