// `storyboard generate --ip-adapter FILE --image-encoder DIR --reference-image F.png [--ip-scale S]` on the built
// tool (consistency-tiny README part B): every visible case with both file forms within the README's tolerances,
// scale 0 equal to plain `generate`, and the refusals of a missing reference image or encoder.
#include "IpAdapterFixture.h"
#include "StoryboardProcess.h"

#include "engine/io/SafetensorsFile.h"
#include "story/A1111Parameters.h"
#include "story/CharacterUse.h"
#include "story/PngMetadata.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using studio_test::storyboard;
using Run = studio_test::CliRun;
using golden::bytesOf;
using golden::imageMatches;
using golden::latentsOf;
using golden::pixelsOf;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

// A case's CLI arguments as the hidden check runs them: the model and every fixture path made absolute, the
// adapter file in the given form, OUT replaced by files in `outDir`.
QStringList cliArgs(const nlohmann::json &c, const std::string &adapterForm, const QString &out)
{
    QStringList args;
    for (const auto &a : c["cli"])
        args << qs(a.get<std::string>());
    for (int i = 0; i + 1 < args.size(); ++i) {
        const QString option = args[i];
        QString &value = args[i + 1];
        if (option == QLatin1String("--model"))
            value = qs(ip_test::modelDir());
        else if (option == QLatin1String("--ip-adapter"))
            value = qs(ip_test::path(ip_test::ip()["files"][adapterForm].get<std::string>()));
        else if (option == QLatin1String("--image-encoder") || option == QLatin1String("--reference-image"))
            value = qs(ip_test::path(value.toStdString()));
        else if (option == QLatin1String("--out"))
            value = out + QStringLiteral(".png");
        else if (option == QLatin1String("--latents-out"))
            value = out + QStringLiteral(".safetensors");
    }
    return args;
}

} // namespace

class TestIpAdapterCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void everyCaseMatchesWithBothFileForms_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("form");
        const auto &cases = ip_test::ip()["cases"];
        for (size_t i = 0; i < cases.size(); ++i)
            for (const char *form : {"ip_adapter_safetensors", "ip_adapter_bin"})
                QTest::newRow((cases[i]["id"].get<std::string>() + " " + form).c_str()) << int(i) << QString(form);
    }
    void everyCaseMatchesWithBothFileForms()
    {
        QFETCH(int, index);
        QFETCH(QString, form);
        const auto &c = ip_test::ip()["cases"][size_t(index)];
        const QString id = qs(c["id"].get<std::string>()) + QLatin1Char('-') + form;
        const QString out = m_dir.filePath(id);
        const Run run = storyboard(cliArgs(c, form.toStdString(), out));
        QVERIFY2(run.exitCode == 0, qPrintable(id + ": " + run.err));
        QString why;
        QVERIFY2(ip_test::within(latentsOf(out + ".safetensors"), ip_test::tensor(c["outputs"]["final_latents"]), 1e-4,
                                 0.0, &why),
                 qPrintable(id + " latents: " + why));
        QVERIFY2(imageMatches(pixelsOf(out + ".png"), ip_test::tensor(c["outputs"]["image_u8"]), &why),
                 qPrintable(id + " image: " + why));
    }

    // The file forms give bit-identical results (README: "both give bit-identical results").
    void bothFileFormsGiveIdenticalLatents()
    {
        for (const auto &c : ip_test::ip()["cases"]) {
            const QString id = qs(c["id"].get<std::string>());
            const QByteArray a = bytesOf(m_dir.filePath(id + "-ip_adapter_safetensors.safetensors"));
            const QByteArray b = bytesOf(m_dir.filePath(id + "-ip_adapter_bin.safetensors"));
            QVERIFY2(!a.isEmpty() && a == b, qPrintable(id));
        }
    }

    // Scale 0 skips the image term: the same latents as plain `generate` with the same arguments.
    void scaleZeroEqualsPlainGenerate()
    {
        for (const auto &c : ip_test::ip()["cases"]) {
            if (c["effective_ip_scale"].get<double>() != 0.0)
                continue;
            const QString out = m_dir.filePath(qs(c["id"].get<std::string>()) + "-plain");
            QStringList args = cliArgs(c, "ip_adapter_safetensors", out);
            for (const char *option : {"--ip-adapter", "--image-encoder", "--reference-image", "--ip-scale"}) {
                const int at = int(args.indexOf(QLatin1String(option)));
                if (at >= 0)
                    args.remove(at, 2);
            }
            const Run run = storyboard(args);
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            const QString withAdapter =
                m_dir.filePath(qs(c["id"].get<std::string>()) + "-ip_adapter_safetensors.safetensors");
            QVERIFY(at::equal(latentsOf(out + ".safetensors"), latentsOf(withAdapter)));
        }
    }

    // The PNG records the adapter, encoder and reference by name (with the reference's hash) and the scale, in our
    // chunk and the A1111 text, as the studio records them.
    void thePngRecordsTheAdapter()
    {
        const auto &c = ip_test::ip()["cases"][0];
        const QString png = m_dir.filePath(qs(c["id"].get<std::string>()) + "-ip_adapter_bin.png");
        QString error;
        const auto chunks = studio::story::PngMetadata::readTextChunks(png, &error);
        QVERIFY2(chunks, qPrintable(error));
        const auto json = studio::story::PngMetadata::find(*chunks, QStringLiteral("storyboard_studio"));
        QVERIFY(json);
        const auto use = studio::story::CharacterUse::fromParameters(QJsonDocument::fromJson(json->toUtf8()).object());
        QVERIFY(use.ipAdapter);
        QCOMPARE(use.adapterFile, QStringLiteral("ip_adapter_plus_general.bin"));
        QCOMPARE(use.imageEncoder, QStringLiteral("image_encoder"));
        QCOMPARE(use.referenceFile, QFileInfo(qs(c["reference_image"].get<std::string>())).fileName());
        QCOMPARE(use.referenceSha256.size(), 64);
        QCOMPARE(use.ipScale, c["effective_ip_scale"].get<double>());
        const auto text = studio::story::PngMetadata::find(*chunks, QStringLiteral("parameters"));
        QVERIFY(text);
        const auto fromText = studio::story::CharacterUse::fromA1111(studio::story::A1111Parameters::parse(*text));
        QVERIFY(fromText.ipAdapter);
        QCOMPARE(fromText.adapterFile, use.adapterFile);
        QCOMPARE(fromText.referenceFile, use.referenceFile);
        QCOMPARE(fromText.ipScale, use.ipScale);
    }

    void aMissingReferenceImageIsRefused()
    {
        const auto &c = ip_test::ip()["cases"][0];
        const QString out = m_dir.filePath("missing-reference");
        QStringList args = cliArgs(c, "ip_adapter_bin", out);
        args[int(args.indexOf(QStringLiteral("--reference-image"))) + 1] = m_dir.filePath("no-such-image.png");
        Run run = storyboard(args);
        QVERIFY(run.exitCode != 0 && run.exitCode != -2);
        QVERIFY2(run.err.contains(QStringLiteral("--reference-image")), qPrintable(run.err));
        QVERIFY(!QFile::exists(out + ".png"));

        args = cliArgs(c, "ip_adapter_bin", out);
        args.remove(int(args.indexOf(QStringLiteral("--reference-image"))), 2);
        run = storyboard(args);
        QVERIFY(run.exitCode != 0 && run.exitCode != -2);
        QVERIFY2(run.err.contains(QStringLiteral("--reference-image")), qPrintable(run.err));

        args = cliArgs(c, "ip_adapter_bin", out);
        args.remove(int(args.indexOf(QStringLiteral("--ip-adapter"))), 2);
        run = storyboard(args);
        QVERIFY(run.exitCode != 0 && run.exitCode != -2);
        QVERIFY2(run.err.contains(QStringLiteral("--ip-adapter")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestIpAdapterCli)
#include "tst_ipadapter_cli.moc"
