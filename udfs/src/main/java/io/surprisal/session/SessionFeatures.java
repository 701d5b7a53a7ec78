package io.surprisal.session;

import io.surprisal.model.UserProfile;

/**
 * A closed session as a vector of named numbers (docs/session-vectors.md): its size, length and
 * pace, its events per action class, failures, surprisal, spending, hour and the time since the
 * user's previous visit. The order of {@link #NAMES} is the vector's; new features only ever join
 * at the end, so files written before keep their meaning.
 */
public final class SessionFeatures {
    public static final int EVENTS = 0;
    public static final int DURATION_S = 1;
    public static final int MEAN_GAP_S = 2;
    /** The first of the {@link ActionClass#COUNT} counts per action class. */
    public static final int ACTIONS = 3;
    public static final int FAILURES = ACTIONS + ActionClass.COUNT;
    public static final int BITS = FAILURES + 1;
    public static final int EXCESS_BITS = BITS + 1;
    public static final int AMOUNT = EXCESS_BITS + 1;
    public static final int HOUR = AMOUNT + 1;
    public static final int VISIT_GAP_S = HOUR + 1;
    public static final int COUNT = VISIT_GAP_S + 1;

    /** The features' names, by index. */
    public static final String[] NAMES = names();

    private SessionFeatures() {}

    private static String[] names() {
        String[] n = new String[COUNT];
        n[EVENTS] = "events";
        n[DURATION_S] = "duration_s";
        n[MEAN_GAP_S] = "mean_gap_s";
        for (int i = 0; i < ActionClass.COUNT; i++) {
            n[ACTIONS + i] = ActionClass.NAMES[i];
        }
        n[FAILURES] = "failures";
        n[BITS] = "bits";
        n[EXCESS_BITS] = "excess_bits";
        n[AMOUNT] = "amount";
        n[HOUR] = "hour";
        n[VISIT_GAP_S] = "visit_gap_s";
        return n;
    }

    /**
     * The open session of {@code p} (at least one event) as a vector, into {@code out} (length
     * {@link #COUNT}). {@code visit_gap_s} is NaN when the job knows no previous session of the user.
     */
    public static void fill(UserProfile p, double[] out) {
        SessionTally t = p.tally;
        double duration = (p.lastTs - p.sessionStart) / 1000.0;
        out[EVENTS] = p.sessionEvents;
        out[DURATION_S] = duration;
        out[MEAN_GAP_S] = p.sessionEvents > 1 ? duration / (p.sessionEvents - 1) : 0;
        for (int i = 0; i < ActionClass.COUNT; i++) {
            out[ACTIONS + i] = t.actions[i];
        }
        out[FAILURES] = t.failures;
        out[BITS] = p.sessionBits;
        out[EXCESS_BITS] = p.sessionExcess;
        out[AMOUNT] = t.amount;
        out[HOUR] = Math.floorMod(p.sessionStart, 86_400_000L) / 3_600_000.0;
        out[VISIT_GAP_S] = t.previousEnd == Long.MIN_VALUE ? Double.NaN : (p.sessionStart - t.previousEnd) / 1000.0;
    }
}
