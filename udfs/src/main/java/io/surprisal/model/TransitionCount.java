package io.surprisal.model;

import java.util.Comparator;

/** One population count, as checkpointed. A Flink POJO. */
public class TransitionCount {
    static final Comparator<TransitionCount> ORDER =
            Comparator.comparing((TransitionCount c) -> c.from).thenComparing(c -> c.to);

    public String from;
    public String to;
    public long count;
    /** The parallel instance that wrote this count, and the parallelism it ran at (see InstanceShares). */
    public int owner;
    public int parallelism;

    public TransitionCount() {}

    public TransitionCount(String from, String to, long count) {
        this.from = from;
        this.to = to;
        this.count = count;
    }
}
