package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MultipleTestsTest {
    private static final long DAY = 86_400_000L;

    @Test
    void theBarRisesByLog2OfTheTests() {
        // One test: the base itself. 40 sessions: 15 + log2(40) = 15 + 5.321928 = 20.321928.
        assertThat(MultipleTests.bar(15, 1)).isEqualTo(15.0);
        assertThat(MultipleTests.bar(15, 40)).isCloseTo(20.321928094887363, within(1e-12));
        // 1024 steps: exactly 10 bits more.
        assertThat(MultipleTests.correctionBits(1024)).isCloseTo(10.0, within(1e-12));
        // Fewer than one (a decayed count) never lowers the bar below the base.
        assertThat(MultipleTests.bar(10, 0.3)).isEqualTo(10.0);
    }

    @Test
    void aCountDecaysByEEveryWindow() {
        assertThat(MultipleTests.decay(0, DAY)).isEqualTo(1.0);
        assertThat(MultipleTests.decay(DAY, DAY)).isCloseTo(1 / Math.E, within(1e-15));
        assertThat(MultipleTests.decay(DAY / 2, DAY)).isCloseTo(0.6065306597126334, within(1e-15));
        // Event time never runs backwards here: an earlier time keeps everything.
        assertThat(MultipleTests.decay(-5, DAY)).isEqualTo(1.0);
    }

    @Test
    void aSteadyRateSettlesNearItsCountPerWindow() {
        // 30 tests a day, evenly spaced, for ten days: the count just after a test tends to
        // 1 / (1 - e^(-1/30)) = 30.5, about the tests of the last day.
        UserProfile p = new UserProfile();
        long ts = 0;
        for (int i = 0; i < 300; i++) {
            ts += DAY / 30;
            p.decayTestsTo(ts, DAY);
            p.stepsInWindow += 1;
        }
        assertThat(p.stepsInWindow).isCloseTo(1 / (1 - Math.exp(-1.0 / 30)), within(0.01)).isCloseTo(30.5, within(0.1));
        // A day later without tests: 30.5 / e.
        p.decayTestsTo(ts + DAY, DAY);
        assertThat(p.stepsInWindow).isCloseTo(30.5 / Math.E, within(0.05));
    }

    @Test
    void readAtATestTheCountIsThatTestOnTopOfTheWindowBeforeIt() {
        // A user tested at random times (Poisson), 4 times a window on average, for 2,000 windows:
        // read at a test, the count is about 5, the bar log2(5 / 4) = 0.32 bits above the budget's.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        UserProfile p = new UserProfile();
        long ts = 0;
        double read = 0;
        int tests = 0;
        while (ts < 2_000 * DAY) {
            ts += (long) (-Math.log(1 - rng.nextDouble()) * DAY / 4);
            p.decayTestsTo(ts, DAY);
            p.sessionsInWindow += 1;
            read += p.sessionsInWindow;
            tests++;
        }
        assertThat(tests).isBetween(7_800, 8_200);
        assertThat(read / tests).isCloseTo(5.0, within(0.15));
    }

    @Test
    void aTailBeyondEverythingSeenCostsLog2OfTheEvidencePlusOne() {
        // 0 of 2047 sessions as far: (2047 + 1) / 1 = 2048, 11 bits.
        assertThat(MultipleTests.tailBits(0, 2047)).isCloseTo(11.0, within(1e-12));
        // 3 of 1023: 1024 / 4 = 256, 8 bits.
        assertThat(MultipleTests.tailBits(3, 1023)).isCloseTo(8.0, within(1e-12));
        // Everything at least as far: not surprising at all.
        assertThat(MultipleTests.tailBits(1023, 1023)).isZero();
    }

    @Test
    void aTailsBitsAreAValidPValueForAnExchangeableObservation() {
        // 63 ordinary values and one more from the same law: whatever the law, the new one has k of
        // them at least as high with probability 1/64 for each k, so it passes a bar of b bits, (k +
        // 1) / 64 <= 2^-b, with probability at most 2^-b. Counted over 100,000 trials of uniform draws.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int trials = 100_000;
        int n = 63;
        double[] bars = {1, 2, 3, 4, 5, 6, 6.5};
        int[] passed = new int[bars.length];
        double[] seen = new double[n];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < n; i++) {
                seen[i] = rng.nextDouble();
            }
            double x = rng.nextDouble();
            long atLeast = 0;
            for (double s : seen) {
                atLeast += s >= x ? 1 : 0;
            }
            double bits = MultipleTests.tailBits(atLeast, n);
            for (int b = 0; b < bars.length; b++) {
                passed[b] += bits >= bars[b] ? 1 : 0;
            }
        }
        for (int b = 0; b < bars.length; b++) {
            // within four standard deviations of the trials' noise
            double limit = Math.pow(2, -bars[b]);
            assertThat((double) passed[b] / trials).as("bar " + bars[b])
                    .isLessThanOrEqualTo(limit + 4 * Math.sqrt(limit / trials));
        }
        // The bars that are whole bits are met exactly: 6 bits is beyond all 63, 1 time in 64.
        assertThat((double) passed[5] / trials).isCloseTo(1.0 / 64, within(0.002));
        // Nothing among 63 is rarer than 6 bits.
        assertThat(passed[6]).isZero();
    }

    @Test
    void theMostAtLeastAsHighIsTheInverseOfTheTailsBits() {
        // 4,096 / 2,048 - 1 = 1: one at least as high gives 11 bits, two 10.4.
        assertThat(MultipleTests.mostAtLeast(11, 4095)).isEqualTo(1);
        assertThat(MultipleTests.tailBits(1, 4095)).isGreaterThanOrEqualTo(11);
        assertThat(MultipleTests.tailBits(2, 4095)).isLessThan(11);
        // 1,001 / 2,048 - 1 < 0: not even none at least as high reaches 11 bits among 1,000.
        assertThat(MultipleTests.mostAtLeast(11, 1000)).isNegative();
        assertThat(MultipleTests.tailBits(0, 1000)).isLessThan(11);
    }
}
