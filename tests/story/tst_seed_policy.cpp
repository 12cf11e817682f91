// What "Regenerate" does to a panel's seed.
#include "story/SeedPolicy.h"

#include <QTest>

using namespace studio::story;

class TestSeedPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixedKeepsTheSeed()
    {
        QRandomGenerator rng(1);
        for (qint64 s : {qint64(0), qint64(42), kMaxSeed})
            QCOMPARE(nextSeed(s, SeedMode::Fixed, rng), s);
    }

    void incrementAndDecrementWrap()
    {
        QRandomGenerator rng(1);
        QCOMPARE(nextSeed(41, SeedMode::Increment, rng), qint64(42));
        QCOMPARE(nextSeed(kMaxSeed - 1, SeedMode::Increment, rng), kMaxSeed);
        QCOMPARE(nextSeed(kMaxSeed, SeedMode::Increment, rng), qint64(0));
        QCOMPARE(nextSeed(43, SeedMode::Decrement, rng), qint64(42));
        QCOMPARE(nextSeed(1, SeedMode::Decrement, rng), qint64(0));
        QCOMPARE(nextSeed(0, SeedMode::Decrement, rng), kMaxSeed);
        // Stepping forward then back returns to the start, across the wrap too.
        for (qint64 s : {qint64(0), qint64(7), kMaxSeed})
            QCOMPARE(nextSeed(nextSeed(s, SeedMode::Increment, rng), SeedMode::Decrement, rng), s);
    }

    void outOfRangeInputIsClamped()
    {
        QRandomGenerator rng(1);
        QCOMPARE(nextSeed(-5, SeedMode::Fixed, rng), qint64(0));
        QCOMPARE(nextSeed(-5, SeedMode::Decrement, rng), kMaxSeed);
        QCOMPARE(nextSeed(std::numeric_limits<qint64>::max(), SeedMode::Fixed, rng), kMaxSeed);
        QCOMPARE(nextSeed(std::numeric_limits<qint64>::max(), SeedMode::Increment, rng), qint64(0));
    }

    void randomizeIsUniformOver32Bits()
    {
        QRandomGenerator rng(20250212);
        const qint64 limit = qint64(1) << 32;
        int upperHalf = 0;
        QSet<qint64> seen;
        for (int i = 0; i < 2000; ++i) {
            const qint64 s = nextSeed(123, SeedMode::Randomize, rng);
            QVERIFY(s >= 0 && s < limit);
            if (s >= limit / 2)
                ++upperHalf;
            seen.insert(s);
        }
        QVERIFY(seen.size() > 1990);                  // practically no repeats
        QVERIFY(upperHalf > 850 && upperHalf < 1150); // both halves of the range are used
    }

    void randomizeIsReproducibleWithTheSameGenerator()
    {
        QRandomGenerator a(7);
        QRandomGenerator b(7);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(nextSeed(0, SeedMode::Randomize, a), nextSeed(0, SeedMode::Randomize, b));
    }

    void randomSeedHelper()
    {
        for (int i = 0; i < 100; ++i) {
            const qint64 s = randomSeed();
            QVERIFY(s >= 0 && s < (qint64(1) << 32));
        }
        QRandomGenerator a(9);
        QRandomGenerator b(9);
        QCOMPARE(randomSeed(a), randomSeed(b));
    }
};

QTEST_GUILESS_MAIN(TestSeedPolicy)
#include "tst_seed_policy.moc"
