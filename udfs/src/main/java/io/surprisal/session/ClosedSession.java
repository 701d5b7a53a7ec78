package io.surprisal.session;

/**
 * A closed session's feature vector, as the per-user operator emits it (side output {@code
 * closed-sessions}) when {@code model.session.emit-vectors} is on. A Flink POJO: public fields, a
 * no-argument constructor. Its JSON line is documented in docs/session-vectors.md.
 */
public class ClosedSession {
    public String user;
    /** The event's tenant, or null. */
    public String tenant;
    /** The session id the events carried, or null. */
    public String session;
    /** Event time of the session's first and last event (epoch ms). */
    public long start;
    public long ts;
    /** Why it closed: logout, end, inactivity, or "a new session began". */
    public String closedBy;
    /** By {@link SessionFeatures#NAMES}. */
    public double[] features;

    public ClosedSession() {}
}
