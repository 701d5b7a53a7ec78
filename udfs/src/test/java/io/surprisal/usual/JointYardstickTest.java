package io.surprisal.usual;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JointYardstickTest {

    /**
     * 1,000 ordinary visits; each of two measures reaches 5 bits in 40 of them. The yardstick's
     * furthest counted level (30 reach it) is then 5 bits, and the tests are the visits where either
     * reached it over one measure's 40: 40 / 40 = 1 where they reach it together, 80 / 40 = 2 where
     * never together, 60 / 40 = 1.5 where half of them together.
     */
    @Test
    void theTestsAreTheUnionOfDeparturesOverOnesAtTheFurthestCountedLevel() {
        assertThat(effectiveTests(40)).isEqualTo(1.0);
        assertThat(effectiveTests(0)).isEqualTo(2.0);
        assertThat(effectiveTests(20)).isEqualTo(1.5);
    }

    /** Two measures of 1,000 visits, each 5 bits in 40 of them, {@code together} of those the same visits. */
    private static double effectiveTests(int together) {
        JointYardstick y = new JointYardstick(300);
        LogPopulation a = new LogPopulation();
        LogPopulation b = new LogPopulation();
        y.advanceTo(1);
        for (int v = 0; v < 1000; v++) {
            double bitsA = v < 40 ? 5.0 : 1.0;
            double bitsB = v >= 40 - together && v < 80 - together ? 5.0 : 1.0;
            a.countJudged(bitsA, 3);
            b.countJudged(bitsB, 3);
            y.count(Math.max(bitsA, bitsB), 3);
        }
        assertThat(y.effectiveTests(a, b)).as("not ready: the instant's counts wait").isEqualTo(2.0);
        y.advanceTo(2);
        assertThat(y.judged()).isEqualTo(1000);
        return y.effectiveTests(a, b);
    }

    @Test
    void untilReadyTheTestsAreAsManyAsTheParts() {
        JointYardstick y = new JointYardstick(300);
        LogPopulation a = new LogPopulation();
        y.advanceTo(1);
        for (int v = 0; v < 299; v++) {
            y.count(v < 40 ? 5.0 : 1.0, 3);
            a.countJudged(v < 40 ? 5.0 : 1.0, 3);
        }
        y.count(Double.NaN, 3);
        y.advanceTo(2);
        assertThat(y.judged()).as("NaN is not counted").isEqualTo(299);
        assertThat(y.ready()).isFalse();
        assertThat(y.effectiveTests(a, a)).isEqualTo(2.0);
    }

    @Test
    void aCheckpointCarriesTheInstantsCountsWithoutApplyingThem() {
        JointYardstick y = new JointYardstick(10);
        y.advanceTo(1);
        for (int i = 0; i < 20; i++) {
            y.count(2.0, 0);
        }
        LogPopulation saved = LogPopulation.fromTaggedBytes(y.forCheckpoint().toTaggedBytes(0, 1));
        assertThat(y.judged()).as("the live yardstick still waits").isZero();
        JointYardstick restored = new JointYardstick(10);
        restored.restore(saved);
        assertThat(restored.judged()).isEqualTo(20);
        assertThat(restored.ready()).isTrue();
    }
}
