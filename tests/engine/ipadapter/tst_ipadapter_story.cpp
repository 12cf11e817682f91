// The IP-Adapter inside a consistent story (Generator::generateStory): with strength 0 nothing is shared, so every
// panel must equal `generate` with the same adapter and seed + i. The identity batch [neg_0..neg_K-1,
// pos_0..pos_K-1] checks that each row gets its branch's image tokens; a panel without the adapter must differ.
#include "IpAdapterFixture.h"

#include "engine/api/Generation.h"
#include "engine/api/Refine.h"
#include "engine/api/StoryGeneration.h"

#include <ATen/ATen.h>

#include <QTest>

using namespace studio::engine;

namespace {

at::Tensor latentsOf(const GenerationResult &r)
{
    return at::from_blob(const_cast<float *>(r.latents.data()), r.latentShape, at::kFloat).clone();
}

} // namespace

class TestIpAdapterStory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void strengthZeroStoryEqualsGenerateWithTheAdapter_data()
    {
        QTest::addColumn<bool>("lowVram");
        QTest::newRow("identity batch") << false;
        // Low-VRAM mode runs the identity batch one CFG branch at a time: each call must get its branch's tokens.
        QTest::newRow("one branch at a time") << true;
    }
    void strengthZeroStoryEqualsGenerateWithTheAdapter()
    {
        QFETCH(bool, lowVram);
        Generator generator;
        ModelSettings settings;
        settings.modelDir = ip_test::modelDir();
        settings.device = ComputeDevice::Cpu;
        settings.releaseTextEncoder = lowVram ? Switch::On : Switch::Off;
        generator.load(settings);

        StoryRequest story;
        story.prompts = {"阿月站在雪山顶上", "阿月走进森林", "阿月遇到一只狐狸"};
        GenerationRequest &base = story.base;
        base.negativePrompt = "低质量";
        base.seed = 21;
        base.steps = 3;
        base.cfg = 4.0;
        base.sampler = "euler";
        base.width = base.height = 64;
        base.keepLatents = true;
        base.ipAdapter.adapterPath = ip_test::path(ip_test::ip()["files"]["ip_adapter_safetensors"].get<std::string>());
        base.ipAdapter.imageEncoderDir = ip_test::path(ip_test::ip()["files"]["image_encoder_dir"].get<std::string>());
        base.ipAdapter.referencePath = ip_test::path("reference/hero_80x60.png");
        base.ipAdapter.referenceImage = loadInitImage(base.ipAdapter.referencePath);
        base.ipAdapter.scale = 0.8;
        story.consistency.enabled = true;
        story.consistency.identityPanels = 2;
        story.consistency.strength = 0.0;
        story.consistency.start = 0;
        const std::vector<GenerationResult> panels = generator.generateStory(story);
        QCOMPARE(panels.size(), story.prompts.size());

        for (size_t i = 0; i < panels.size(); ++i) {
            QCOMPARE(panels[i].ipAdapter.adapterPath, base.ipAdapter.adapterPath);
            QCOMPARE(panels[i].ipAdapter.scale, 0.8);
            GenerationRequest one = base;
            one.prompt = story.prompts[i];
            one.seed = base.seed + i;
            const at::Tensor single = latentsOf(generator.generate(one));
            QString why;
            QVERIFY2(ip_test::within(latentsOf(panels[i]), single, 1e-5, 0.0, &why),
                     qPrintable(QStringLiteral("panel %1: %2").arg(i + 1).arg(why)));
            one.ipAdapter = IpAdapterSpec();
            const at::Tensor plain = latentsOf(generator.generate(one));
            QVERIFY2(!ip_test::within(plain, single, 1e-3, 0.0, &why), "the adapter changed nothing");
        }
    }
};

QTEST_GUILESS_MAIN(TestIpAdapterStory)
#include "tst_ipadapter_story.moc"
