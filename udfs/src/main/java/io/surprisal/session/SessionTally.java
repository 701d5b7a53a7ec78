package io.surprisal.session;

import io.surprisal.event.Event;

/**
 * What the open session has done beyond what the profile already counts (events, start, last
 * event, bits): its events per action class, its failures and the amount it spent; and, across
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

    /** Counts one event of the open session. */
    public void add(Event e) {
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
        previousEnd = lastTs;
    }
}
