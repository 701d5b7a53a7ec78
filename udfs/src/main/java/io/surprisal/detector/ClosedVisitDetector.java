package io.surprisal.detector;

import io.surprisal.alert.Alert;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A detector that judges each of a user's visits when it closes, against what it has learned of the
 * population, in plain Java. The per-user operator ({@code UserBehaviourFunction}) runs it through
 * {@code SessionCloser} when the scorer closes a visit (a logout or end, a new session id, the
 * inactivity gap), with the visit as a {@link ClosedVisit}. Its per-user state, if any, lives in the
 * user's profile; its population is its own, one per parallel instance, and goes into checkpoints
 * as union list state under {@link #stateName}, every entry tagged with the instance that wrote it
 * and the parallelism (the operator restores through {@code InstanceShares}: at the same
 * parallelism each instance takes back its own entries, after a rescale everything, shared among the
 * old instances).
 *
 * <p>It explains itself in its alerts (summary, reasons in bits, the visit's events). A detector is
 * registered with one entry in {@code SessionCloser.registered}: its name, its state's name, whether
 * the configuration turns it on, and how to make it.
 */
public interface ClosedVisitDetector {
    /** Its alerts' {@code detector} and its name in metrics and in the warming-up count. */
    String detector();

    /** The name of its union list state: stable, as an operator's uid, so that savepoints find it. */
    String stateName();

    /** Whether it judges by the user's usual events a visit ({@link ClosedVisit#usual}), which detector {@code session-profile} gives. */
    default boolean usesUsualEvents() {
        return false;
    }

    /** Moves to event time {@code ts}: what it learned before that instant joins its population. */
    void advanceTo(long ts);

    /** Judges (and learns from) the visit, after {@link #advanceTo} its closing instant; returns its alert, or null. */
    Alert onVisitClosed(ClosedVisit visit);

    /** What it judged before its population could let it alert: visits, or (session-profile) a visit's measures. */
    long warmingUp();

    /** Its population's entries for a checkpoint, tagged with instance {@code owner} of {@code parallelism}. */
    List<byte[]> snapshot(int owner, int parallelism);

    /** The instance that wrote {@code entry}: by default the entry's first int (entries that begin with the instance, then the parallelism). */
    default int ownerOf(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(0);
    }

    /** The parallelism {@code entry} was written at: by default the entry's second int. */
    default int parallelismOf(byte[] entry) {
        return ByteBuffer.wrap(entry).getInt(4);
    }

    /** Restores its population from the entries chosen for instance {@code me}, their counts shared among {@code owners}. */
    void restore(List<byte[]> entries, int owners, int me);
}
