// `storyboard generate-story` as a user runs it, against every visible consistency-tiny story case (the case's
// own CLI arguments), plus P = 0 against plain `generate --seed seed+i`, the prompts-file rules, refused K and help.

#include "ConsistencyGolden.h"
#include "GoldenData.h"
#include "StoryboardProcess.h"

#include "engine/io/SafetensorsFile.h"
#include "story/PngMetadata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstring>

using studio_test::storyboard;
using Run = studio_test::CliRun;
namespace cg = consistency_golden;

namespace {

at::Tensor readLatents(const QString &path)
{
    return studio::engine::SafetensorsFile::open(path.toStdString())->tensor("latents").clone();
}

at::Tensor readPixels(const QString &path)
{
    QImage image(path);
    if (image.isNull())
        return {};
    image = image.convertToFormat(QImage::Format_RGB888);
    at::Tensor pixels = at::empty({image.height(), image.width(), 3}, at::kByte);
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(pixels[y].data_ptr<uint8_t>(), image.constScanLine(y), size_t(image.width()) * 3);
    return pixels;
}

// The case's own command line with OUT and LAT replaced; run from the fixture folder (its paths are relative).
Run runCase(const nlohmann::json &c, const QString &outDir, const QString &latentsDir)
{
    QStringList args;
    for (const auto &arg : c["cli"]) {
        const QString a = QString::fromStdString(arg.get<std::string>());
        args << (a == QLatin1String("OUT") ? outDir : a == QLatin1String("LAT") ? latentsDir : a);
    }
    return storyboard(args, QString::fromStdString(cg::dir()));
}

QString panelName(int oneBased, const char *suffix)
{
    return QStringLiteral("panel-%1%2").arg(oneBased, 2, 10, QLatin1Char('0')).arg(QLatin1String(suffix));
}

} // namespace

class TestGenerateStoryCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QStringList smallStory(const QString &prompts, const QString &out) const
    {
        return {"generate-story", "--model", QString::fromStdString(cg::modelDir()), "--prompts", prompts, "--seed", "7",
                "--steps", "1", "--cfg", "1", "--width", "64", "--height", "64", "--device", "cpu", "--out-dir", out};
    }

    // P = 0 shares nothing: a panel equals plain `generate --seed seed+i` (checked for the first identity panel and
    // the first later one, from the story's latents in `lat`).
    void checkPlainEquivalence(const nlohmann::json &c, const QString &lat)
    {
        const int K = c["identity_panels"].get<int>();
        for (int index : {1, K + 1}) {
            const auto &panel = c["panels"][index - 1];
            const QString plain = m_dir.filePath(QStringLiteral("plain-%1.safetensors").arg(index));
            QStringList args{"generate",
                             "--model",
                             QString::fromStdString(cg::modelDir()),
                             "--prompt",
                             QString::fromStdString(c["prompts"][index - 1].get<std::string>()),
                             "--seed",
                             QString::number(panel["seed"].get<qint64>()),
                             "--steps",
                             QString::number(c["num_inference_steps"].get<int>()),
                             "--cfg",
                             QString::number(c["guidance_scale"].get<double>()),
                             "--sampler",
                             QString::fromStdString(c["scheduler"].get<std::string>()),
                             "--width",
                             QString::number(c["width"].get<int>()),
                             "--height",
                             QString::number(c["height"].get<int>()),
                             "--device",
                             "cpu",
                             "--out",
                             m_dir.filePath(QStringLiteral("plain-%1.png").arg(index)),
                             "--latents-out",
                             plain};
            if (!c["negative_prompt"].is_null())
                args << "--negative" << QString::fromStdString(c["negative_prompt"].get<std::string>());
            const Run generate = storyboard(args);
            QVERIFY2(generate.exitCode == 0, qPrintable(generate.err));
            const at::Tensor plainLatents = readLatents(plain);
            GOLDEN_NEAR(readLatents(QDir(lat).filePath(panelName(index, ".safetensors"))), plainLatents,
                        1e-4 * golden::maxAbs(plainLatents), QStringLiteral("panel %1 vs plain generate").arg(index));
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Every visible case through its own command line; the P = 0 case also against plain generate.
    void everyVisibleCaseMatches()
    {
        int plainChecked = 0;
        for (const auto &c : cg::cases()["story"]["cases"]) {
            const QString id = QString::fromStdString(c["id"].get<std::string>());
            // Nested folders that do not exist yet: the command creates them.
            const QString out = m_dir.filePath(id + "/images/png"), lat = m_dir.filePath(id + "/lat/a");
            const Run run = runCase(c, out, lat);
            QVERIFY2(run.exitCode == 0, qPrintable(id + ": " + run.err));
            QCOMPARE(QDir(out).entryList(QDir::Files).size(), int(c["panels"].size()));
            for (const auto &panel : c["panels"]) {
                const QString what = id + " " + QString::fromStdString(panel["png"].get<std::string>());
                const auto &outputs = panel["outputs"];
                const at::Tensor ref = cg::tensor(outputs["final_latents"]);
                const at::Tensor mine = readLatents(QDir(lat).filePath(QString::fromStdString(panel["latents"])));
                QCOMPARE(mine.scalar_type(), at::kFloat);
                GOLDEN_NEAR(mine, ref, 1e-4 * golden::maxAbs(ref), what + " latents");
                const at::Tensor pixels = readPixels(QDir(out).filePath(QString::fromStdString(panel["png"])));
                QVERIFY2(pixels.defined(), qPrintable(what));
                const at::Tensor refU8 = cg::tensor(outputs["image_u8"]).to(at::kInt);
                GOLDEN_NEAR(pixels.to(at::kInt), refU8, 1.0, what + " pixels");
                QVERIFY((pixels.to(at::kInt) == refU8).to(at::kDouble).mean().item<double>() >= 0.99);
            }
            if (c["effective_consistency"].get<double>() == 0.0) {
                checkPlainEquivalence(c, lat);
                if (QTest::currentTestFailed())
                    return;
                ++plainChecked;
            }
        }
        QCOMPARE(plainChecked, 1);
    }

    // One prompt per line, split on \n, one trailing \r dropped, empty lines skipped, nothing else trimmed.
    void promptsFileRules()
    {
        const QString prompts = m_dir.filePath("rules.txt");
        QFile file(prompts);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("first panel\r\n\r\n  second, spaces kept \n\n\nthird\r\r\n");
        file.close();
        const QString out = m_dir.filePath("rules");
        QStringList args = smallStory(prompts, out);
        args << "--identity-panels" << "1";
        const Run run = storyboard(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 3);
        const QStringList expected{"first panel", "  second, spaces kept ", "third\r"};
        for (int i = 0; i < 3; ++i) {
            QString error;
            const auto chunks = studio::story::PngMetadata::readTextChunks(QDir(out).filePath(panelName(i + 1, ".png")),
                                                                           &error);
            QVERIFY2(chunks.has_value(), qPrintable(error));
            const auto json = studio::story::PngMetadata::find(*chunks, QStringLiteral("storyboard_studio"));
            QVERIFY(json.has_value());
            const QJsonObject object = QJsonDocument::fromJson(json->toUtf8()).object();
            QCOMPARE(object.value("prompt").toString(), expected[i]);
            QCOMPARE(object.value("seed").toInteger(), qint64(7 + i));
        }
    }

    void identityPanelsOutsideTheStoryAreRefused()
    {
        const auto &c = cg::cases()["story"]["cases"][0];
        const int n = int(c["prompts"].size());
        const QString prompts = QString::fromStdString(cg::dir() + "/" + c["prompts_file"].get<std::string>());
        for (int k : {0, n + 1}) {
            const QString out = m_dir.filePath(QStringLiteral("refused-%1").arg(k + 1));
            QStringList args = smallStory(prompts, out);
            args << "--identity-panels" << QString::number(k);
            const Run run = storyboard(args);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("--identity-panels"), qPrintable(run.err));
            QVERIFY(!QFileInfo::exists(out));
        }
        for (const QStringList &extra : {QStringList{"--consistency", "1.5"}, QStringList{"--panels", "9"}}) {
            QStringList args = smallStory(prompts, m_dir.filePath("refused"));
            args << extra;
            const Run run = storyboard(args);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(extra.front()), qPrintable(run.err));
        }
        const Run empty = storyboard(smallStory(m_dir.filePath("missing.txt"), m_dir.filePath("refused")));
        QCOMPARE(empty.exitCode, 1);
        QVERIFY(empty.err.contains("--prompts"));
    }

    void helpGoesToStdout()
    {
        const Run help = storyboard({"generate-story", "--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char *option : {"--prompts", "--identity-panels", "--consistency", "--consistency-start",
                                   "--out-dir", "--latents-out-dir", "--device"})
            QVERIFY2(help.out.contains(option), option);
        QVERIFY(help.err.isEmpty());
    }
};

QTEST_MAIN(TestGenerateStoryCli)
#include "TestGenerateStoryCli.moc"
