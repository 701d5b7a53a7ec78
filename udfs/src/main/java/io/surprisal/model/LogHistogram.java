package io.surprisal.model;

import java.util.Arrays;

/**
 * A quantile sketch over signed values with fixed logarithmic buckets (about 2% relative width):
 * deterministic, independent of insertion order, and mergeable by adding counts, so parallel
 * instances and restored checkpoints combine exactly and replays give identical quantiles.
 */
public final class LogHistogram {
    private static final double GROWTH = Math.log(1.02);
    /** Buckets per sign; covers |v| up to about e^(SIDE*0.0198) ≈ 4e8. */
    private static final int SIDE = 1000;

    private final long[] counts;
    private long n;

    public LogHistogram() {
        this(new long[2 * SIDE + 1]);
    }

    private LogHistogram(long[] counts) {
        this.counts = counts;
        for (long c : counts) {
            n += c;
        }
    }

    public void add(double v) {
        counts[index(v)]++;
        n++;
    }

    public long count() {
        return n;
    }

    /** The value below which a fraction {@code q} of the observations lie (bucket midpoint); NaN when empty. */
    public double quantile(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * n);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(i);
            }
        }
        return value(counts.length - 1);
    }

    /**
     * Observations at least {@code v}, to the bucket: everything in {@code v}'s bucket counts, so
     * the count errs on the side of more (a tail never looks rarer than it is).
     */
    public long atLeast(double v) {
        long k = 0;
        for (int i = index(v); i < counts.length; i++) {
            k += counts[i];
        }
        return k;
    }

    /**
     * The lower edge of the lowest positive bucket at and above which {@code histograms} together
     * hold at most {@code k} observations: every value below it has more than {@code k} at least as
     * high ({@link #atLeast}). Infinity when the top bucket alone holds more; minus infinity when
     * every positive bucket is within {@code k}.
     */
    public static double lowestValueWithAtMost(long k, LogHistogram... histograms) {
        long above = 0;
        for (int i = 2 * SIDE; i > SIDE; i--) {
            for (LogHistogram h : histograms) {
                above += h.counts[i];
            }
            if (above > k) {
                return i == 2 * SIDE ? Double.POSITIVE_INFINITY : Math.expm1((i + 1 - SIDE) * GROWTH);
            }
        }
        return Double.NEGATIVE_INFINITY;
    }

    /** A bucket's midpoint and its count. */
    @FunctionalInterface
    public interface BucketConsumer {
        void accept(double value, long count);
    }

    /** Calls {@code action} with each bucket at and above {@code v}'s that holds observations, lowest first. */
    public void forEachBucketAtLeast(double v, BucketConsumer action) {
        for (int i = index(v); i < counts.length; i++) {
            if (counts[i] > 0) {
                action.accept(value(i), counts[i]);
            }
        }
    }

    public void merge(LogHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        n += other.n;
    }

    /** A copy with every bucket's count divided among {@code owners}, rounded up. */
    public LogHistogram sharedBy(int owners) {
        long[] c = toCounts();
        for (int i = 0; i < c.length; i++) {
            c[i] = (c[i] + owners - 1) / owners;
        }
        return new LogHistogram(c);
    }

    public long[] toCounts() {
        return Arrays.copyOf(counts, counts.length);
    }

    public static LogHistogram fromCounts(long[] counts) {
        if (counts.length != 2 * SIDE + 1) {
            throw new IllegalArgumentException("expected " + (2 * SIDE + 1) + " buckets, got " + counts.length);
        }
        return new LogHistogram(Arrays.copyOf(counts, counts.length));
    }

    static int index(double v) {
        if (Double.isNaN(v)) {
            return SIDE;
        }
        int b = (int) Math.min(SIDE, Math.floor(Math.log1p(Math.abs(v)) / GROWTH));
        return v >= 0 ? SIDE + b : SIDE - b;
    }

    /** The midpoint of a bucket, in value units. */
    static double value(int index) {
        int b = Math.abs(index - SIDE);
        double lo = Math.expm1(b * GROWTH);
        double hi = Math.expm1((b + 1) * GROWTH);
        double mid = (lo + hi) / 2;
        return index >= SIDE ? mid : -mid;
    }
}
