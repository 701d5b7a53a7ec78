package io.surprisal.flink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Restoring a per-instance model kept in union list state, where every entry says which parallel
 * instance wrote it and at what parallelism. At the same parallelism each instance takes back exactly
 * its own entries, so a recovery continues as if nothing had happened. After a rescale each instance
 * takes everything, to be averaged over the old instances ({@link Selection#owners}), so that a model
 * keeps the size of one instance's share however often the job is rescaled.
 */
public final class InstanceShares {
    private InstanceShares() {}

    /** The entries to restore, and how many old instances they come from (divide counts by it). */
    public record Selection<T>(List<T> entries, int owners) {}

    public static <T> Selection<T> select(Iterable<T> all, ToIntFunction<T> owner, ToIntFunction<T> parallelism,
            int me, int currentParallelism) {
        List<T> everything = new ArrayList<>();
        Set<Integer> owners = new HashSet<>();
        boolean sameParallelism = true;
        for (T t : all) {
            everything.add(t);
            owners.add(owner.applyAsInt(t));
            sameParallelism &= parallelism.applyAsInt(t) == currentParallelism;
        }
        if (sameParallelism) {
            List<T> mine = new ArrayList<>();
            for (T t : everything) {
                if (owner.applyAsInt(t) == me) {
                    mine.add(t);
                }
            }
            return new Selection<>(mine, 1);
        }
        return new Selection<>(everything, Math.max(1, owners.size()));
    }

    /** {@code count / owners}, rounded up so that a value seen at all stays seen. */
    public static long share(long count, int owners) {
        return owners <= 1 ? count : (count + owners - 1) / owners;
    }
}
