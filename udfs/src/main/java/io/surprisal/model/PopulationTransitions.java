package io.surprisal.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The population's counts of {@code action:status} transitions, learned online. Gives the
 * smoothed conditional probability of the next state and the conditional entropy of each state
 * (the bits a typical step from it costs), both in O(1). Bounded: past {@code maxTransitions}
 * distinct pairs, new pairs are not counted (they stay "never seen", which is what they nearly are).
 * Plain Java; the Flink operator owns one per parallel instance.
 */
public final class PopulationTransitions {
    private static final double LN2 = Math.log(2);

    private final double smoothing;
    private final int maxTransitions;
    private final Map<String, FromState> from = new HashMap<>();
    private final Map<String, Boolean> knownStates = new HashMap<>();
    private int transitions;
    private long events;

    /** The counts out of one state. */
    private static final class FromState {
        final Map<String, long[]> next = new HashMap<>();
        long total;
        /** Σ c·log2(c) over the outgoing counts, kept so entropy updates in O(1). */
        double sumCLogC;
    }

    public PopulationTransitions(double smoothing, int maxTransitions) {
        this.smoothing = smoothing;
        this.maxTransitions = maxTransitions;
    }

    /** Counts one step, {@code count} times. */
    public void observe(String fromState, String toState, long count) {
        events += count;
        knownStates.putIfAbsent(toState, Boolean.TRUE);
        FromState f = from.get(fromState);
        if (f == null) {
            if (transitions >= maxTransitions) {
                return;
            }
            f = new FromState();
            from.put(fromState, f);
        }
        long[] c = f.next.get(toState);
        if (c == null) {
            if (transitions >= maxTransitions) {
                return;
            }
            c = new long[1];
            f.next.put(toState, c);
            transitions++;
        }
        f.sumCLogC += cLogC(c[0] + count) - cLogC(c[0]);
        c[0] += count;
        f.total += count;
    }

    public void observe(String fromState, String toState) {
        observe(fromState, toState, 1);
    }

    /** Events observed (including any past the bound). */
    public long events() {
        return events;
    }

    public long count(String fromState, String toState) {
        FromState f = from.get(fromState);
        if (f == null) {
            return 0;
        }
        long[] c = f.next.get(toState);
        return c == null ? 0 : c[0];
    }

    public long fromTotal(String fromState) {
        FromState f = from.get(fromState);
        return f == null ? 0 : f.total;
    }

    /** Calls {@code action} with every state seen after {@code fromState} and its count. */
    public void forEachNext(String fromState, java.util.function.ObjLongConsumer<String> action) {
        FromState f = from.get(fromState);
        if (f != null) {
            for (var n : f.next.entrySet()) {
                action.accept(n.getKey(), n.getValue()[0]);
            }
        }
    }

    /** Distinct states seen, plus one for "a state never seen". */
    public int vocabulary() {
        return knownStates.size() + 1;
    }

    /** P(to | from) with additive smoothing over the vocabulary: never zero. */
    public double probability(String fromState, String toState) {
        FromState f = from.get(fromState);
        double v = vocabulary();
        if (f == null) {
            return 1.0 / v;
        }
        long[] c = f.next.get(toState);
        return ((c == null ? 0 : c[0]) + smoothing) / (f.total + smoothing * v);
    }

    /** P(to | from) of a state never seen after {@code fromState}: the smoothing's share. */
    public double unseenProbability(String fromState) {
        FromState f = from.get(fromState);
        double v = vocabulary();
        return f == null ? 1.0 / v : smoothing / (f.total + smoothing * v);
    }

    /** -log2 P(to | from). */
    public double bits(String fromState, String toState) {
        return -Math.log(probability(fromState, toState)) / LN2;
    }

    /**
     * The conditional entropy H(next | from) of the observed counts, bits: what a step out of this
     * state costs on average. For a state never seen, log2 of the vocabulary.
     */
    public double entropy(String fromState) {
        FromState f = from.get(fromState);
        if (f == null || f.total == 0) {
            return Math.log(vocabulary()) / LN2;
        }
        double n = f.total;
        return Math.max(0.0, Math.log(n) / LN2 - f.sumCLogC / n);
    }

    /** All counts, for checkpoints; in a stable order. */
    public List<TransitionCount> entries() {
        List<TransitionCount> out = new ArrayList<>(transitions);
        for (var f : from.entrySet()) {
            for (var n : f.getValue().next.entrySet()) {
                out.add(new TransitionCount(f.getKey(), n.getKey(), n.getValue()[0]));
            }
        }
        out.sort(TransitionCount.ORDER);
        return out;
    }

    /** Adds counts from a checkpoint or another instance. */
    public void addAll(Iterable<TransitionCount> counts) {
        for (TransitionCount c : counts) {
            observe(c.from, c.to, c.count);
        }
    }

    private static double cLogC(long c) {
        return c <= 1 ? 0.0 : c * (Math.log(c) / LN2);
    }
}
