// Engine choices that change an image without an A1111 key (issue 16 point 3: the ChatGLM text encoder quantized to
// int8/int4): a story panel's PNG says so in its A1111 text and our chunk, and the LoRA card names the panels.
#include "story/LoraCard.h"
#include "story/PanelMetadata.h"
#include "story/PngMetadata.h"
#include "story/Project.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace studio::story;

namespace {

// A story whose panels 2 and 5 show images made with the text encoder quantized to `quant` (the engine
// parameters as bridge::generationParameters writes them).
Project storyRenderedWith(const QString &quant)
{
    Project project;
    for (int index : {1, 4}) {
        PanelVariant variant;
        variant.path = QStringLiteral("images/panel-%1/x.png").arg(index + 1);
        variant.parameters = QJsonObject{{QStringLiteral("prompt"), QStringLiteral("阿月")},
                                         {QStringLiteral("steps"), 2},
                                         {QStringLiteral("textEncoderQuant"), quant}};
        Panel &panel = project.panels[size_t(index)];
        panel.variants.append(variant);
        panel.chosenVariant = 0;
    }
    return project;
}

} // namespace

class TestEngineChoices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quantizationIsInBothTextsAndTheCard()
    {
        const Project project = storyRenderedWith(QStringLiteral("int4"));
        const QVector<PngTextChunk> chunks = PanelMetadata::chunks(project, 4, std::nullopt, false);
        const QString a1111 = *PngMetadata::find(chunks, PanelMetadata::parametersKeyword());
        QVERIFY2(a1111.contains(QStringLiteral("Text encoder quantization: int4")), qPrintable(a1111));
        const QJsonObject ours =
            QJsonDocument::fromJson(PngMetadata::find(chunks, PanelMetadata::chunkKeyword())->toUtf8()).object();
        QCOMPARE(ours.value(QStringLiteral("engine")).toObject().value(QStringLiteral("textEncoderQuant")).toString(),
                 QStringLiteral("int4"));
        const QString card = LoraCard::markdown(project, std::nullopt);
        QVERIFY2(card.contains(QStringLiteral("ChatGLM3 quantized to int4 (weight-only, per-row absmax) for panels 2, 5")),
                 qPrintable(card));
    }

    void unquantizedAddsNothing()
    {
        for (const QString &quant : {QStringLiteral("none"), QString()}) {
            const Project project = storyRenderedWith(quant);
            const QString a1111 = PanelMetadata::a1111(project, 4, std::nullopt).format();
            QVERIFY2(!a1111.contains(QStringLiteral("Text encoder")), qPrintable(a1111));
            QVERIFY(!LoraCard::markdown(project, std::nullopt).contains(QStringLiteral("quantized")));
        }
    }
};

QTEST_GUILESS_MAIN(TestEngineChoices)
#include "tst_engine_choices.moc"
