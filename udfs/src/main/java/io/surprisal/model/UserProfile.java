package io.surprisal.model;


/**
 * Everything the job keeps about one user in one value: their own transition counts (compact,
 * bounded) and the open session. One state read and one write per event. Primitives and arrays,
 * so RocksDB holds it in a few hundred bytes; in the job, {@code UserProfileSerializer} writes it
 * field by field (a new field needs its line there).
 */
public class UserProfile {
    /** Index 0 is the session-start pseudo-state; its name is {@link #START}. */
    public static final String START = "^";

    /** The user's distinct states; {@code states[i]} is state index i. */
    public String[] states = {START};
    /** Packed transitions: from index (16 bits) | to index (16 bits) | count (32 bits). */
    public long[] transitions = new long[0];
    /** Events seen from this user, ever. */
    public long events;

    // The open session.
    public String sessionId;
    public long sessionStart = Long.MIN_VALUE;
    public long lastTs = Long.MIN_VALUE;
    /** Index of the state the user is in (0 at a session's start; -1 when past the vocabulary bound). */
    public int lastState;
    /** Name of the state the user is in, kept even when the vocabulary bound left it without an index. */
    public String lastStateName = START;
    public int sessionEvents;
    /** Σ population bits over the session. */
    public double sessionBits;
    /** Σ (population bits − the population's entropy of the from-state): surprisal beyond the expected. */
    public double sessionExcess;
    /**
     * The session's most surprising events, most surprising first: their bits, and the slot of a
     * {@link TopEventStore} each is kept in (the events themselves are not part of the profile).
     */
    public double[] topBits = new double[0];
    public byte[] topSlots = new byte[0];
    /** The event-time timer armed for the session's inactivity gap, or {@link Long#MIN_VALUE}. */
    public long gapTimer = Long.MIN_VALUE;

    // Across sessions.
    /** The CUSUM of surprisal beyond the expected (detector {@code cusum}), in bits; never negative. */
    public double cusum;
    /** Steps since the CUSUM last stood at 0, and the event time it left 0. */
    public int cusumSteps;
    public long cusumSince = Long.MIN_VALUE;
    /** The head start the current CUSUM run began from: {@code restart-bits} after an alert, else 0. */
    public double cusumHeadStart;
    /** Start of the current population-teaching window (event time), and the steps out of each state taught in it. */
    public long teachingWindowStart = Long.MIN_VALUE;
    public byte[] taught = new byte[0];
    /** Closed sessions this user taught the population's session statistics in the current teaching window. */
    public byte sessionsTaught;
    /**
     * The tests the detectors made of this user in about the last false-alarm window (see
     * {@link MultipleTests}): steps (each one a transition and a CUSUM test) and closed sessions, each
     * count decayed by e every window, as of event time {@link #testsTs}.
     */
    public double stepsInWindow;
    public double sessionsInWindow;
    public long testsTs = Long.MIN_VALUE;
    /** Event time of this user's last cusum alert, or {@link Long#MIN_VALUE}: a teaching window without teaching follows. */
    public long cusumAlertTs = Long.MIN_VALUE;
    /** The user's purchases (detector {@code amount}). */
    public io.surprisal.amount.SpendHistory spend = new io.surprisal.amount.SpendHistory();
    /** What the open session did beyond the fields above, and when the previous one ended (the session vector). */
    public io.surprisal.session.SessionTally tally = new io.surprisal.session.SessionTally();
    /** The user's usual sessions (detector {@code session-profile}). */
    public io.surprisal.session.SessionHabits habits = new io.surprisal.session.SessionHabits();
    /** Sessions this user taught the population's session forest in the current teaching window (detector {@code session-forest}). */
    public byte forestTaught;
    /**
     * The detector parts' slices of this user's state ({@code io.surprisal.detector.UserDetectorPart}),
     * by detector, as each part wrote them; a part with nothing of the user has no entry.
     */
    public final java.util.TreeMap<String, byte[]> partSlices = new java.util.TreeMap<>();

    /** The store of top events for plain-Java use ({@link TopEventStore.InMemory}); not part of the job's state. */
    private transient TopEventStore localTopEvents;

    public UserProfile() {}

    /** This profile's own in-memory {@link TopEventStore}, for use without Flink. */
    public TopEventStore localTopEvents() {
        if (localTopEvents == null) {
            localTopEvents = new TopEventStore.InMemory();
        }
        return localTopEvents;
    }

    public boolean sessionOpen() {
        return sessionStart != Long.MIN_VALUE;
    }

    /**
     * Whether the user has shown a successful event (a state ending in {@code :success}). Anyone can
     * fail to log in under any name, so until a user has succeeded at something their events are
     * not evidence of how people behave, and they teach the population nothing.
     */
    public boolean hasSucceeded() {
        for (int i = 1; i < states.length; i++) {
            if (states[i].endsWith(":success")) {
                return true;
            }
        }
        return lastStateName.endsWith(":success");
    }

    /**
     * Whether this user may teach the population at {@code ts}: they have succeeded at something
     * ({@link #hasSucceeded}), and no cusum alert of theirs is less than a teaching window old
     * (a user the detectors found off the typical path must not make their own behaviour look
     * typical). The rule of every population the per-user operator keeps but the amounts'.
     */
    public boolean teachesAt(long ts, long teachingWindowMs) {
        if (!hasSucceeded()) {
            return false;
        }
        return cusumAlertTs == Long.MIN_VALUE || ts - cusumAlertTs >= teachingWindowMs;
    }

    /** The index of a state, or -1. */
    public int indexOf(String state) {
        for (int i = 0; i < states.length; i++) {
            if (states[i].equals(state)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of a state, adding it when there is room; -1 when the user's vocabulary is full. */
    public int indexOrAdd(String state, int maxStates) {
        int i = indexOf(state);
        if (i >= 0 || states.length >= maxStates) {
            return i;
        }
        String[] grown = new String[states.length + 1];
        System.arraycopy(states, 0, grown, 0, states.length);
        grown[states.length] = state;
        states = grown;
        return states.length - 1;
    }

    public long count(int from, int to) {
        if (from < 0 || to < 0) {
            return 0;
        }
        for (long t : transitions) {
            if (fromOf(t) == from && toOf(t) == to) {
                return countOf(t);
            }
        }
        return 0;
    }

    public long fromTotal(int from) {
        if (from < 0) {
            return 0;
        }
        long n = 0;
        for (long t : transitions) {
            if (fromOf(t) == from) {
                n += countOf(t);
            }
        }
        return n;
    }

    /** Counts one transition; a new pair past {@code maxTransitions} is not kept. */
    public void observe(int from, int to, int maxTransitions) {
        if (from < 0 || to < 0) {
            return;
        }
        for (int i = 0; i < transitions.length; i++) {
            long t = transitions[i];
            if (fromOf(t) == from && toOf(t) == to) {
                long c = countOf(t);
                if (c < 0xFFFFFFFFL) {
                    transitions[i] = pack(from, to, c + 1);
                }
                return;
            }
        }
        if (transitions.length >= maxTransitions) {
            return;
        }
        long[] grown = new long[transitions.length + 1];
        System.arraycopy(transitions, 0, grown, 0, transitions.length);
        grown[transitions.length] = pack(from, to, 1);
        transitions = grown;
    }

    /**
     * Whether this user may still teach the population a step out of state {@code from} in the
     * teaching window holding {@code ts}; if so, counts it. At most {@code max} (<= 127) per state
     * per window: one user, a few votes.
     */
    public boolean mayTeach(int from, long ts, long windowMs, int max) {
        if (from < 0) {
            return false;
        }
        rollTeachingWindow(ts, windowMs);
        if (from >= taught.length) {
            taught = java.util.Arrays.copyOf(taught, states.length);
        }
        if (taught[from] >= max) {
            return false;
        }
        taught[from]++;
        return true;
    }

    /**
     * Whether the session this user closes at {@code ts} may still teach the population's session
     * statistics in the teaching window holding {@code ts}; if so, counts it. At most {@code max}
     * (<= 127) per window: one user, a few votes, so users with dozens of visits a day do not make
     * the population's sessions theirs.
     */
    public boolean mayTeachSession(long ts, long windowMs, int max) {
        rollTeachingWindow(ts, windowMs);
        if (sessionsTaught >= max) {
            return false;
        }
        sessionsTaught++;
        return true;
    }

    /**
     * Whether the purchase this user makes at {@code ts} may still teach the population's amounts in
     * the teaching window holding {@code ts}; if so, counts it. At most {@code max} (<= 127) per window.
     */
    public boolean mayTeachPurchase(long ts, long windowMs, int max) {
        rollTeachingWindow(ts, windowMs);
        if (spend.taught >= max) {
            return false;
        }
        spend.taught++;
        return true;
    }

    /**
     * Whether the session this user closes at {@code ts} may still teach the population's session
     * measures (detector session-profile) in the teaching window holding {@code ts}; if so, counts
     * it. At most {@code max} (<= 127) per window.
     */
    public boolean mayTeachSessionMeasures(long ts, long windowMs, int max) {
        rollTeachingWindow(ts, windowMs);
        if (habits.taught >= max) {
            return false;
        }
        habits.taught++;
        return true;
    }

    /** As {@link #mayTeachSessionMeasures}, for the population's session forest (detector session-forest). */
    public boolean mayTeachSessionForest(long ts, long windowMs, int max) {
        rollTeachingWindow(ts, windowMs);
        if (forestTaught >= max) {
            return false;
        }
        forestTaught++;
        return true;
    }

    /** Starts a new teaching window when {@code ts} is past the current one. */
    private void rollTeachingWindow(long ts, long windowMs) {
        if (teachingWindowStart == Long.MIN_VALUE || ts - teachingWindowStart >= windowMs) {
            teachingWindowStart = ts - Math.floorMod(ts, windowMs);
            java.util.Arrays.fill(taught, (byte) 0);
            sessionsTaught = 0;
            spend.taught = 0;
            habits.taught = 0;
            forestTaught = 0;
        }
    }

    /** Decays the test counts to event time {@code ts} (never backwards); see {@link MultipleTests}. */
    public void decayTestsTo(long ts, long windowMs) {
        if (testsTs != Long.MIN_VALUE && ts > testsTs) {
            double keep = MultipleTests.decay(ts - testsTs, windowMs);
            stepsInWindow *= keep;
            sessionsInWindow *= keep;
            spend.judgedInWindow *= keep;
        }
        if (testsTs == Long.MIN_VALUE || ts > testsTs) {
            testsTs = ts;
        }
    }

    /**
     * Ranks an event of {@code bits} among the session's top {@code limit} (ties: the earlier stays
     * first). Returns the store slot the event goes into (a new one, or the evicted last one's), or
     * -1 when it does not rank.
     */
    public int keepTopEvent(double bits, int limit) {
        int n = topBits.length;
        int pos = n;
        while (pos > 0 && topBits[pos - 1] < bits) {
            pos--;
        }
        if (pos >= limit) {
            return -1;
        }
        int size = Math.min(limit, n + 1);
        int slot = n < limit ? n : topSlots[n - 1];
        double[] nextBits = new double[size];
        byte[] nextSlots = new byte[size];
        System.arraycopy(topBits, 0, nextBits, 0, pos);
        System.arraycopy(topSlots, 0, nextSlots, 0, pos);
        nextBits[pos] = bits;
        nextSlots[pos] = (byte) slot;
        System.arraycopy(topBits, pos, nextBits, pos + 1, size - pos - 1);
        System.arraycopy(topSlots, pos, nextSlots, pos + 1, size - pos - 1);
        topBits = nextBits;
        topSlots = nextSlots;
        return slot;
    }

    /** Forgets the open session (the learned counts stay, and when it ended). */
    public void closeSession() {
        if (sessionOpen()) {
            tally.closeAt(lastTs);
        }
        sessionId = null;
        sessionStart = Long.MIN_VALUE;
        lastState = 0;
        lastStateName = START;
        sessionEvents = 0;
        sessionBits = 0;
        sessionExcess = 0;
        topBits = new double[0];
        topSlots = new byte[0];
    }

    static long pack(int from, int to, long count) {
        return ((long) from << 48) | ((long) to << 32) | (count & 0xFFFFFFFFL);
    }

    static int fromOf(long t) {
        return (int) (t >>> 48) & 0xFFFF;
    }

    static int toOf(long t) {
        return (int) (t >>> 32) & 0xFFFF;
    }

    static long countOf(long t) {
        return t & 0xFFFFFFFFL;
    }
}
