// `storyboard render STORY` with the story's consistent-character settings on the tiny model (issue 13): a story
// built from a visible consistency-tiny case renders the same panels as `generate-story` (the README's image
// tolerance), each image records the settings, and a later panel rendered alone re-runs the identity panels and
// still comes out the same. Everything is read from cases.json and expected.safetensors.
#include "StoryboardProcess.h"

#include "story/CharacterReference.h"
#include "story/CharacterUse.h"
#include "story/ProjectFile.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cstdlib>

using namespace studio::story;

namespace {

const QString kGolden = QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/consistency-tiny");

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// One uint8 tensor of a .safetensors file (8-byte header length, JSON header, data).
QByteArray u8Tensor(const QString &path, const QString &name, QList<int> *shape)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray lengthBytes = f.read(8);
    if (lengthBytes.size() != 8)
        return {};
    const quint64 length = qFromLittleEndian<quint64>(lengthBytes.constData());
    const QJsonObject header = QJsonDocument::fromJson(f.read(qint64(length))).object();
    const QJsonObject entry = header.value(name).toObject();
    if (entry.value(QStringLiteral("dtype")).toString() != QLatin1String("U8"))
        return {};
    for (const QJsonValue &v : entry.value(QStringLiteral("shape")).toArray())
        *shape << v.toInt();
    const QJsonArray offsets = entry.value(QStringLiteral("data_offsets")).toArray();
    const qint64 begin = offsets.at(0).toInteger(), end = offsets.at(1).toInteger();
    f.seek(8 + qint64(length) + begin);
    return f.read(end - begin);
}

// The README's image tolerance: every value within ±1, at least 99 % exactly equal.
bool imageMatches(const QString &pngPath, const QByteArray &expected, const QList<int> &shape, QString *why)
{
    const QImage image = QImage(pngPath).convertToFormat(QImage::Format_RGB888);
    if (shape.size() != 3 || image.height() != shape[0] || image.width() != shape[1]) {
        *why = QStringLiteral("%1: %2x%3 image").arg(pngPath).arg(image.width()).arg(image.height());
        return false;
    }
    qint64 equal = 0, total = 0;
    for (int y = 0; y < image.height(); ++y) {
        const uchar *row = image.constScanLine(y);
        for (int x = 0; x < image.width() * 3; ++x, ++total) {
            const int diff = std::abs(int(row[x]) - int(uchar(expected[int(y * image.width() * 3 + x)])));
            if (diff > 1) {
                *why = QStringLiteral("%1: value %2 off by %3").arg(pngPath).arg(total).arg(diff);
                return false;
            }
            equal += diff == 0 ? 1 : 0;
        }
    }
    if (equal * 100 < total * 99) {
        *why = QStringLiteral("%1: only %2 of %3 values equal").arg(pngPath).arg(equal).arg(total);
        return false;
    }
    return true;
}

} // namespace

class TestCliRenderStory : public QObject
{
    Q_OBJECT
    QJsonObject m_cases;
    QJsonObject m_case;

    // The story of the case: its prompts in panels 1..n (the rest empty), the shared negative prompt, seeds
    // seed + i, the case's sampling settings and its consistency values.
    QString writeStory(const QString &dir) const
    {
        Project project;
        project.title = m_case.value(QStringLiteral("id")).toString();
        project.style.negativePrompt = m_case.value(QStringLiteral("negative_prompt")).toString();
        const QJsonArray prompts = m_case.value(QStringLiteral("prompts")).toArray();
        for (int i = 0; i < kPanelCount; ++i) {
            Panel &panel = project.panels[size_t(i)];
            panel.prompt = prompts.at(i).toString();
            panel.seed = m_case.value(QStringLiteral("seed")).toInteger() + i;
            panel.steps = m_case.value(QStringLiteral("num_inference_steps")).toInt();
            panel.cfgScale = m_case.value(QStringLiteral("guidance_scale")).toDouble();
            panel.sampler = m_case.value(QStringLiteral("scheduler")).toString();
            panel.width = m_case.value(QStringLiteral("width")).toInt();
            panel.height = m_case.value(QStringLiteral("height")).toInt();
        }
        project.character.consistent = true;
        project.character.identityPanels = m_case.value(QStringLiteral("identity_panels")).toInt();
        project.character.strength = m_case.value(QStringLiteral("consistency")).toDouble();
        project.character.start = m_case.value(QStringLiteral("consistency_start")).toInt();
        const QString path = dir + QStringLiteral("/story.json");
        QString error;
        return ProjectFile::save(project, path, &error) ? path : QString();
    }

    void checkPanel(const Project &project, const QString &dir, int index)
    {
        const PanelVariant *chosen = project.panels[size_t(index)].chosen();
        QVERIFY(chosen);
        const QJsonObject panelCase = m_case.value(QStringLiteral("panels")).toArray().at(index).toObject();
        const QString tensor =
            panelCase.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("image_u8")).toString();
        QList<int> shape;
        const QByteArray expected = u8Tensor(
            kGolden + QLatin1Char('/') + m_cases.value(QStringLiteral("expected_file")).toString(), tensor, &shape);
        QVERIFY2(!expected.isEmpty(), qPrintable(tensor));
        QString why;
        QVERIFY2(imageMatches(dir + QLatin1Char('/') + chosen->path, expected, shape, &why), qPrintable(why));
        QCOMPARE(chosen->seed, panelCase.value(QStringLiteral("seed")).toInteger());
        const CharacterUse use = CharacterUse::fromParameters(chosen->parameters);
        QVERIFY(use.consistent);
        QCOMPARE(use.identityPanels, project.character.identityPanels);
        QCOMPARE(use.strength, project.character.strength);
        QCOMPARE(use.start, project.character.start);
        QCOMPARE(use.panel, index + 1);
        QCOMPARE(use.isIdentityPanel(),
                 panelCase.value(QStringLiteral("role")).toString() == QLatin1String("identity"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cases = readJson(kGolden + QStringLiteral("/cases.json"));
        // The smallest visible story case with CFG, a stochastic sampler and P, S not at their defaults.
        for (const QJsonValue &c :
             m_cases.value(QStringLiteral("story")).toObject().value(QStringLiteral("cases")).toArray())
            if (c.toObject().value(QStringLiteral("id")).toString().startsWith(QLatin1String("story4_k2_euler_a")))
                m_case = c.toObject();
        QVERIFY(!m_case.isEmpty());
        QVERIFY(m_case.value(QStringLiteral("prompts")).toArray().size() <= kPanelCount);
    }

    void renderStoryMatchesGenerateStory()
    {
        QTemporaryDir dir;
        const QString story = writeStory(dir.path());
        QVERIFY(!story.isEmpty());
        const QString model = kGolden + QLatin1Char('/') + m_cases.value(QStringLiteral("model_dir")).toString();
        const studio_test::CliRun all =
            studio_test::storyboard({QStringLiteral("render"), story, QStringLiteral("--model"), model,
                                     QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY2(all.exitCode == 0, qPrintable(all.out + all.err));
        QString error;
        std::optional<Project> project = ProjectFile::load(story, &error);
        QVERIFY2(project, qPrintable(error));
        const int panels = int(m_case.value(QStringLiteral("prompts")).toArray().size());
        for (int i = 0; i < panels; ++i)
            checkPanel(*project, dir.path(), i);
        for (int i = panels; i < kPanelCount; ++i)
            QVERIFY(!project->panels[size_t(i)].chosen()); // no prompt: skipped

        // The last panel alone: the identity panels run again (and say so), their images stay, and the panel is
        // the same image again.
        const int last = panels - 1;
        const QString firstIdentityImage = project->panels[0].chosen()->path;
        const studio_test::CliRun one = studio_test::storyboard(
            {QStringLiteral("render"), story, QStringLiteral("--model"), model, QStringLiteral("--device"),
             QStringLiteral("cpu"), QStringLiteral("--panels"), QString::number(last + 1)});
        QVERIFY2(one.exitCode == 0, qPrintable(one.out + one.err));
        QVERIFY2(one.out.contains(QStringLiteral("identity panels 1, 2 run again")), qPrintable(one.out));
        project = ProjectFile::load(story, &error);
        QVERIFY2(project, qPrintable(error));
        QCOMPARE(project->panels[size_t(last)].variants.size(), 2);
        QCOMPARE(project->panels[0].variants.size(), 1);
        QCOMPARE(project->panels[0].chosen()->path, firstIdentityImage);
        checkPanel(*project, dir.path(), last);
    }

    // A story with a reference image needs this computer's IP-Adapter files; with them every panel records the
    // files by name, the reference's hash and the scale.
    void referenceImageNeedsTheIpAdapterFiles()
    {
        QTemporaryDir dir;
        const QString story = writeStory(dir.path());
        QString error;
        std::optional<Project> project = ProjectFile::load(story, &error);
        QVERIFY2(project, qPrintable(error));
        const QString reference =
            QDir(kGolden + QStringLiteral("/reference")).entryList({QStringLiteral("*.png")}).value(0);
        QVERIFY(!reference.isEmpty());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("characters")));
        QVERIFY(QFile::copy(kGolden + QStringLiteral("/reference/") + reference,
                            dir.filePath(QStringLiteral("characters/")) + reference));
        project->character.reference = ReferenceSource::File;
        project->character.referenceFile = QStringLiteral("characters/") + reference;
        project->character.ipScale = 0.8;
        QVERIFY(ProjectFile::save(*project, story, &error));
        const QString model = kGolden + QLatin1Char('/') + m_cases.value(QStringLiteral("model_dir")).toString();
        const QStringList base = {QStringLiteral("render"),   story,
                                  QStringLiteral("--model"),  model,
                                  QStringLiteral("--device"), QStringLiteral("cpu"),
                                  QStringLiteral("--panels"), QStringLiteral("1")};
        const studio_test::CliRun refused = studio_test::storyboard(base);
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains(QStringLiteral("--ip-adapter FILE")), qPrintable(refused.err));

        const QString ip = kGolden + QStringLiteral("/ip-adapter");
        const studio_test::CliRun run = studio_test::storyboard(
            base + QStringList{QStringLiteral("--ip-adapter"), ip + QStringLiteral("/ip_adapter_plus_general.bin"),
                               QStringLiteral("--image-encoder"), ip + QStringLiteral("/image_encoder")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        project = ProjectFile::load(story, &error);
        QVERIFY2(project, qPrintable(error));
        const CharacterUse use = CharacterUse::fromParameters(project->panels[0].chosen()->parameters);
        QVERIFY(use.ipAdapter);
        QCOMPARE(use.adapterFile, QStringLiteral("ip_adapter_plus_general.bin"));
        QCOMPARE(use.referenceFile, reference);
        QCOMPARE(use.referenceSha256,
                 CharacterReference::sha256(dir.filePath(QStringLiteral("characters/")) + reference));
        QCOMPARE(use.ipScale, 0.8);
        QVERIFY(use.consistent);
    }

    void refusesAnIdentityPanelWithoutAPrompt()
    {
        QTemporaryDir dir;
        const QString story = writeStory(dir.path());
        QString error;
        std::optional<Project> project = ProjectFile::load(story, &error);
        QVERIFY2(project, qPrintable(error));
        project->panels[1].prompt.clear();
        QVERIFY(ProjectFile::save(*project, story, &error));
        const studio_test::CliRun run =
            studio_test::storyboard({QStringLiteral("render"), story, QStringLiteral("--model"),
                                     kGolden + QLatin1Char('/') + m_cases.value(QStringLiteral("model_dir")).toString(),
                                     QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QStringLiteral("panel 2 is an identity panel")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliRenderStory)
#include "tst_cli_render_story.moc"
