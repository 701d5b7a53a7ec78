package io.surprisal.detector;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import io.surprisal.model.UserProfile;

/**
 * A per-user detector run as a part of the per-user operator ({@code UserBehaviourFunction}), in
 * plain Java. The operator gives it each of a user's events in event-time order, after the
 * scorer has set the event's bits, together with:
 *
 * <ul>
 *   <li>the user's {@link UserProfile}, which holds the part's slice of per-user state (a field
 *       the part owns, written by {@code UserProfileSerializer}): read and written once per event
 *       with the rest of the profile, so the part adds no state access of its own per event;
 *   <li>its own events by slot ({@link TopEventStore}), kept apart from the profile because they are
 *       large and rarely read (an alert lists them): the part writes only the events an alert of
 *       it may still list.
 * </ul>
 *
 * It explains itself in its alerts (summary, reasons, the events that made the finding). A part
 * is registered with one line in {@code UserBehaviourFunction.parts}.
 */
public interface UserDetectorPart {
    /** Its alerts' {@code detector}, and its name in metrics. */
    String detector();

    /**
     * One of the user's events, not before the previous one: updates the part's slice of {@code
     * user}, keeps in {@code events} what an alert may list, and returns the alert it raises, or null.
     */
    Alert onEvent(UserProfile user, Event e, TopEventStore events);

    /**
     * The event time from which, if no event of the user comes before, the part's state of the user
     * can be dropped; {@link Long#MIN_VALUE} when it holds none. The operator fires a timer then.
     */
    default long quietAt(UserProfile user) {
        return Long.MIN_VALUE;
    }

    /**
     * The user has had no event from their last one up to event time {@code now}: the part drops
     * what can no longer matter (everything, once {@code now} has reached {@link #quietAt}), so an
     * idle user's state stays small.
     */
    default void onQuiet(UserProfile user, long now, TopEventStore events) {}
}
