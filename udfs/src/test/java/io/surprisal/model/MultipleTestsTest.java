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
    void aTailBeyondEverythingSeenCostsLog2OfTwiceTheEvidence() {
        // 0 of 1023 sessions as far: (1023 + 1) / 0.5 = 2048, 11 bits.
        assertThat(MultipleTests.tailBits(0, 1023)).isCloseTo(11.0, within(1e-12));
        // 3 of 1023: 1024 / 3.5 = 292.57, 8.1926 bits.
        assertThat(MultipleTests.tailBits(3, 1023)).isCloseTo(8.192645077942396, within(1e-12));
        // Everything at least as far: not surprising at all (log2(1024 / 1023.5), nearly 0).
        assertThat(MultipleTests.tailBits(1023, 1023)).isCloseTo(0.000704, within(1e-6));
    }

    @Test
    void theMostAtLeastAsHighIsTheInverseOfTheTailsBits() {
        // 4,096 / 2,048 - 0.5 = 1.5: one at least as high gives 11.4 bits, two 10.7.
        assertThat(MultipleTests.mostAtLeast(11, 4095)).isEqualTo(1);
        assertThat(MultipleTests.tailBits(1, 4095)).isGreaterThanOrEqualTo(11);
        assertThat(MultipleTests.tailBits(2, 4095)).isLessThan(11);
        // 1,001 / 2,048 - 0.5 < 0: not even none at least as high reaches 11 bits among 1,000.
        assertThat(MultipleTests.mostAtLeast(11, 1000)).isNegative();
        assertThat(MultipleTests.tailBits(0, 1000)).isLessThan(11);
    }
}
