package io.surprisal.model;

import java.nio.ByteBuffer;

/**
 * The population's distribution of closed sessions' scores (total surprisal, and surprisal beyond
 * the expected), each in a {@link LogHistogram}, so a session is judged by how many of the
 * population's sessions went at least as far (its tail) rather than by mean plus sd of a skewed
 * distribution. Plain Java.
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

    /** Sessions whose total surprisal was at least {@code bits} (to the histogram's bucket). */
    public long totalAtLeast(double bits) {
        return totals.atLeast(bits);
    }

    /** Sessions whose surprisal beyond the expected was at least {@code bits} (to the histogram's bucket). */
    public long excessAtLeast(double bits) {
        return excess.atLeast(bits);
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

    /** The histograms with the writing instance and parallelism in front (see InstanceShares). */
    public byte[] toTaggedBytes(int owner, int parallelism) {
        byte[] body = toBytes();
        return ByteBuffer.allocate(8 + body.length).putInt(owner).putInt(parallelism).put(body).array();
    }

    public static int ownerOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(0);
    }

    public static int parallelismOf(byte[] tagged) {
        return ByteBuffer.wrap(tagged).getInt(4);
    }

    public static SessionStatistics fromTaggedBytes(byte[] tagged) {
        byte[] body = new byte[tagged.length - 8];
        System.arraycopy(tagged, 8, body, 0, body.length);
        return fromBytes(body);
    }

    /** These statistics with every count divided among {@code owners} instances (rounded up). */
    public SessionStatistics sharedBy(int owners) {
        if (owners <= 1) {
            return this;
        }
        return new SessionStatistics(totals.sharedBy(owners), excess.sharedBy(owners));
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
