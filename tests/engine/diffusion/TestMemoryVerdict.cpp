// Issue 16 point 5: the verdict on whether settings fit the free memory is one value that both the load's English
// refusal (memoryShortfall) and Settings ▸ Model's translated sentence are worded from. On the tiny fixture, with
// free figures given by the test (the estimate is arithmetic: CUDA settings need no GPU here).

#include "engine/api/MemoryEstimate.h"

#include <QtTest>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace studio::engine;

namespace {

constexpr int kSize = 64;
constexpr int64_t kPlentyOfRam = int64_t(1) << 40;

ModelSettings tinyOnTheGpu()
{
    ModelSettings s;
    s.modelDir = std::string(STUDIO_TEST_DATA_DIR) + "/golden/kolors-tiny";
    s.textEncoderDevice = ComputeDevice::Cuda; // asked for explicitly: loading would not move it
    s.releaseTextEncoder = Switch::Off;
    return s;
}

int64_t vramOf(const ModelSettings &s)
{
    return estimateMemory(s, true, kSize, kSize).vramBytes;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestMemoryVerdict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // For GPU budgets that each lighter combination just fits, the refusal names exactly the options of the
    // verdict's lighter settings, and its figures are the verdict's.
    void theRefusalNamesTheVerdictsLighterSettings()
    {
        const ModelSettings asked = tinyOnTheGpu();
        ModelSettings released = asked, onCpu = asked, int8 = asked, streamed = asked;
        released.releaseTextEncoder = Switch::On;
        onCpu.releaseTextEncoder = Switch::On;
        onCpu.textEncoderDevice = ComputeDevice::Cpu;
        int8.releaseTextEncoder = Switch::On;
        int8.textEncoderQuant = TextEncoderQuant::Int8;
        streamed = onCpu;
        streamed.unetOffload = UNetOffload::Blocks;
        const std::vector<int64_t> budgets = {vramOf(released), vramOf(onCpu), vramOf(int8), vramOf(streamed), 0};

        const std::vector<LighterSetting> all = {LighterSetting::ReleaseTextEncoder, LighterSetting::TextEncoderOnCpu,
                                                 LighterSetting::TextEncoderInt8, LighterSetting::TextEncoderInt4,
                                                 LighterSetting::UNetBlockOffload};
        std::set<LighterSetting> seen;
        for (int64_t budget : budgets) {
            const MemoryVerdict verdict = memoryVerdict(asked, true, kSize, kSize, kPlentyOfRam, budget);
            const std::string refusal = memoryShortfall(asked, true, kSize, kSize, kPlentyOfRam, budget);
            QVERIFY(budget < verdict.asked.vramBytes);
            QVERIFY(!verdict.fits);
            QCOMPARE(refusal, shortfallMessage(verdict));
            QVERIFY2(contains(refusal, verdict.asked.summary), refusal.c_str());
            seen.insert(verdict.lighter);
            if (verdict.lighter == LighterSetting::None) {
                QVERIFY(verdict.lighterChanges.empty());
                QVERIFY2(contains(refusal, "no lighter setting fits"), refusal.c_str());
                continue;
            }
            QVERIFY(!verdict.lighterChanges.empty());
            QCOMPARE(verdict.lighterChanges.back(), verdict.lighter);
            QVERIFY(verdict.lighterEstimate.vramBytes <= budget);
            QVERIFY2(contains(refusal, "it needs about " + verdict.lighterEstimate.summary), refusal.c_str());
            for (LighterSetting option : all) {
                const bool named = std::count(verdict.lighterChanges.begin(), verdict.lighterChanges.end(), option);
                QVERIFY2(contains(refusal, lighterSettingOption(option)) == named, refusal.c_str());
            }
        }
        // The budgets reach different answers: the first lighter setting, a later one (with the earlier ones it
        // needs), and none.
        QVERIFY(seen.count(LighterSetting::ReleaseTextEncoder));
        QVERIFY(seen.count(LighterSetting::None));
        QVERIFY(seen.size() >= 3);
    }

    // The text encoder's device "auto" goes to the CPU when the GPU is short, as loading does: a fit, and the
    // figures are those of the text encoder on the CPU.
    void automaticTextEncoderMovesToTheCpu()
    {
        ModelSettings s = tinyOnTheGpu();
        s.textEncoderDevice = ComputeDevice::Auto;
        ModelSettings onCpu = s;
        onCpu.textEncoderDevice = ComputeDevice::Cpu;
        const int64_t budget = vramOf(onCpu);
        QVERIFY(budget < vramOf(s));
        const MemoryVerdict verdict = memoryVerdict(s, true, kSize, kSize, kPlentyOfRam, budget);
        QVERIFY(verdict.fits);
        QVERIFY(verdict.textEncoderMovesToCpu);
        QCOMPARE(verdict.running.vramBytes, budget);
        QVERIFY(shortfallMessage(verdict).empty());
    }

    // Unknown free memory (-1) is not checked: the load goes ahead, as before.
    void unknownFreeMemoryIsNotChecked()
    {
        const ModelSettings s = tinyOnTheGpu();
        const MemoryVerdict verdict = memoryVerdict(s, true, kSize, kSize, -1, -1);
        QVERIFY(verdict.fits);
        QVERIFY(!verdict.textEncoderMovesToCpu);
        QCOMPARE(verdict.running.vramBytes, verdict.asked.vramBytes);
        // On the CPU a RAM figure that is short is refused whatever the GPU figure says.
        const MemoryVerdict cpu = memoryVerdict(s, false, kSize, kSize, 0, -1);
        QVERIFY(!cpu.fits);
        QCOMPARE(cpu.availableVram, int64_t(-1));
    }
};

QTEST_GUILESS_MAIN(TestMemoryVerdict)
#include "TestMemoryVerdict.moc"
