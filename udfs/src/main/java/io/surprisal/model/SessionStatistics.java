package io.surprisal.model;

import java.nio.ByteBuffer;

/**
 * The population's distribution of closed sessions' scores (total surprisal, and surprisal beyond
 * the expected), each in a {@link LogHistogram}, so a session is judged against a robust quantile
 * rather than mean plus sd of a skewed distribution. Plain Java.
 */
public final class SessionStatistics {
    private final LogHistogram totals;
    private final LogHistogram excess;

    public SessionStatistics() {
        this(new LogHistogram(), new LogHistogram());
    }

    private SessionStatistics(LogHistogram totals, LogHistogram excess) {
        this.totals = totals;
        this.excess = excess;
    }

    public void add(double totalBits, double excessBits) {
        totals.add(totalBits);
        excess.add(excessBits);
    }

    public long sessions() {
        return totals.count();
    }

    public double totalQuantile(double q) {
        return totals.quantile(q);
    }

    public double excessQuantile(double q) {
        return excess.quantile(q);
    }

    public void merge(SessionStatistics other) {
        totals.merge(other.totals);
        excess.merge(other.excess);
    }

    /** Both histograms' counts, for a checkpoint. */
    public byte[] toBytes() {
        long[] a = totals.toCounts();
        long[] b = excess.toCounts();
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 * (a.length + b.length));
        buf.putInt(a.length);
        for (long c : a) {
            buf.putLong(c);
        }
        for (long c : b) {
            buf.putLong(c);
        }
        return buf.array();
    }

    public static SessionStatistics fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int n = buf.getInt();
        long[] a = new long[n];
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = buf.getLong();
        }
        for (int i = 0; i < n; i++) {
            b[i] = buf.getLong();
        }
        return new SessionStatistics(LogHistogram.fromCounts(a), LogHistogram.fromCounts(b));
    }
}
