package io.surprisal.velocity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.config.SurprisalConfig.VelocityDetectorConfig;
import io.surprisal.velocity.VelocityTracker.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VelocityTrackerTest {
    private static final long T0 = 1_800_000_000_000L; // a whole minute
    private static final VelocityDetectorConfig DEFAULTS = new VelocityDetectorConfig(true, 15, 5, 20, 0.1, Duration.ofMinutes(5));

    private static List<Finding> feed(VelocityTracker t, VelocityState s, long... ts) {
        List<Finding> out = new ArrayList<>();
        for (long x : ts) {
            Finding f = t.onEvent(s, x);
            if (f != Finding.NONE) {
                out.add(f);
            }
        }
        return out;
    }

    /** {@code perMinute} events in each of {@code minutes} minutes from {@code start}, jittered so gaps are irregular. */
    private static long[] paced(long start, int minutes, int perMinute, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] ts = new long[minutes * perMinute];
        for (int m = 0; m < minutes; m++) {
            long[] within = new long[perMinute];
            for (int i = 0; i < perMinute; i++) {
                within[i] = rng.nextLong(60_000);
            }
            java.util.Arrays.sort(within);
            for (int i = 0; i < perMinute; i++) {
                ts[m * perMinute + i] = start + m * 60_000L + within[i];
            }
        }
        return ts;
    }

    @Test
    void sixteenEventsAMinuteForFiveMinutesIsARateFindingOnceAtTheFifthMinute() {
        VelocityTracker t = new VelocityTracker(DEFAULTS.withoutRegularity());
        VelocityState s = new VelocityState();
        long[] ts = paced(T0, 8, 16, 1);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
            Finding f = t.onEvent(s, ts[i]);
            if (f != Finding.NONE) {
                findings.add(f);
                assertThat(i).as("the 16th event of the fifth minute").isEqualTo(4 * 16 + 15);
            }
        }
        assertThat(findings).containsExactly(Finding.RATE);
    }

    @Test
    void fourFastMinutesOrAnExactlyAtTheLimitMinuteOrABreakIsNoFinding() {
        VelocityTracker t = new VelocityTracker(DEFAULTS.withoutRegularity());
        assertThat(feed(t, new VelocityState(), paced(T0, 4, 40, 2))).isEmpty();
        assertThat(feed(t, new VelocityState(), paced(T0, 10, 15, 3))).isEmpty();
        // Three fast minutes, a quiet one, three fast: never five in a row.
        VelocityState s = new VelocityState();
        assertThat(feed(t, s, paced(T0, 3, 20, 4))).isEmpty();
        assertThat(feed(t, s, paced(T0 + 3 * 60_000, 1, 2, 5))).isEmpty();
        assertThat(feed(t, s, paced(T0 + 4 * 60_000, 3, 20, 6))).isEmpty();
    }

    @Test
    void aNewRunAfterABreakCanAlertAgain() {
        VelocityTracker t = new VelocityTracker(DEFAULTS.withoutRegularity());
        VelocityState s = new VelocityState();
        assertThat(feed(t, s, paced(T0, 6, 20, 7))).containsExactly(Finding.RATE);
        assertThat(feed(t, s, paced(T0 + 10 * 60_000, 6, 20, 8))).containsExactly(Finding.RATE);
    }

    @Test
    void gapsOfAFixedSleepAreRegularAndAPersonsAreNot() {
        VelocityTracker t = new VelocityTracker(DEFAULTS);
        VelocityState s = new VelocityState();
        long[] script = new long[30];
        for (int i = 0; i < script.length; i++) {
            script[i] = T0 + i * 30_000L + (i % 2) * 500; // every 30 s, half a second of jitter
        }
        assertThat(feed(t, s, script)).containsExactly(Finding.REGULAR);
        assertThat(VelocityTracker.meanGap(s)).isCloseTo(30_000, within(600.0));
        assertThat(VelocityTracker.gapCv(s)).isLessThan(0.1);

        // Uniform gaps of 1..40 s, like a person browsing: cv near 0.55.
        SplittableRandom rng = new SplittableRandom(9);
        long[] person = new long[200];
        person[0] = T0;
        for (int i = 1; i < person.length; i++) {
            person[i] = person[i - 1] + 1000L * (1 + rng.nextInt(40));
        }
        VelocityState p = new VelocityState();
        assertThat(feed(t, p, person)).isEmpty();
        assertThat(VelocityTracker.gapCv(p)).isBetween(0.3, 0.8);
    }

    @Test
    void aLongPauseBreaksARegularRun() {
        VelocityTracker t = new VelocityTracker(DEFAULTS);
        VelocityState s = new VelocityState();
        long[] ts = new long[30];
        for (int i = 0; i < 15; i++) {
            ts[i] = T0 + i * 10_000L;
        }
        for (int i = 15; i < 30; i++) {
            ts[i] = T0 + 600_000L + i * 10_000L; // 10 min pause: two runs of 14 gaps, each below 20
        }
        assertThat(feed(t, s, ts)).isEmpty();
    }

    @Test
    void coefficientOfVariationIsExact() {
        VelocityState s = new VelocityState();
        s.gapCount = 4;
        s.gapSum = 2 + 4 + 4 + 6; // mean 4, population sd sqrt(2)
        s.gapSumSquares = 4 + 16 + 16 + 36;
        assertThat(VelocityTracker.gapCv(s)).isCloseTo(Math.sqrt(2) / 4, within(1e-12));
        assertThat(VelocityTracker.gapCv(new VelocityState())).isNaN();
    }
}
