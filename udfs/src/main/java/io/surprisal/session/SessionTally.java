package io.surprisal.session;

import io.surprisal.event.Event;

/**
 * What the open session has done beyond what the profile already counts (events, start, last
 * event, bits): its events per action class, its failures, the amount it spent and the logs of its
 * gaps; and, across
 * sessions, when the user's previous session ended (for the time between visits). Part of the
 * user's profile: a fixed small array and primitives, updated in place per event.
 */
public final class SessionTally {
    /** Events per {@link ActionClass}, index by {@link ActionClass#of}. */
    public int[] actions = new int[ActionClass.COUNT];
    public int failures;
    /** Σ amount of the session's purchases (successful events with a positive amount). */
    public double amount;
    /** Event time of the last event of the user's previous session, or {@link Long#MIN_VALUE}. */
    public long previousEnd = Long.MIN_VALUE;
    /** Gaps between the session's events, and the sum, sum of squares and sum of cubes of their logs ({@link #logGap}). */
    public int gaps;
    public double sumLogGap;
    public double sumSquaredLogGap;
    /** NaN for a session restored from a profile written before it was counted (its shape is then not learned). */
    public double sumCubedLogGap;

    /** A gap's log, judged per gap by detector session-profile's pace: seconds, with a second's offset. */
    public static double logGap(long gapMillis) {
        return Math.log(gapMillis / 1000.0 + 1);
    }

    /** Counts one event of the open session; {@code gapMillis} since the session's previous event, or negative for its first. */
    public void add(Event e, long gapMillis) {
        if (gapMillis >= 0) {
            double l = logGap(gapMillis);
            gaps++;
            sumLogGap += l;
            sumSquaredLogGap += l * l;
            sumCubedLogGap += l * l * l;
        }
        actions[ActionClass.of(e.action)]++;
        if (e.fail) {
            failures++;
        } else if (e.amount != null && e.amount > 0) {
            amount += e.amount;
        }
    }

    /** The session that ended at {@code lastTs} is over: counts start again, the visit's end is kept. */
    public void closeAt(long lastTs) {
        java.util.Arrays.fill(actions, 0);
        failures = 0;
        amount = 0;
        gaps = 0;
        sumLogGap = 0;
        sumSquaredLogGap = 0;
        sumCubedLogGap = 0;
        previousEnd = lastTs;
    }
}
