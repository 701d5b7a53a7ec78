package io.surprisal.visitlength;

import io.surprisal.model.PopulationTransitions;
import io.surprisal.model.TransitionCount;
import io.surprisal.model.UserProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The law of a visit's length implied by the population's Markov chain of steps: a visit starts at
 * the session-start pseudo-state, takes a step after each event, and ends at a logout or end event
 * (the session closes there) or, after any other event, by leaving ({@link VisitEnds}: the visits
 * that closed by inactivity or a new session id). The chance that a visit has at least L events is
 * the mass still walking after L - 1 events, which is what a chain that rarely leaves (a buyer who
 * views and views but does not buy) makes rare. Plain Java; rebuilt from the counts now and then.
 */
public final class VisitLengthLaw {
    private static final double LN2 = Math.log(2);
    /** Rescale the walking mass below this, keeping its log apart (long visits fall far below a double's range). */
    private static final double RESCALE_BELOW = 1e-100;
    /** Bits past which a visit is far beyond any bar: the walk stops there. */
    static final double MAX_BITS = 1_000;
    /** Events the walk takes at most; a state that loops on itself would otherwise make a visit's cost its length. */
    static final int MAX_WALK = 20_000;

    private final String[] states;
    private final boolean[] absorbing;
    /**
     * Row i, sparse: the states seen after i and their chance, each beside the smoothing's share every
     * state has ({@link #everyState}); what the row lacks of 1 is leaving. Null for the start and
     * states that end a visit.
     */
    private final int[][] seen;
    private final double[][] chance;
    private final double[] everyState;
    /** The first event's state. */
    private final double[] start;

    /**
     * The walk so far: {@code walked[k]} is -log2 P(at least k + 1 events), after k steps ({@code
     * walked[0]} 0), up to {@link #walkedSteps}; {@link #mass} the walking mass after them, divided by
     * 2^{@link #logScale}. Not for more than one thread: a law belongs to one detector instance.
     */
    private double[] walked = new double[64];
    private int walkedSteps;
    private int cappedAt = -1;
    private double[] mass;
    private double[] next;
    private double logScale;

    private VisitLengthLaw(String[] states, boolean[] absorbing, int[][] seen, double[][] chance, double[] everyState, double[] start) {
        this.states = states;
        this.absorbing = absorbing;
        this.seen = seen;
        this.chance = chance;
        this.everyState = everyState;
        this.start = start;
    }

    /** Whether a visit ends at an event in {@code state} ({@code action:status}): the scorer closes the session at logout and end. */
    public static boolean endsVisit(String state) {
        return state.startsWith("logout:") || state.startsWith("end:");
    }

    /**
     * The law from the population's steps and its visits' leaving counts; {@code smoothing} is the
     * transition model's additive smoothing, spread over the states and leaving.
     */
    public static VisitLengthLaw of(PopulationTransitions steps, VisitEnds ends, double smoothing) {
        return of(steps.entries(), ends, smoothing);
    }

    /** The law from the population's step counts ({@link PopulationTransitions#entries}) and its visits' leaving counts. */
    public static VisitLengthLaw of(List<TransitionCount> counts, VisitEnds ends, double smoothing) {
        Map<String, Integer> index = new HashMap<>();
        index.put(UserProfile.START, 0);
        for (TransitionCount c : counts) {
            index.putIfAbsent(c.from, index.size());
            index.putIfAbsent(c.to, index.size());
        }
        for (String s : ends.states()) {
            index.putIfAbsent(s, index.size());
        }
        int n = index.size();
        String[] states = new String[n];
        index.forEach((s, i) -> states[i] = s);
        boolean[] absorbing = new boolean[n];
        for (int i = 0; i < n; i++) {
            absorbing[i] = endsVisit(states[i]);
        }
        Map<Integer, Map<Integer, Double>> raw = new HashMap<>();
        double[] rowTotal = new double[n];
        for (TransitionCount c : counts) {
            int to = index.get(c.to);
            if (to == 0) {
                continue; // nothing steps into the start
            }
            int from = index.get(c.from);
            raw.computeIfAbsent(from, k -> new HashMap<>()).merge(to, (double) c.count, Double::sum);
            rowTotal[from] += c.count;
        }
        int[][] seen = new int[n][];
        double[][] chance = new double[n][];
        double[] everyState = new double[n];
        // Destinations: every state but the start, and leaving.
        double outcomes = n;
        for (int i = 1; i < n; i++) {
            if (absorbing[i]) {
                continue;
            }
            double denominator = rowTotal[i] + ends.count(states[i]) + smoothing * outcomes;
            Map<Integer, Double> row = raw.getOrDefault(i, Map.of());
            seen[i] = new int[row.size()];
            chance[i] = new double[row.size()];
            int k = 0;
            for (var e : row.entrySet()) {
                seen[i][k] = e.getKey();
                chance[i][k++] = e.getValue() / denominator;
            }
            everyState[i] = smoothing / denominator;
        }
        // A visit's first event: as the population's sessions began, without leaving or smoothing, and
        // not a logout or end (the end a site sends after a logout is a session of its own, not a visit).
        double[] start = new double[n];
        Map<Integer, Double> first = raw.getOrDefault(0, Map.of());
        double startTotal = 0;
        int walking = 0;
        for (int j = 1; j < n; j++) {
            if (!absorbing[j]) {
                startTotal += first.getOrDefault(j, 0.0);
                walking++;
            }
        }
        for (int j = 1; j < n; j++) {
            if (!absorbing[j]) {
                start[j] = startTotal > 0 ? first.getOrDefault(j, 0.0) / startTotal : 1.0 / walking;
            }
        }
        return new VisitLengthLaw(states, absorbing, seen, chance, everyState, start);
    }

    /** States the law knows, the start included. */
    public int states() {
        return states.length;
    }

    /**
     * -log2 P(a visit has at least {@code events} events) under the law; between whole numbers, the
     * bits at the two around it interpolated. At most {@link #MAX_BITS}. Past {@link #MAX_WALK}
     * events the walk stops and the tail goes on at its last step's rate. The walk is taken once
     * per law, as far as the longest visit asked so far, not once per visit.
     */
    public double tailBits(double events) {
        if (events <= 1 || states.length <= 1) {
            return 0;
        }
        double target = Math.min(events, MAX_WALK);
        int whole = (int) Math.floor(target);
        boolean between = target > whole;
        int steps = between ? whole : whole - 1;
        walkTo(steps);
        if (cappedAt > 0 && cappedAt <= steps) {
            // Past the cap at k + 1 events: so are more, and fewer between whole numbers only if k + 1 is asked.
            int k = cappedAt;
            double before = walked[k - 1];
            return k + 1 < target ? MAX_BITS : Math.min(MAX_BITS, before + (target - k) * (Math.min(walked[k], MAX_BITS) - before));
        }
        double bits = walked[steps];
        double before = walked[steps - 1];
        double atTarget = between ? before + (target - whole) * (bits - before) : bits;
        if (events > MAX_WALK) {
            // The walk's last step (between MAX_WALK - 1 and MAX_WALK events, or the interpolation's) sets the rate.
            return Math.min(MAX_BITS, atTarget + (events - MAX_WALK) * Math.max(0, bits - before));
        }
        return atTarget;
    }

    /** Walks on to {@code target} steps, unless the bits passed {@link #MAX_BITS} before. */
    private void walkTo(int target) {
        int n = states.length;
        if (mass == null) {
            mass = start.clone();
            next = new double[n];
        }
        while (walkedSteps < target && cappedAt < 0) {
            int k = walkedSteps + 1;
            // mass: the states of the k-th event, over visits with at least k events.
            double[] v = mass;
            double[] w = next;
            java.util.Arrays.fill(w, 0);
            double toEvery = 0;
            for (int i = 1; i < n; i++) {
                double m = v[i];
                if (m == 0 || absorbing[i]) {
                    continue;
                }
                int[] to = seen[i];
                double[] p = chance[i];
                for (int x = 0; x < to.length; x++) {
                    w[to[x]] += m * p[x];
                }
                toEvery += m * everyState[i];
            }
            double alive = 0;
            for (int j = 1; j < n; j++) {
                w[j] += toEvery;
                alive += w[j];
            }
            mass = w;
            next = v;
            double bits = alive <= 0 ? Double.POSITIVE_INFINITY : -(Math.log(alive) / LN2 + logScale);
            if (k >= walked.length) {
                walked = java.util.Arrays.copyOf(walked, Math.min(MAX_WALK + 1, 2 * walked.length));
            }
            walked[k] = bits;
            walkedSteps = k;
            if (bits >= MAX_BITS) {
                cappedAt = k;
            } else if (alive < RESCALE_BELOW) {
                for (int j = 1; j < n; j++) {
                    mass[j] /= alive;
                }
                logScale += Math.log(alive) / LN2;
            }
        }
    }
}
