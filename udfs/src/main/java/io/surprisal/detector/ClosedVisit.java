package io.surprisal.detector;

import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;

/**
 * A visit as it closes, for {@link ClosedVisitDetector}s: the user's profile with the visit still
 * open in it (it forgets the visit after every detector has judged it), the visit's events, its
 * vector ({@code SessionFeatures}), why and when it closed, and who it was.
 *
 * @param profile the user's profile, the visit's tallies in it
 * @param events the visit's top events, for alerts to list
 * @param features the visit's vector (docs/session-vectors.md); not to be changed
 * @param closedAt the event time the visit closed at
 * @param closedBy why it closed: {@code logout}, {@code end}, {@code inactivity}, {@code a new session began}
 * @param key the user's key ({@code UserKey}: the tenant, when there is one, and the user)
 * @param user the user's id
 * @param tenant the tenant, or null
 * @param steps the population's steps, which the scorer learns
 * @param usual the user's usual events a visit, when a detector asks for it and {@code session-profile} runs; else null
 * @param maxEvents how many events an alert lists at most
 */
public record ClosedVisit(UserProfile profile, TopEventStore events, double[] features, long closedAt, String closedBy,
        String key, String user, String tenant, PopulationTransitions steps, UsualEvents usual, int maxEvents) {

    /**
     * A user's usual events a visit, as {@code session-profile} blends their visits with the
     * population's: {@code logRatio} is the log of the user's usual over the population's.
     */
    public record UsualEvents(double logRatio, double usual, int sessions) {}
}
