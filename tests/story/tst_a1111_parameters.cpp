// The A1111 "parameters" text: writing it like A1111 does, and reading it back from ours and other tools.
#include "story/A1111Parameters.h"
#include "story/Project.h"

#include <QTest>

using namespace studio::story;

Q_DECLARE_METATYPE(A1111Parameters)

class TestA1111Parameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsLikeA1111()
    {
        A1111Parameters p;
        p.prompt = QStringLiteral("a girl under cherry blossoms, watercolor");
        p.negativePrompt = QStringLiteral("lowres, bad hands");
        p.setGeneration(25, QStringLiteral("dpmpp_2m_karras"), 5.0, 1234, 1024, 768);
        p.set(QStringLiteral("Model"), QStringLiteral("kolors"));
        QCOMPARE(p.format(), QStringLiteral("a girl under cherry blossoms, watercolor\n"
                                            "Negative prompt: lowres, bad hands\n"
                                            "Steps: 25, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5, "
                                            "Seed: 1234, Size: 1024x768, Model: kolors"));
    }

    void negativeLineOmittedWhenEmpty()
    {
        A1111Parameters p;
        p.prompt = QStringLiteral("一只猫");
        p.setGeneration(20, QStringLiteral("euler_a"), 7.5, 1, 512, 512);
        QCOMPARE(p.format(),
                 QStringLiteral("一只猫\nSteps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 1, Size: 512x512"));
    }

    void quotesValuesLikeA1111()
    {
        QCOMPARE(A1111Parameters::quoteValue(QStringLiteral("plain value")), QStringLiteral("plain value"));
        QCOMPARE(A1111Parameters::quoteValue(QStringLiteral("a: 1, b: 2")), QStringLiteral("\"a: 1, b: 2\""));
        QCOMPARE(A1111Parameters::quoteValue(QStringLiteral("line\nbreak \"q\" \\")),
                 QStringLiteral("\"line\\nbreak \\\"q\\\" \\\\\""));
        QCOMPARE(A1111Parameters::quoteValue(QStringLiteral("中文,逗号")), QStringLiteral("\"中文,逗号\""));
    }

    void samplerNamesBothWays()
    {
        for (const QString &ours : samplerNames()) {
            const QString display = A1111Parameters::samplerDisplayName(ours);
            QCOMPARE(A1111Parameters::samplerFromDisplayName(display, A1111Parameters::scheduleTypeFor(ours)),
                     std::optional<QString>(ours));
            // Our own names are understood too (ComfyUI and sd.cpp write them).
            QCOMPARE(A1111Parameters::samplerFromDisplayName(ours), std::optional<QString>(ours));
        }
        QCOMPARE(A1111Parameters::samplerDisplayName(QStringLiteral("euler")), QStringLiteral("Euler"));
        QCOMPARE(A1111Parameters::samplerDisplayName(QStringLiteral("euler_a")), QStringLiteral("Euler a"));
        QCOMPARE(A1111Parameters::samplerDisplayName(QStringLiteral("dpmpp_2m")), QStringLiteral("DPM++ 2M"));
        QCOMPARE(A1111Parameters::samplerDisplayName(QStringLiteral("ddim")), QStringLiteral("DDIM"));
        QCOMPARE(A1111Parameters::scheduleTypeFor(QStringLiteral("dpmpp_2m")), QString());
    }

    void samplerAliases_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("schedule");
        QTest::addColumn<QString>("expected"); // empty = unknown
        QTest::newRow("old A1111 karras") << "DPM++ 2M Karras"
                                          << ""
                                          << "dpmpp_2m_karras";
        QTest::newRow("A1111 1.9 automatic") << "DPM++ 2M"
                                             << "Automatic"
                                             << "dpmpp_2m";
        QTest::newRow("sd.cpp") << "dpm++2m karras"
                                << ""
                                << "dpmpp_2m_karras";
        QTest::newRow("sd.cpp discrete") << "euler_a discrete"
                                         << ""
                                         << "euler_a";
        QTest::newRow("sd.cpp v2") << "dpm++2mv2"
                                   << ""
                                   << "dpmpp_2m";
        QTest::newRow("comfy karras in scheduler") << "dpmpp_2m"
                                                   << "karras"
                                                   << "dpmpp_2m_karras";
        QTest::newRow("k-diffusion") << "k_euler_ancestral"
                                     << ""
                                     << "euler_a";
        QTest::newRow("Euler A capital") << "Euler A"
                                         << ""
                                         << "euler_a";
        QTest::newRow("euler with karras") << "Euler"
                                           << "Karras"
                                           << "euler";
        QTest::newRow("ddim trailing") << "ddim_trailing"
                                       << ""
                                       << "ddim";
        QTest::newRow("unknown") << "DPM++ 2M SDE"
                                 << "Karras"
                                 << "";
        QTest::newRow("heun") << "Heun"
                              << ""
                              << "";
        QTest::newRow("empty") << ""
                               << ""
                               << "";
    }
    void samplerAliases()
    {
        QFETCH(QString, name);
        QFETCH(QString, schedule);
        QFETCH(QString, expected);
        const std::optional<QString> got = A1111Parameters::samplerFromDisplayName(name, schedule);
        if (expected.isEmpty())
            QVERIFY2(!got, qPrintable(got.value_or(QString())));
        else
            QCOMPARE(got, std::optional<QString>(expected));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("negative");
        QTest::addColumn<QString>("extraValue");
        QTest::newRow("simple") << "a cat"
                                << "blurry"
                                << "v1";
        QTest::newRow("chinese") << "国风水彩，小女孩提着兔子灯笼，元宵节"
                                 << "丑陋、变形、模糊"
                                 << "灯影小队";
        QTest::newRow("multi-line prompt") << "line one\nline two, with comma\nthird: colon"
                                           << ""
                                           << "x";
        QTest::newRow("multi-line negative") << "p"
                                             << "bad\nworse"
                                             << "y";
        QTest::newRow("quoted values") << "p"
                                       << "n"
                                       << "a, b: \"c\"\nd\\e";
        QTest::newRow("lora tag") << "<lora:style:0.8>, a girl, (masterpiece:1.2)"
                                  << "(worst quality:1.4)"
                                  << "z";
        QTest::newRow("empty prompt") << ""
                                      << "only negative"
                                      << "w";
    }
    void roundTrip()
    {
        QFETCH(QString, prompt);
        QFETCH(QString, negative);
        QFETCH(QString, extraValue);
        A1111Parameters p;
        p.prompt = prompt;
        p.negativePrompt = negative;
        p.setGeneration(30, QStringLiteral("dpmpp_2m_karras"), 4.5, 4294967295LL, 1024, 1536);
        p.set(QStringLiteral("Lora hashes"), QStringLiteral("story: 0123456789"));
        p.set(QStringLiteral("Extra"), extraValue);
        const A1111Parameters back = A1111Parameters::parse(p.format());
        QCOMPARE(back.prompt, p.prompt);
        QCOMPARE(back.negativePrompt, p.negativePrompt);
        QCOMPARE(back.entries, p.entries);
        QVERIFY(back == p);
        QCOMPARE(back.seed(), std::optional<qint64>(4294967295LL));
        QCOMPARE(back.steps(), std::optional<int>(30));
        QCOMPARE(back.cfgScale(), std::optional<double>(4.5));
        QCOMPARE(back.size(), std::optional<QSize>(QSize(1024, 1536)));
        QCOMPARE(back.sampler(), std::optional<QString>(QStringLiteral("dpmpp_2m_karras")));
    }

    void parsesRealWorldA1111()
    {
        // Layout of a typical A1111 1.10 PNG Info text (values made up).
        const QString text =
            QStringLiteral("masterpiece, best quality, 1girl, <lora:lanternStyle_v1:0.7>,\n"
                           "red coat, night market\n"
                           "Negative prompt: (worst quality:1.4), lowres,\n"
                           "bad hands\n"
                           "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 3141592653, "
                           "Size: 832x1216, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, VAE hash: 235745af8d, "
                           "VAE: sdxl_vae.safetensors, Clip skip: 2, "
                           "Lora hashes: \"lanternStyle_v1: 9d5c1f2a3b4c\", "
                           "TI hashes: \"bad-hands-5: aa7651be154c\", Version: v1.10.1");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(
            p.prompt,
            QStringLiteral("masterpiece, best quality, 1girl, <lora:lanternStyle_v1:0.7>,\nred coat, night market"));
        QCOMPARE(p.negativePrompt, QStringLiteral("(worst quality:1.4), lowres,\nbad hands"));
        QCOMPARE(p.seed(), std::optional<qint64>(3141592653LL));
        QCOMPARE(p.steps(), std::optional<int>(28));
        QCOMPARE(p.cfgScale(), std::optional<double>(6.5));
        QCOMPARE(p.size(), std::optional<QSize>(QSize(832, 1216)));
        QCOMPARE(p.sampler(), std::optional<QString>(QStringLiteral("dpmpp_2m_karras")));
        QCOMPARE(p.value(QStringLiteral("lora hashes")), QStringLiteral("lanternStyle_v1: 9d5c1f2a3b4c"));
        QCOMPARE(p.value(QStringLiteral("Version")), QStringLiteral("v1.10.1"));
        QCOMPARE(p.value(QStringLiteral("Clip skip")), QStringLiteral("2"));
    }

    void parsesOldA1111WithCrlfAndBom()
    {
        const QString text =
            QChar(0xFEFF) +
            QStringLiteral(
                "  a castle on a hill\r\nNegative prompt: fog\r\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, "
                "Seed: 42, Size: 512x768, Model hash: 6ce0161689\r\n\r\n");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(p.prompt, QStringLiteral("a castle on a hill"));
        QCOMPARE(p.negativePrompt, QStringLiteral("fog"));
        QCOMPARE(p.sampler(), std::optional<QString>(QStringLiteral("dpmpp_2m_karras")));
        QCOMPARE(p.size(), std::optional<QSize>(QSize(512, 768)));
    }

    void parsesStableDiffusionCpp()
    {
        // The layout written by stable-diffusion.cpp's get_image_params (no negative line when empty).
        const QString text = QStringLiteral(
            "a lovely cat holding a lantern\n"
            "Steps: 20, CFG scale: 7.000000, Guidance: 3.500000, Eta: 0.000000, Seed: 42, Size: 1024x1024, "
            "Model: kolors-unet.safetensors, RNG: cuda, Sampler: euler_a karras, Version: stable-diffusion.cpp");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(p.prompt, QStringLiteral("a lovely cat holding a lantern"));
        QCOMPARE(p.negativePrompt, QString());
        QCOMPARE(p.cfgScale(), std::optional<double>(7.0));
        QCOMPARE(p.seed(), std::optional<qint64>(42));
        QCOMPARE(p.sampler(), std::optional<QString>(QStringLiteral("euler_a")));
        QCOMPARE(p.value(QStringLiteral("RNG")), QStringLiteral("cuda"));
    }

    void parsesFooocusA1111Mode()
    {
        const QString text =
            QStringLiteral("cinematic still, lanterns over a river, highly detailed\n"
                           "Negative prompt: unrealistic, saturated, low quality\n"
                           "Steps: 30, Sampler: DPM++ 2M SDE, Seed: 1357924680, Size: 1152x896, Sharpness: 2, "
                           "ADM Guidance: \"(1.5, 0.8, 0.3)\", Styles: \"['Fooocus V2', 'Fooocus Enhance']\", "
                           "Raw prompt: lanterns over a river, Raw negative prompt: , Performance: Speed, "
                           "CFG scale: 4, Version: Fooocus v2.5.5");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(p.prompt, QStringLiteral("cinematic still, lanterns over a river, highly detailed"));
        QCOMPARE(p.value(QStringLiteral("Styles")), QStringLiteral("['Fooocus V2', 'Fooocus Enhance']"));
        QCOMPARE(p.value(QStringLiteral("ADM Guidance")), QStringLiteral("(1.5, 0.8, 0.3)"));
        QCOMPARE(p.value(QStringLiteral("Raw prompt")), QStringLiteral("lanterns over a river"));
        QCOMPARE(p.cfgScale(), std::optional<double>(4.0));
        QVERIFY(!p.sampler()); // DPM++ 2M SDE is not one of ours
        QCOMPARE(p.value(QStringLiteral("Sampler")), QStringLiteral("DPM++ 2M SDE"));
    }

    void parsesFooocusJsonScheme()
    {
        const QString text = QStringLiteral(
            "{\"adm_guidance\": \"(1.5, 0.8, 0.3)\", \"base_model\": \"juggernautXL_v8Rundiffusion\", "
            "\"full_negative_prompt\": [\"bad\"], \"guidance_scale\": 4.5, \"negative_prompt\": \"blurry\", "
            "\"performance\": \"Speed\", \"prompt\": \"灯笼, 夜晚\", \"resolution\": \"(896, 1152)\", "
            "\"sampler\": \"dpmpp_2m_sde_gpu\", \"scheduler\": \"karras\", \"seed\": \"987654321\", "
            "\"sharpness\": 2.0, \"steps\": 30, \"styles\": \"['Fooocus V2']\", \"version\": \"Fooocus v2.5.5\"}");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(p.prompt, QStringLiteral("灯笼, 夜晚"));
        QCOMPARE(p.negativePrompt, QStringLiteral("blurry"));
        QCOMPARE(p.seed(), std::optional<qint64>(987654321));
        QCOMPARE(p.steps(), std::optional<int>(30));
        QCOMPARE(p.cfgScale(), std::optional<double>(4.5));
        QCOMPARE(p.size(), std::optional<QSize>(QSize(896, 1152)));
        QCOMPARE(p.value(QStringLiteral("Model")), QStringLiteral("juggernautXL_v8Rundiffusion"));
    }

    void parsesInvokeAiJson()
    {
        const QString text = QStringLiteral(
            "{\"positive_prompt\": \"a red lantern\", \"negative_prompt\": \"\", \"seed\": 5, \"steps\": 12, "
            "\"cfg_scale\": 6, \"scheduler\": \"euler_a\", \"width\": 768, \"height\": 512, "
            "\"model\": {\"name\": \"sdxl\"}}");
        const A1111Parameters p = A1111Parameters::parse(text);
        QCOMPARE(p.prompt, QStringLiteral("a red lantern"));
        QCOMPARE(p.seed(), std::optional<qint64>(5));
        QCOMPARE(p.size(), std::optional<QSize>(QSize(768, 512)));
    }

    void lastLineWithFewPairsIsPrompt()
    {
        // Fewer than three "key: value" pairs: the last line belongs to the prompt (A1111's rule).
        const A1111Parameters p = A1111Parameters::parse(QStringLiteral("a portrait\nstyle: oil, mood: calm"));
        QCOMPARE(p.prompt, QStringLiteral("a portrait\nstyle: oil, mood: calm"));
        QVERIFY(p.entries.isEmpty());
        const A1111Parameters single = A1111Parameters::parse(QStringLiteral("just a prompt"));
        QCOMPARE(single.prompt, QStringLiteral("just a prompt"));
        QVERIFY(!single.seed());
    }

    void lenientWithJunk()
    {
        for (const QString &text : {QString(), QStringLiteral("\n\n"), QStringLiteral("Negative prompt:"),
                                    QStringLiteral("{not json"), QStringLiteral("Seed: x, Steps: y, Size: big"),
                                    QStringLiteral("\"\"\"\\\\:::,,,"), QString(10000, QLatin1Char(',')),
                                    QStringLiteral("Steps: 20, Seed: \"unterminated, Size: 1x1, CFG scale: 3")}) {
            const A1111Parameters p = A1111Parameters::parse(text);
            Q_UNUSED(p.seed());
            Q_UNUSED(p.size());
            Q_UNUSED(p.sampler());
        }
        const A1111Parameters bad = A1111Parameters::parse(QStringLiteral("p\nSeed: x, Steps: y, Size: big"));
        QVERIFY(!bad.seed());
        QVERIFY(!bad.steps());
        QVERIFY(!bad.size());
    }

    void setReplacesInPlace()
    {
        A1111Parameters p;
        p.set(QStringLiteral("Steps"), QStringLiteral("1"));
        p.set(QStringLiteral("Seed"), QStringLiteral("2"));
        p.set(QStringLiteral("steps"), QStringLiteral("3"));
        QCOMPARE(p.entries.size(), 2);
        QCOMPARE(p.entries.first().value, QStringLiteral("3"));
        p.remove(QStringLiteral("STEPS"));
        QVERIFY(!p.contains(QStringLiteral("Steps")));
    }
};

QTEST_GUILESS_MAIN(TestA1111Parameters)
#include "tst_a1111_parameters.moc"
