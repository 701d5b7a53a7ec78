package io.surprisal.usual;

import java.util.ArrayList;
import java.util.List;

/**
 * The yardstick of one question asked by several tails at once: of each ordinary value set, the
 * model bits of the most surprising of its tails (a visit's events and its duration, two measures
 * of one length), by the evidence of its user. It says how many tests the tails are together
 * ({@link #effectiveTests}): counting each as a test of its own (Bonferroni) counts one departure
 * as often as there are tails that see it. Plain Java.
 *
 * <p>As {@link BlendedLogModel}'s lessons, a count waits until event time moves past its instant
 * ({@link #advanceTo}), so that value sets of one instant are judged alike whatever their order.
 */
public final class JointYardstick {
    private final long minJudged;
    private LogPopulation yardstick = new LogPopulation();
    private final List<Pending> pending = new ArrayList<>();
    private long pendingTs = Long.MIN_VALUE;

    private record Pending(double bits, int evidence) {}

    /** @param minJudged ordinary value sets counted before the yardstick calibrates */
    public JointYardstick(long minJudged) {
        this.minJudged = minJudged;
    }

    /** Moves to event time {@code ts}: the counts before it join the yardstick. */
    public void advanceTo(long ts) {
        if (ts > pendingTs) {
            pending.forEach(p -> yardstick.countJudged(p.bits(), p.evidence()));
            pending.clear();
            pendingTs = ts;
        }
    }

    /** Whether enough ordinary value sets are counted to calibrate by. */
    public boolean ready() {
        return yardstick.judged() >= minJudged;
    }

    /**
     * Counts an ordinary value set: {@code bits} the model bits of its most surprising tail, {@code
     * evidence} its user's values before it (NaN bits are not counted).
     */
    public void count(double bits, int evidence) {
        if (!Double.isNaN(bits)) {
            pending.add(new Pending(bits, evidence));
        }
    }

    /**
     * How many tests the tails of {@code parts} (each one's yardstick of the same value sets) are
     * together: the share of ordinary value sets whose most surprising tail reached the furthest
     * level the yardstick counts ({@link LogPopulation#TAIL_REFERENCE} of them reached it), over the
     * parts' mean share at that level. The union of the parts' departures over one part's: 1 where
     * they depart together, the number of parts where never together (Bonferroni's count, which it
     * is until the yardstick is {@link #ready}). Beyond that level the ratio is taken as it is there.
     */
    public double effectiveTests(LogPopulation... parts) {
        long n = yardstick.judged();
        if (!ready() || n == 0) {
            return parts.length;
        }
        double level = yardstick.judgedBitsReachedBy(Math.min(LogPopulation.TAIL_REFERENCE, n));
        double any = (double) yardstick.judgedAtLeast(level) / n;
        double shares = 0;
        for (LogPopulation part : parts) {
            long m = part.judged();
            shares += m == 0 ? 0 : (double) part.judgedAtLeast(level) / m;
        }
        double mean = shares / parts.length;
        if (!(mean > 0)) {
            return parts.length;
        }
        return Math.max(1, Math.min(parts.length, any / mean));
    }

    /** Ordinary value sets counted. */
    public long judged() {
        return yardstick.judged();
    }

    /** The yardstick with the current instant's counts, without applying them (a checkpoint must not change scores). */
    public LogPopulation forCheckpoint() {
        LogPopulation copy = yardstick.copy();
        pending.forEach(p -> copy.countJudged(p.bits(), p.evidence()));
        return copy;
    }

    public void restore(LogPopulation restored) {
        yardstick = restored;
        pending.clear();
        pendingTs = Long.MIN_VALUE;
    }
}
