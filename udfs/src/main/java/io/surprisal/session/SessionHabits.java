package io.surprisal.session;

import io.surprisal.usual.LogMoments;

/**
 * One user's usual sessions, detector {@code session-profile}'s slice of the profile: the moments
 * of each {@link SessionMeasure}'s log over the user's closed sessions, and the sessions the user
 * taught the population in the current teaching window.
 */
public final class SessionHabits {
    /** By {@link SessionMeasure#ordinal()}. */
    public final LogMoments[] measures = new LogMoments[SessionMeasure.COUNT];
    /** Sessions this user taught the population's session measures in the current teaching window. */
    public byte taught;

    public SessionHabits() {
        for (int i = 0; i < measures.length; i++) {
            measures[i] = new LogMoments();
        }
    }

    public LogMoments of(SessionMeasure m) {
        return measures[m.ordinal()];
    }
}
