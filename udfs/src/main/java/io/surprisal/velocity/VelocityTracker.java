package io.surprisal.velocity;

import io.surprisal.config.SurprisalConfig.VelocityDetectorConfig;

/**
 * The math of detector {@code velocity}, without Flink: feeds one user's events (in event-time
 * order) into a {@link VelocityState} and says when the pace is a machine's.
 *
 * <ul>
 *   <li>Rate: more than {@code maxEventsPerMinute} events in each of {@code sustainedMinutes}
 *       consecutive event-time minutes (calendar minutes of the epoch, so the result does not depend
 *       on where a run starts). Fires at the event that takes the last minute over the limit; one
 *       finding per run of fast minutes.
 *   <li>Regularity: over the last {@code regularGaps} gaps between events, the coefficient of
 *       variation (population sd / mean) is below {@code maxGapCv}. People are irregular (a
 *       coefficient near 0.5 or more); a script on a fixed sleep is not. A gap longer than {@code
 *       maxRegularGap} ends the run; one finding per run.
 * </ul>
 *
 * Sums are kept in exact long arithmetic, so the same events give the same findings in any run.
 */
public final class VelocityTracker {
    /** What {@link #onEvent} found. */
    public enum Finding {
        NONE,
        RATE,
        REGULAR
    }

    private static final long MINUTE_MS = 60_000L;

    private final VelocityDetectorConfig config;
    private final long maxRegularGapMs;

    public VelocityTracker(VelocityDetectorConfig config) {
        this.config = config;
        this.maxRegularGapMs = config.maxRegularGap().toMillis();
    }

    /** How long after a user's last event the state is of no use any more (then it can be cleared). */
    public long idleMillis() {
        return Math.max(2 * MINUTE_MS, maxRegularGapMs);
    }

    /** Adds one event (event time {@code ts}, not before the previous one); the finding, if any. */
    public Finding onEvent(VelocityState s, long ts) {
        s.events++;
        boolean rate = onRate(s, ts);
        boolean regular = config.regularGaps() > 0 && onGap(s, ts);
        s.lastTs = ts;
        if (rate) {
            return Finding.RATE;
        }
        return regular ? Finding.REGULAR : Finding.NONE;
    }

    private boolean onRate(VelocityState s, long ts) {
        long m = Math.floorDiv(ts, MINUTE_MS);
        if (m != s.minute) {
            if (s.minute != Long.MIN_VALUE && s.minuteCount > config.maxEventsPerMinute()) {
                s.fastRun = s.lastFastMinute == s.minute - 1 ? s.fastRun + 1 : 1;
                s.lastFastMinute = s.minute;
            }
            if (s.lastFastMinute != m - 1) {
                s.fastRun = 0; // the minute before this one was not fast: the run is broken
                s.rateAlerted = false;
            }
            s.minute = m;
            s.minuteCount = 0;
        }
        s.minuteCount++;
        if (s.minuteCount == config.maxEventsPerMinute() + 1
                && s.fastRun >= config.sustainedMinutes() - 1
                && !s.rateAlerted) {
            s.rateAlerted = true;
            return true;
        }
        return false;
    }

    private boolean onGap(VelocityState s, long ts) {
        if (s.lastTs == Long.MIN_VALUE) {
            return false;
        }
        long gap = ts - s.lastTs;
        int w = config.regularGaps();
        if (s.gaps.length != w) {
            s.gaps = new long[w];
            resetGaps(s);
        }
        if (gap > maxRegularGapMs) {
            resetGaps(s);
            return false;
        }
        if (s.gapCount == w) {
            long old = s.gaps[s.gapNext];
            s.gapSum -= old;
            s.gapSumSquares -= old * old;
        } else {
            s.gapCount++;
        }
        s.gaps[s.gapNext] = gap;
        s.gapNext = (s.gapNext + 1) % w;
        s.gapSum += gap;
        s.gapSumSquares += gap * gap;
        if (s.gapCount == w && !s.regularAlerted && gapCv(s) < config.maxGapCv()) {
            s.regularAlerted = true;
            return true;
        }
        return false;
    }

    private static void resetGaps(VelocityState s) {
        s.gapCount = 0;
        s.gapNext = 0;
        s.gapSum = 0;
        s.gapSumSquares = 0;
        s.regularAlerted = false;
    }

    /** Mean gap (ms) over the ring, or NaN when it is empty. */
    public static double meanGap(VelocityState s) {
        return s.gapCount == 0 ? Double.NaN : (double) s.gapSum / s.gapCount;
    }

    /**
     * Coefficient of variation of the gaps in the ring: population sd / mean; 0 when every gap is 0
     * (a burst at one instant is as regular as it gets); NaN when the ring is empty.
     */
    public static double gapCv(VelocityState s) {
        if (s.gapCount == 0) {
            return Double.NaN;
        }
        if (s.gapSum == 0) {
            return 0;
        }
        // n * Σx² - (Σx)² is n² times the variance, computed exactly before the one division.
        double n = s.gapCount;
        double numerator = n * (double) s.gapSumSquares - (double) s.gapSum * (double) s.gapSum;
        double variance = Math.max(0, numerator) / (n * n);
        return Math.sqrt(variance) / ((double) s.gapSum / n);
    }
}
