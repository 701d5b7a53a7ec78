package io.surprisal.detector;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import io.surprisal.model.TopEventStore;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A per-user detector run as a part of the per-user operator ({@code UserBehaviourFunction}), in
 * plain Java. The operator gives it each of a user's events in event-time order, after the
 * scorer has set the event's bits, together with:
 *
 * <ul>
 *   <li>the part's slice {@code S} of the user's state: the part says how a slice starts, how it is
 *       written and read, and when it holds nothing; the operator keeps it inside the user's profile,
 *       read and written once per event with the rest of the profile, so the part adds no state
 *       access of its own per event, and a new part needs no change to the profile;
 *   <li>its own events by slot ({@link TopEventStore}), kept apart from the profile because they are
 *       large and rarely read (an alert lists them): the part writes only the events an alert of
 *       it may still list.
 * </ul>
 *
 * It explains itself in its alerts (summary, reasons in bits, the events that made the finding). A
 * part is registered with one line in {@code UserBehaviourFunction.parts}.
 *
 * @param <S> the part's slice of one user's state
 */
public interface UserDetectorPart<S> {
    /** Its alerts' {@code detector}, its name in metrics, and its slice's name in the profile. */
    String detector();

    /** The slice of a user the part holds nothing of (new, or dropped after a quiet spell). */
    S newSlice();

    /** Whether {@code slice} holds nothing: such a slice is not stored. */
    boolean isEmpty(S slice);

    /** Writes {@code slice}, which is not empty; {@link #readSlice} reads it back. */
    void writeSlice(S slice, DataOutput out) throws IOException;

    /** Reads a slice that {@link #writeSlice} wrote. */
    S readSlice(DataInput in) throws IOException;

    /**
     * One of the user's events, not before the previous one: updates {@code slice}, keeps in {@code
     * events} what an alert may list, and returns the alert it raises, or null.
     */
    Alert onEvent(S slice, Event e, TopEventStore events);

    /**
     * The event time from which, if no event of the user comes before, the part's state of the user
     * can be dropped; {@link Long#MIN_VALUE} when it holds none. The operator fires a timer then.
     */
    default long quietAt(S slice) {
        return Long.MIN_VALUE;
    }

    /**
     * The user has had no event from their last one up to event time {@code now}: the part drops
     * what can no longer matter (everything, once {@code now} has reached {@link #quietAt}), so an
     * idle user's state stays small.
     */
    default void onQuiet(S slice, long now, TopEventStore events) {}
}
