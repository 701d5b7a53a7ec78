package io.surprisal.visitlength;

import java.util.Set;
import java.util.TreeMap;

/**
 * How often the population's visits left after each state without a logout or end event: closed
 * by inactivity or by a new session id. A step out of the state like the others, taught within the
 * same per-user caps. Plain Java.
 */
public final class VisitEnds {
    private final TreeMap<String, long[]> counts = new TreeMap<>();
    /** The counts' sum, kept as they grow: the detector asks for it at every closed visit. */
    private long total;
    /** A bound on the states kept, as the population's transitions have. */
    static final int MAX_STATES = 1_000;

    public void add(String state, long n) {
        long[] c = counts.get(state);
        if (c == null) {
            if (counts.size() >= MAX_STATES) {
                return;
            }
            c = new long[1];
            counts.put(state, c);
        }
        c[0] += n;
        total += n;
    }

    public long count(String state) {
        long[] c = counts.get(state);
        return c == null ? 0 : c[0];
    }

    public Set<String> states() {
        return counts.keySet();
    }

    public long total() {
        return total;
    }

    public void merge(VisitEnds other) {
        other.counts.forEach((s, c) -> add(s, c[0]));
    }
}
