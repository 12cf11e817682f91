// The trainer's record beside a LoRA (`<lora>.training.json`) reaches the LoRA card: how the LoRA was trained
// (data count, preparation, rank, alpha, lr, steps, resolution, seed, precision, base-model hash). A broken or
// absent record leaves the card without that section, never without the card.
#include "story/LoraCard.h"
#include "story/LoraFacts.h"
#include "story/LoraTrainingFacts.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace studio::story;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// As engine/api/Training.h's trainingFactsToJson writes it.
const QByteArray kRecord = R"({
  "tool": "storyboard train-lora 0.1.0",
  "format": "diffsynth",
  "imageCount": 13,
  "dataPreparation": "Data-Juicer config dj.yaml; filters: image_shape_filter(min_width=1024); kept 13 of 28",
  "rank": 16,
  "alpha": 4.0,
  "learningRate": 0.0001,
  "steps": 300,
  "stepsPlanned": 500,
  "resolution": 1024,
  "centerCrop": true,
  "seed": 42,
  "precision": "fp16",
  "device": "cuda:0",
  "baseModel": "Kolors",
  "baseModelHash": "sha256:abc123",
  "initLora": "",
  "finalSmoothedLoss": 0.0812,
  "finishedAtUtc": "2026-12-05T17:00:00Z"
})";

} // namespace

class TestLoraTrainingFacts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cardStatesHowTheLoraWasTrained()
    {
        QTemporaryDir tmp;
        const QString lora = tmp.filePath(QStringLiteral("story-lora.ckpt"));
        writeFile(lora, QByteArray("PK\x03\x04 not really a zip", 24));
        writeFile(LoraTrainingFacts::sidecarPath(lora), kRecord);
        QString error;
        const std::optional<LoraFacts> facts = LoraFacts::inspect(lora, &error);
        QVERIFY2(facts, qPrintable(error));
        QVERIFY(facts->training);
        QCOMPARE(facts->training->imageCount, 13);
        QCOMPARE(facts->training->seed, quint64(42));
        Project project;
        project.title = QStringLiteral("灯笼");
        const QString card = LoraCard::markdown(project, facts, QStringLiteral("grid.png"));
        for (const char *line : {"## 训练方式 / How it was trained", "| Training images / 训练图片数 | 13 |",
                                 "| Rank | 16 |", "| Alpha (α) | 4 |", "| Learning rate / 学习率 | 0.0001 |",
                                 "| Steps / 步数 | 300 of 500 planned |", "| Resolution / 分辨率 | 1024 px, centre crop |",
                                 "| Seed / 种子 | 42 |", "| Precision / 精度 | fp16 |", "| Base model hash | `sha256:abc123` |",
                                 "image\\_shape\\_filter"})
            QVERIFY2(card.contains(QString::fromUtf8(line)), line);
    }

    void brokenOrMissingRecord()
    {
        QTemporaryDir tmp;
        const QString lora = tmp.filePath(QStringLiteral("x.safetensors"));
        writeFile(lora, QByteArray(16, '\0'));
        std::optional<LoraFacts> facts = LoraFacts::inspect(lora, nullptr);
        QVERIFY(facts);
        QVERIFY(!facts->training);
        writeFile(LoraTrainingFacts::sidecarPath(lora), "{\"rank\": ");
        QString error;
        QVERIFY(!LoraTrainingFacts::read(lora, &error));
        QVERIFY(error.contains(QStringLiteral(".training.json")));
        facts = LoraFacts::inspect(lora, nullptr);
        QVERIFY(facts); // the card still gets the file facts
        QVERIFY(!facts->training);
        QVERIFY(!LoraCard::markdown(Project(), facts, QStringLiteral("grid.png")).contains(QStringLiteral("How it was trained")));
    }
};

QTEST_GUILESS_MAIN(TestLoraTrainingFacts)
#include "tst_lora_training_facts.moc"
