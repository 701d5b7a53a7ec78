package io.surprisal.session;

import io.surprisal.model.LogHistogram;
import io.surprisal.model.MultipleTests;
import java.nio.ByteBuffer;

/**
 * The scores a model gave the population's recent ordinary sessions: the current generation and the
 * one before it, each of at most {@link #GENERATION} scores. The model changes as it learns, so the
 * yardstick is its recent behaviour, not its first days'. Mergeable and divisible like the other
 * per-instance population models ({@code InstanceShares}).
 */
final class RecentScores {
    static final long GENERATION = 20_000;
    private LogHistogram current = new LogHistogram();
    private LogHistogram previous = new LogHistogram();

    void add(double score) {
        current.add(score);
        if (current.count() >= GENERATION) {
            previous = current;
            current = new LogHistogram();
        }
    }

    long count() {
        return current.count() + previous.count();
    }

    long atLeast(double score) {
        return current.atLeast(score) + previous.atLeast(score);
    }

    /**
     * The lowest score whose tail ({@code MultipleTests.tailBits} of the scores at least as high)
     * may reach {@code bits}: every score below it has too many at least as high. Infinity when no
     * score can reach it yet.
     */
    double lowestScoreReaching(double bits) {
        long most = MultipleTests.mostAtLeast(bits, count());
        return most < 0 ? Double.POSITIVE_INFINITY : LogHistogram.lowestValueWithAtMost(most, current, previous);
    }

    void merge(RecentScores o) {
        current.merge(o.current);
        previous.merge(o.previous);
    }

    RecentScores sharedBy(int owners) {
        RecentScores s = new RecentScores();
        s.current = current.sharedBy(owners);
        s.previous = previous.sharedBy(owners);
        return s;
    }

    void write(ByteBuffer b) {
        for (LogHistogram h : new LogHistogram[] {current, previous}) {
            long[] c = h.toCounts();
            b.putInt(c.length);
            for (long v : c) {
                b.putLong(v);
            }
        }
    }

    int bytes() {
        return 8 + 8 * (current.toCounts().length + previous.toCounts().length);
    }

    static RecentScores read(ByteBuffer b) {
        RecentScores s = new RecentScores();
        s.current = LogHistogram.fromCounts(readCounts(b));
        s.previous = LogHistogram.fromCounts(readCounts(b));
        return s;
    }

    private static long[] readCounts(ByteBuffer b) {
        long[] c = new long[b.getInt()];
        for (int i = 0; i < c.length; i++) {
            c[i] = b.getLong();
        }
        return c;
    }
}
