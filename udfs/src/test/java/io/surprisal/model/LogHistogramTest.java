package io.surprisal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogHistogramTest {
    @Test
    void quantilesWithinTheBucketWidth() {
        Random r = new Random(3);
        double[] values = new double[20000];
        LogHistogram h = new LogHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(r.nextGaussian() * 1.5 + 3); // a skewed, log-normal distribution
            h.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.995}) {
            double exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(h.quantile(q)).isCloseTo(exact, within(exact * 0.025));
        }
    }

    @Test
    void negativeValuesAndOrderIndependence() {
        LogHistogram a = new LogHistogram();
        LogHistogram b = new LogHistogram();
        double[] v = {-40, -3, 0, 2, 5, 17, 100, -0.5};
        for (double x : v) {
            a.add(x);
        }
        for (int i = v.length - 1; i >= 0; i--) {
            b.add(v[i]);
        }
        assertThat(a.toCounts()).isEqualTo(b.toCounts());
        assertThat(a.quantile(0.0)).isCloseTo(-40, within(1.0));
        assertThat(a.quantile(1.0)).isCloseTo(100, within(2.0));
    }

    @Test
    void mergeEqualsAddingEverything() {
        LogHistogram a = new LogHistogram();
        LogHistogram b = new LogHistogram();
        LogHistogram all = new LogHistogram();
        for (int i = 0; i < 500; i++) {
            (i % 2 == 0 ? a : b).add(i * 1.3);
            all.add(i * 1.3);
        }
        a.merge(b);
        assertThat(a.toCounts()).isEqualTo(all.toCounts());
        assertThat(a.count()).isEqualTo(500);
        assertThat(LogHistogram.fromCounts(a.toCounts()).quantile(0.9)).isEqualTo(all.quantile(0.9));
    }

    @Test
    void sessionStatisticsRoundTripThroughBytes() {
        SessionStatistics s = new SessionStatistics();
        s.add(30, 2);
        s.add(90, 40);
        SessionStatistics back = SessionStatistics.fromBytes(s.toBytes());
        assertThat(back.sessions()).isEqualTo(2);
        assertThat(back.totalQuantile(1.0)).isEqualTo(s.totalQuantile(1.0));
        assertThat(back.excessQuantile(0.5)).isEqualTo(s.excessQuantile(0.5));
    }

    @Test
    void atLeastCountsTheTailToTheBucket() {
        LogHistogram h = new LogHistogram();
        for (double v : new double[] {-5, 0, 1, 2, 10, 10.05, 50, 400}) {
            h.add(v);
        }
        assertThat(h.atLeast(-100)).isEqualTo(8);
        assertThat(h.atLeast(2)).isEqualTo(5);
        // 10.05 shares 10's bucket: a tail never looks rarer than it is.
        assertThat(h.atLeast(10.05)).isEqualTo(4);
        assertThat(h.atLeast(51)).isEqualTo(1);
        assertThat(h.atLeast(1e6)).isZero();
        SessionStatistics s = new SessionStatistics();
        s.add(30, 2);
        s.add(90, 40);
        s.add(60, -3);
        assertThat(s.totalAtLeast(60)).isEqualTo(2);
        assertThat(s.excessAtLeast(0)).isEqualTo(2);
        assertThat(s.excessAtLeast(41)).isZero();
    }

    @Test
    void theLowestValueWithAtMostKAtLeastAsHighSpansHistograms() {
        LogHistogram a = new LogHistogram();
        LogHistogram b = new LogHistogram();
        for (int i = 0; i < 100; i++) {
            a.add(1.0);
        }
        b.add(5.0);
        b.add(9.0);
        // Two values above 1.0's bucket: with k = 2 the cut is the edge just above that bucket.
        double cut = LogHistogram.lowestValueWithAtMost(2, a, b);
        assertThat(cut).isGreaterThan(1.0).isLessThanOrEqualTo(1.02 * 2 - 1 + 1e-12);
        assertThat(a.atLeast(cut) + b.atLeast(cut)).isEqualTo(2);
        assertThat(a.atLeast(Math.nextDown(cut)) + b.atLeast(Math.nextDown(cut))).isEqualTo(102);
        // k = 1: only 9.0's bucket; k = 0: nothing reaches; k = 102: every positive value does.
        double one = LogHistogram.lowestValueWithAtMost(1, a, b);
        assertThat(one).isGreaterThan(5.0).isLessThanOrEqualTo(9.0);
        assertThat(b.atLeast(Math.nextDown(one))).isEqualTo(2);
        assertThat(LogHistogram.lowestValueWithAtMost(0, a, b)).isGreaterThan(9.0);
        assertThat(LogHistogram.lowestValueWithAtMost(102, a, b)).isEqualTo(Double.NEGATIVE_INFINITY);
        LogHistogram huge = new LogHistogram();
        huge.add(1e12);
        assertThat(LogHistogram.lowestValueWithAtMost(0, huge)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
